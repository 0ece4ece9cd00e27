// The orchestrator and the plugin registry on SQLite and on a real PostgreSQL, with
// the real built-in plugins in real worker processes.

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "accounts/users.h"
#include "pipeline/orchestrator.h"
#include "plugins/host_functions.h"
#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::pipeline {
namespace {

using nlohmann::json;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Builtin(const std::string& file) {
  return std::string(HCMS_BUILTIN_PLUGIN_DIR) + "/" + file;
}

plugins::PluginHost& Host() {
  static plugins::PluginHost host({.worker_path = HCMS_PLUGIN_WORKER_PATH,
                                   .host_functions = plugins::DefaultHostFunctions(),
                                   .workers = 2});
  // Build the detector's database now, not inside the first S.1.1 call's budget.
  static const bool warm = plugins::PersonalDataScan()("").has_value();
  (void)warm;
  return host;
}

class PipelineTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenants::TenantRepository tenants(db(), clock());
    auto t = tenants.Create({.slug = "clinica", .name = "Clínica"});
    ASSERT_TRUE(t) << t.error().ToLogString();
    tenant_ = t->id;
    auto other = tenants.Create({.slug = "outra", .name = "Outra"});
    ASSERT_TRUE(other);
    other_tenant_ = other->id;
    accounts::UserRepository users(db(), clock());
    for (const char* email : {"revisora@clinica.example", "juridico@clinica.example"}) {
      auto u = users.Create(tenant_, {.email = email,
                                      .display_name = "Revisora",
                                      .role = accounts::Role::kReviewer,
                                      .password_hash = "x"});
      ASSERT_TRUE(u) << u.error().ToLogString();
      reviewers_.push_back(u->id);
    }
    registry_ = std::make_unique<plugins::PluginRegistry>(
        db(), clock(),
        plugins::RegistryOptions{.cache_dir = cache_.path(),
                                 .builtin_dir = HCMS_BUILTIN_PLUGIN_DIR});
    orchestrator_ = std::make_unique<Orchestrator>(db(), clock(), *registry_, Host(),
                                                   OrchestratorOptions{.threads = 0});
    auto s =
        orchestrator_->settings().Put(tenant_, {{"physician",
                                                 {{"name", "Ana Souza"},
                                                  {"crm", "123456"},
                                                  {"uf", "SP"},
                                                  {"rqe", "5555"},
                                                  {"specialty", "Cardiologia"},
                                                  {"gender", "f"}}},
                                                {"disclaimers", {"informative", "emergency"}}});
    ASSERT_TRUE(s) << s.error().ToLogString();
  }

  PostSnapshot Post(std::string content, int64_t id = 10) {
    return PostSnapshot{.post_id = id,
                        .revision_id = 3,
                        .title = "Hipertensão",
                        .content = std::move(content),
                        .url = "https://clinica.example/hipertensao"};
  }

  static std::vector<std::string> Statuses(const pipeline::Run& r) {
    std::vector<std::string> v;
    for (const auto& s : r.steps) v.push_back(s.status);
    return v;
  }

  testing::TempDir cache_;
  int64_t tenant_ = 0;
  int64_t other_tenant_ = 0;
  std::vector<int64_t> reviewers_;
  std::unique_ptr<plugins::PluginRegistry> registry_;
  std::unique_ptr<Orchestrator> orchestrator_;
};

using ::testing::ElementsAre;

TEST_P(PipelineTest, CleanArticleCompletesAllFiveStagesWithAuditRows) {
  const PostSnapshot post =
      Post("<p>A hipertensão é comum. Meça a pressão regularmente e siga a orientação médica.</p>");
  auto run = orchestrator_->Start(tenant_, post, std::nullopt);
  ASSERT_TRUE(run) << run.error().ToLogString();
  auto done = orchestrator_->Get(tenant_, run->id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, "completed") << RunToJson(*done, true).dump();
  EXPECT_THAT(Statuses(*done),
              ElementsAre("completed", "completed", "completed", "completed", "completed"));
  const json& package = *done->steps[4].output;
  EXPECT_EQ(package["jsonld"]["@type"], "MedicalWebPage");
  EXPECT_NE(package["html"].get<std::string>().find("CRM/SP nº 123456"), std::string::npos);

  auto audit = orchestrator_->Audit(tenant_, run->id);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 5u);
  EXPECT_EQ((*audit)[0].stage, "s1.1");
  EXPECT_EQ((*audit)[0].component, "hcms-s11-personal-data@1.0.0");
  EXPECT_EQ((*audit)[0].input_sha256.size(), 64u);
  EXPECT_TRUE((*audit)[1].medical_validation_passed);
  EXPECT_TRUE((*audit)[4].lgpd_compliance_verified);
  EXPECT_FALSE((*audit)[4].personal_data_processed);
  for (const auto& a : *audit) EXPECT_EQ(a.outcome, "completed");

  auto may = orchestrator_->MayPublish(tenant_, post);
  ASSERT_TRUE(may);
  EXPECT_TRUE(*may);
  PostSnapshot edited = post;
  edited.content += "<p>Nova frase.</p>";
  EXPECT_FALSE(*orchestrator_->MayPublish(tenant_, edited));
  // Another practice sees nothing.
  auto foreign = orchestrator_->Get(other_tenant_, run->id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code(), "pipeline_run_not_found");
}

TEST_P(PipelineTest, BlockingFindingStopsTheRun) {
  const PostSnapshot post = Post("<p>Tratamento com cura garantida em uma sessão.</p>");
  auto run = orchestrator_->Start(tenant_, post, std::nullopt);
  ASSERT_TRUE(run);
  auto r = orchestrator_->Get(tenant_, run->id);
  EXPECT_EQ(r->status, "blocked");
  EXPECT_THAT(Statuses(*r), ElementsAre("completed", "failed", "pending", "pending", "pending"));
  EXPECT_EQ(r->steps[1].error_code, "blocked");
  EXPECT_EQ((*r->steps[1].output)["findings"][0]["rule"], "GAR-01");
  auto audit = orchestrator_->Audit(tenant_, run->id);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[1].outcome, "blocked");
  EXPECT_FALSE((*audit)[1].medical_validation_passed);
  EXPECT_FALSE(*orchestrator_->MayPublish(tenant_, post));
}

TEST_P(PipelineTest, ReviewFindingsWaitForAReviewer) {
  const PostSnapshot post = Post("<p>Estudos mostram que caminhar reduz a pressão.</p>");
  auto run = orchestrator_->Start(tenant_, post, std::nullopt);
  ASSERT_TRUE(run);
  auto r = orchestrator_->Get(tenant_, run->id);
  EXPECT_EQ(r->status, "needs_approval") << RunToJson(*r, true).dump();
  EXPECT_EQ(r->steps[1].status, "needs_approval");

  // Only the waiting step can be decided.
  auto wrong = orchestrator_->Decide(tenant_, run->id, "s1.3", reviewers_[0], true, "");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), "pipeline_step_not_awaiting_approval");

  auto approved =
      orchestrator_->Decide(tenant_, run->id, "s1.2", reviewers_[0], true, "fonte verificada");
  ASSERT_TRUE(approved) << approved.error().ToLogString();
  EXPECT_EQ(approved->steps[1].decision, "approved");
  EXPECT_EQ(approved->steps[1].reviewer_id, reviewers_[0]);
  // S.1.4 asks the legal reviewer too (a review finding is on its checklist).
  EXPECT_EQ(approved->status, "needs_approval");
  EXPECT_EQ(approved->steps[3].status, "needs_approval");
  auto final_run = orchestrator_->Decide(tenant_, run->id, "s1.4", reviewers_[1], true, "");
  ASSERT_TRUE(final_run);
  EXPECT_EQ(final_run->status, "completed");
  EXPECT_TRUE(*orchestrator_->MayPublish(tenant_, post));
}

TEST_P(PipelineTest, RejectionEndsTheRun) {
  auto run = orchestrator_->Start(tenant_, Post("<p>Estudos mostram isso.</p>"), std::nullopt);
  ASSERT_TRUE(run);
  auto rejected =
      orchestrator_->Decide(tenant_, run->id, "s1.2", reviewers_[0], false, "sem fonte");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_EQ(rejected->steps[1].status, "failed");
  EXPECT_EQ(rejected->steps[1].decision, "rejected");
  auto again = orchestrator_->Decide(tenant_, run->id, "s1.2", reviewers_[0], true, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), "pipeline_step_not_awaiting_approval");
}

TEST_P(PipelineTest, ResumesARunInterruptedMidStage) {
  // A run as a crash would leave it: running, with S.1.2 in flight.
  auto run = orchestrator_->Start(tenant_, Post("<p>Beba água.</p>"), std::nullopt);
  ASSERT_TRUE(run);
  pipeline::Run r = *orchestrator_->Get(tenant_, run->id);
  ASSERT_EQ(r.status, "completed");
  ASSERT_TRUE(orchestrator_->runs().UpdateRun(tenant_, r.id, "running", "", false));
  for (size_t i = 1; i < r.steps.size(); ++i) {
    r.steps[i].status = i == 1 ? "running" : "pending";
    r.steps[i].output.reset();
    ASSERT_TRUE(orchestrator_->runs().UpdateStep(tenant_, r.id, r.steps[i]));
  }
  // A new orchestrator (a restarted server) picks it up.
  Orchestrator restarted(db(), clock(), *registry_, Host(), {.threads = 1});
  std::vector<std::string> events;
  std::mutex mu;
  auto sub = restarted.Subscribe(r.id, [&](const RunEvent& e) {
    std::lock_guard lock(mu);
    events.push_back(e.type + ":" + e.stage + ":" + e.status);
  });
  auto n = restarted.ResumeUnfinished();
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 1);
  restarted.WaitIdle();
  auto after = restarted.Get(tenant_, r.id);
  EXPECT_EQ(after->status, "completed");
  EXPECT_EQ(after->steps[1].attempts, 2);
  std::lock_guard lock(mu);
  EXPECT_THAT(events, ElementsAre("step_started:s1.2:running", "step_finished:s1.2:completed",
                                  "step_started:s1.3:running", "step_finished:s1.3:completed",
                                  "step_started:s1.4:running", "step_finished:s1.4:completed",
                                  "step_started:s1.5:running", "step_finished:s1.5:completed",
                                  "run_finished::completed"));
}

TEST_P(PipelineTest, OneActiveRunPerContent) {
  auto first = orchestrator_->Start(tenant_, Post("<p>Estudos mostram.</p>"), std::nullopt);
  ASSERT_TRUE(first);
  auto second = orchestrator_->Start(tenant_, Post("<p>Estudos mostram.</p>"), std::nullopt);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), "pipeline_run_active");
}

TEST_P(PipelineTest, MissingPhysicianBlocksAtS12) {
  ASSERT_TRUE(orchestrator_->settings().Put(tenant_, json::object()));
  auto run = orchestrator_->Start(tenant_, Post("<p>Beba água.</p>"), std::nullopt);
  auto r = orchestrator_->Get(tenant_, run->id);
  EXPECT_EQ(r->status, "blocked");
  EXPECT_EQ((*r->steps[1].output)["findings"][0]["rule"], "ID-01");
}

TEST_P(PipelineTest, SettingsAreValidated) {
  auto bad = orchestrator_->settings().Put(
      tenant_, {{"physician", {{"name", "X"}, {"crm", "12a"}, {"uf", "XX"}}},
                {"legal_review_threshold", 500},
                {"disclaimers", {"nope"}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), "validation_failed");
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields()) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("physician.crm", "physician.uf",
                                                      "disclaimers", "legal_review_threshold"));
}

TEST_P(PipelineTest, SettingsKeepWorkingHoursAndBranding) {
  auto saved = orchestrator_->settings().Put(
      tenant_,
      {{"working_hours",
        {{{"day", "mon"}, {"opens", "08:00"}, {"closes", "12:00"}},
         {{"day", "mon"}, {"opens", "14:00"}, {"closes", "18:30"}}}},
       {"branding", {{"primary_color", "#0B5CAD"}, {"tagline", "Cuidado perto de você"}}}});
  ASSERT_TRUE(saved) << saved.error().code();
  auto read = orchestrator_->settings().Get(tenant_);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["working_hours"].size(), 2u);
  EXPECT_EQ((*read)["working_hours"][1]["closes"], "18:30");
  EXPECT_EQ((*read)["branding"]["primary_color"], "#0B5CAD");
  EXPECT_EQ((*read)["branding"]["tagline"], "Cuidado perto de você");

  for (const json& hours :
       {json{{{"day", "mon"}, {"opens", "12:00"}, {"closes", "08:00"}}},
        json{{{"day", "monday"}, {"opens", "08:00"}, {"closes", "12:00"}}},
        json{{{"day", "tue"}, {"opens", "24:00"}, {"closes", "25:00"}}},
        json{{{"day", "tue"}, {"opens", "8h"}, {"closes", "12:00"}}}, json("08-18")}) {
    auto bad = orchestrator_->settings().Put(tenant_, {{"working_hours", hours}});
    ASSERT_FALSE(bad) << hours.dump();
    EXPECT_EQ(bad.error().code(), "validation_failed");
    ASSERT_FALSE(bad.error().fields().empty());
    EXPECT_EQ(bad.error().fields()[0].field, "working_hours") << hours.dump();
  }
  auto colour = orchestrator_->settings().Put(
      tenant_, {{"branding", {{"primary_color", "blue"}, {"tagline", std::string(201, 'x')}}}});
  ASSERT_FALSE(colour);
  std::vector<std::string> fields;
  for (const auto& f : colour.error().fields()) fields.push_back(f.field);
  EXPECT_THAT(fields,
              ::testing::UnorderedElementsAre("branding.primary_color", "branding.tagline"));
}

json EchoManifest(std::string name = "eco", std::string version = "1.0.0") {
  return {{"name", std::move(name)},
          {"version", std::move(version)},
          {"functions", {"echo", "greet"}},
          {"limits", {{"timeout_ms", 500}}},
          {"config", {{"greeting", "oi"}}}};
}

TEST_P(PipelineTest, RegistryUploadsValidatesAndServesPlugins) {
  const std::string wasm = ReadBytes(Builtin("echo.wasm"));
  auto rec = registry_->Upload(tenant_, wasm, EchoManifest(), std::nullopt);
  ASSERT_TRUE(rec) << rec.error().ToLogString();
  EXPECT_EQ(rec->sha256.size(), 64u);
  EXPECT_TRUE(rec->enabled);
  auto dup = registry_->Upload(tenant_, wasm, EchoManifest(), std::nullopt);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), "plugin_exists");

  auto loaded = registry_->Resolve(tenant_, "eco");
  ASSERT_TRUE(loaded) << loaded.error().ToLogString();
  auto out = Host().Call(*loaded, "greet", "x");
  ASSERT_TRUE(out) << out.error().ToLogString();
  EXPECT_EQ(out->output, R"({"greeting":"oi","input":"x"})");

  // Another practice does not see it; a disabled plugin does not resolve.
  EXPECT_EQ(registry_->Resolve(other_tenant_, "eco").error().code(), "plugin_not_found");
  ASSERT_TRUE(registry_->SetEnabled(tenant_, rec->id, false));
  EXPECT_EQ(registry_->Resolve(tenant_, "eco").error().code(), "plugin_not_found");

  auto list = registry_->List(tenant_);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u + plugins::BuiltinPlugins().size());
}

TEST_P(PipelineTest, RegistryRefusesBadModules) {
  const std::string echo = ReadBytes(Builtin("echo.wasm"));
  auto truncated =
      registry_->Upload(tenant_, echo.substr(0, echo.size() / 2), EchoManifest(), std::nullopt);
  EXPECT_EQ(truncated.error().code(), "plugin_module_invalid");
  auto ungranted = registry_->Upload(tenant_, ReadBytes(Builtin("ungranted.wasm")),
                                     {{"name", "scan"}, {"version", "1"}, {"functions", {"scan"}}},
                                     std::nullopt);
  EXPECT_EQ(ungranted.error().code(), "plugin_import_denied");
  auto mismatch = registry_->Upload(
      tenant_, echo, {{"name", "eco"}, {"version", "1"}, {"functions", {"nope"}}}, std::nullopt);
  EXPECT_EQ(mismatch.error().code(), "plugin_manifest_mismatch");
  auto reserved =
      registry_->Upload(tenant_, echo, EchoManifest("hcms-s12-medical-claims"), std::nullopt);
  EXPECT_EQ(reserved.error().code(), "plugin_exists");
  auto bad_manifest = registry_->Upload(tenant_, echo, {{"name", "Bad Name"}}, std::nullopt);
  EXPECT_EQ(bad_manifest.error().code(), "validation_failed");
  EXPECT_EQ(registry_->List(tenant_)->size(), plugins::BuiltinPlugins().size());
}

TEST_P(PipelineTest, AStageThatSpinsFailsTheRunWithATimeout) {
  // A practice swaps S.1.2 for its own plugin, which never returns.
  auto rec = registry_->Upload(tenant_, ReadBytes(Builtin("hostile.wasm")),
                               {{"name", "spinner"},
                                {"version", "1"},
                                {"functions", {"spin"}},
                                {"limits", {{"timeout_ms", 300}}}},
                               std::nullopt);
  ASSERT_TRUE(rec) << rec.error().ToLogString();
  auto settings = orchestrator_->settings().Get(tenant_);
  (*settings)["stages"] = {{"s1.2", "spinner"}};
  ASSERT_TRUE(orchestrator_->settings().Put(tenant_, *settings));
  auto run = orchestrator_->Start(tenant_, Post("<p>Beba água.</p>"), std::nullopt);
  ASSERT_TRUE(run);
  auto r = orchestrator_->Get(tenant_, run->id);
  EXPECT_EQ(r->status, "failed");
  EXPECT_EQ(r->error_code, "plugin_timeout");
  EXPECT_EQ(r->steps[1].plugin_name, "spinner");
  auto audit = orchestrator_->Audit(tenant_, run->id);
  EXPECT_EQ(audit->back().outcome, "failed:plugin_timeout");
}

HCMS_INSTANTIATE_BACKENDS(PipelineTest);

}  // namespace
}  // namespace hcms::pipeline
