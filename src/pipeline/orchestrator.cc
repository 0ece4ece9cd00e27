#include "pipeline/orchestrator.h"

#include <fmt/format.h>

#include "core/log.h"
#include "core/random.h"
#include "crypto/sha256.h"
#include "plugins/registry.h"

namespace hcms::pipeline {

namespace {

// The built-in plugin of each stage (settings "stages" may name another).
std::string_view DefaultPlugin(std::string_view stage) {
  if (stage == "s1.1") return "hcms-s11-personal-data";
  if (stage == "s1.2") return "hcms-s12-medical-claims";
  if (stage == "s1.3") return "hcms-s13-transform";
  if (stage == "s1.4") return "hcms-s14-legal-review";
  return "hcms-s15-packaging";
}

bool Finished(std::string_view status) {
  return status == "completed" || status == "blocked" || status == "failed" || status == "rejected";
}

}  // namespace

std::string ContentHash(const PostSnapshot& post) {
  crypto::Sha256Hasher h;
  h.Update(post.title);
  h.Update(std::string_view("\0", 1));
  h.Update(post.content);
  const auto d = h.Finish();
  return HexEncode(d);
}

nlohmann::json RunEvent::ToJson() const {
  nlohmann::json j = {{"type", type}, {"run_id", run_id}, {"status", status}};
  if (!stage.empty()) j["stage"] = stage;
  return j;
}

Orchestrator::Orchestrator(store::Database& db, const Clock& clock,
                           plugins::PluginRegistry& registry, plugins::PluginHost& host,
                           OrchestratorOptions options)
    : db_(db),
      clock_(clock),
      registry_(registry),
      host_(host),
      options_(options),
      settings_(db, clock),
      runs_(db, clock) {
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

Orchestrator::Health Orchestrator::CheckHealth() {
  std::lock_guard lock(mu_);
  return {.threads = static_cast<int>(threads_.size()),
          .stopping = stopping_,
          .queued = queue_.size(),
          .advancing = busy_};
}

Orchestrator::~Orchestrator() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

Orchestrator::Subscription::~Subscription() {
  std::lock_guard lock(o_->listeners_mu_);
  o_->listeners_.erase(id_);
}

std::unique_ptr<Orchestrator::Subscription> Orchestrator::Subscribe(std::string run_id,
                                                                    EventListener listener) {
  std::lock_guard lock(listeners_mu_);
  const uint64_t id = next_listener_++;
  listeners_.emplace(id, std::make_pair(std::move(run_id), std::move(listener)));
  return std::make_unique<Subscription>(this, id);
}

void Orchestrator::Emit(const RunEvent& e) {
  std::lock_guard lock(listeners_mu_);
  for (const auto& [id, entry] : listeners_) {
    if (entry.first.empty() || entry.first == e.run_id) entry.second(e);
  }
}

std::string Orchestrator::PluginFor(const nlohmann::json& settings, std::string_view stage) const {
  if (auto s = settings.find("stages"); s != settings.end() && s->is_object()) {
    if (auto p = s->find(std::string(stage)); p != s->end() && p->is_string()) {
      return p->get<std::string>();
    }
  }
  return std::string(DefaultPlugin(stage));
}

Result<Run> Orchestrator::Start(int64_t tenant_id, const PostSnapshot& post,
                                std::optional<int64_t> user_id) {
  HCMS_TRY(nlohmann::json settings, settings_.Get(tenant_id));
  const std::string hash = ContentHash(post);
  HCMS_TRY(auto existing, runs_.ListForPost(tenant_id, post.post_id));
  for (const auto& r : existing) {
    if (r.content_sha256 == hash && !Finished(r.status)) {
      return std::unexpected(Error(ErrorKind::kFailedPrecondition, "pipeline_run_active",
                                   "Já existe uma execução em andamento para este conteúdo."));
    }
  }
  Run run;
  run.id = NewUuidV7(clock_.Now());
  run.tenant_id = tenant_id;
  run.post_id = post.post_id;
  run.revision_id = post.revision_id;
  run.content_sha256 = hash;
  run.status = "pending";
  run.created_by = user_id;
  run.created_at = run.updated_at = FormatTimestamp(clock_.Now());
  nlohmann::json practice = settings;
  practice.erase("stages");
  run.document = {{"post",
                   {{"id", post.post_id},
                    {"revision", post.revision_id ? nlohmann::json(*post.revision_id) : nullptr},
                    {"title", post.title},
                    {"content", post.content},
                    {"excerpt", post.excerpt},
                    {"slug", post.slug},
                    {"url", post.url},
                    {"language", post.language},
                    {"published_at", post.published_at},
                    {"modified_at", post.modified_at}}},
                  {"practice", practice}};
  int position = 0;
  for (std::string_view stage : kStages) {
    Step s;
    s.stage = stage;
    s.position = position++;
    s.plugin_name = PluginFor(settings, stage);
    s.plugin_version = "";
    run.steps.push_back(std::move(s));
  }
  HCMS_CHECK(runs_.Create(run));
  log::Info("pipeline_run_created",
            {{"tenant_id", tenant_id}, {"run_id", run.id}, {"post_id", post.post_id}});
  Emit({run.id, tenant_id, "run_started", "", "pending"});
  Schedule(tenant_id, run.id);
  return runs_.Get(tenant_id, run.id);
}

Result<Run> Orchestrator::Decide(int64_t tenant_id, std::string_view run_id, std::string_view stage,
                                 int64_t reviewer_id, bool approve, std::string note) {
  HCMS_TRY(Run run, runs_.Get(tenant_id, run_id));
  Step* step = nullptr;
  for (auto& s : run.steps) {
    if (s.stage == stage) step = &s;
  }
  if (step == nullptr) {
    return std::unexpected(Error(ErrorKind::kNotFound, "pipeline_step_not_found",
                                 "Etapa do pipeline não encontrada."));
  }
  if (run.status != "needs_approval" || step->status != "needs_approval") {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition,
                                 "pipeline_step_not_awaiting_approval",
                                 "Esta etapa não está aguardando aprovação."));
  }
  // Claim the run first, so two reviewers cannot both decide.
  HCMS_TRY(bool claimed, runs_.TransitionRun(tenant_id, run_id, "needs_approval",
                                             approve ? "running" : "rejected"));
  if (!claimed) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition,
                                 "pipeline_step_not_awaiting_approval",
                                 "Esta etapa não está aguardando aprovação."));
  }
  step->status = approve ? "completed" : "failed";
  step->reviewer_id = reviewer_id;
  step->decision = approve ? "approved" : "rejected";
  step->decision_note = note.substr(0, 2000);
  step->decided_at = FormatTimestamp(clock_.Now());
  HCMS_CHECK(runs_.UpdateStep(tenant_id, run_id, *step));
  log::Info("pipeline_step_decided", {{"tenant_id", tenant_id},
                                      {"run_id", std::string(run_id)},
                                      {"stage", std::string(stage)},
                                      {"reviewer_id", reviewer_id},
                                      {"decision", step->decision}});
  Emit({std::string(run_id), tenant_id, "step_finished", std::string(stage), step->status});
  if (approve) {
    Schedule(tenant_id, std::string(run_id));
  } else {
    HCMS_CHECK(runs_.UpdateRun(tenant_id, run_id, "rejected", "rejected_by_reviewer", true));
    Emit({std::string(run_id), tenant_id, "run_finished", "", "rejected"});
  }
  return runs_.Get(tenant_id, run_id);
}

Result<Run> Orchestrator::Get(int64_t tenant_id, std::string_view run_id) {
  return runs_.Get(tenant_id, run_id);
}

Result<std::vector<Run>> Orchestrator::List(int64_t tenant_id, std::string_view status, int limit) {
  return runs_.List(tenant_id, status, limit);
}

Result<std::vector<AuditRow>> Orchestrator::Audit(int64_t tenant_id, std::string_view run_id) {
  HCMS_TRY(auto run, runs_.Get(tenant_id, run_id));
  (void)run;
  return runs_.AuditForRun(tenant_id, run_id);
}

Result<bool> Orchestrator::MayPublish(int64_t tenant_id, const PostSnapshot& post) {
  return runs_.HasCompletedRun(tenant_id, post.post_id, ContentHash(post));
}

Result<int> Orchestrator::ResumeUnfinished() {
  HCMS_TRY(auto unfinished, runs_.Unfinished());
  for (auto& [tenant, id] : unfinished) Schedule(tenant, id);
  if (!unfinished.empty()) {
    log::Info("pipeline_runs_resumed", {{"count", static_cast<int64_t>(unfinished.size())}});
  }
  return static_cast<int>(unfinished.size());
}

void Orchestrator::Schedule(int64_t tenant_id, std::string run_id) {
  if (options_.threads == 0) {
    Advance(tenant_id, run_id);
    return;
  }
  {
    std::lock_guard lock(mu_);
    Key k{tenant_id, std::move(run_id)};
    if (!active_.insert(k).second) return;  // already queued or advancing
    queue_.push_back(std::move(k));
  }
  cv_.notify_one();
}

void Orchestrator::WorkerLoop() {
  for (;;) {
    Key k;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      k = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    Advance(k.tenant_id, k.run_id);
    {
      std::lock_guard lock(mu_);
      active_.erase(k);
      --busy_;
    }
    idle_cv_.notify_all();
  }
}

void Orchestrator::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
}

void Orchestrator::Advance(int64_t tenant_id, const std::string& run_id) {
  auto loaded = runs_.Get(tenant_id, run_id);
  if (!loaded) {
    log::Error("pipeline_run_load_failed",
               {{"run_id", run_id}, {"error", loaded.error().ToLogString()}});
    return;
  }
  Run run = std::move(*loaded);
  if (run.status != "pending" && run.status != "running") return;
  if (run.status == "pending") {
    if (auto s = runs_.UpdateRun(tenant_id, run_id, "running", "", false); !s) return;
    run.status = "running";
  }
  for (size_t i = 0; i < run.steps.size(); ++i) {
    if (run.steps[i].status == "completed") continue;
    if (!RunStage(run, i)) return;
  }
  if (auto s = runs_.UpdateRun(tenant_id, run_id, "completed", "", true); !s) return;
  log::Info("pipeline_run_completed", {{"tenant_id", tenant_id}, {"run_id", run_id}});
  Emit({run_id, tenant_id, "run_finished", "", "completed"});
}

bool Orchestrator::RunStage(Run& run, size_t index) {
  Step& step = run.steps[index];
  const int64_t tenant = run.tenant_id;
  auto fail_run = [&](std::string_view status, std::string_view code) {
    (void)runs_.UpdateRun(tenant, run.id, status, code, true);
    Emit({run.id, tenant, "run_finished", "", std::string(status)});
    log::Info("pipeline_run_stopped", {{"tenant_id", tenant},
                                       {"run_id", run.id},
                                       {"stage", step.stage},
                                       {"status", std::string(status)},
                                       {"code", std::string(code)}});
    return false;
  };

  // The input: the snapshot plus every earlier stage's output.
  nlohmann::json input = run.document;
  input["previous"] = nlohmann::json::object();
  for (size_t j = 0; j < index; ++j) {
    if (run.steps[j].output) input["previous"][run.steps[j].stage] = *run.steps[j].output;
  }
  const std::string input_text = input.dump();

  auto plugin = registry_.Resolve(tenant, step.plugin_name);
  const plugins::BuiltinPlugin* builtin = nullptr;
  for (const auto& b : plugins::BuiltinPlugins()) {
    if (b.name == step.plugin_name) builtin = &b;
  }
  std::string function = builtin ? std::string(builtin->function) : std::string();
  if (plugin && function.empty()) {
    // An uploaded plugin runs its first listed function.
    auto recs = registry_.List(tenant);
    if (recs) {
      for (const auto& r : *recs) {
        if (r.manifest.name == step.plugin_name && r.sha256 == plugin->key &&
            !r.manifest.functions.empty()) {
          function = r.manifest.functions.front();
          step.plugin_version = r.manifest.version;
        }
      }
    }
  }
  if (builtin) step.plugin_version = "1.0.0";

  step.status = "running";
  step.attempts += 1;
  step.started_at = FormatTimestamp(clock_.Now());
  step.finished_at.clear();
  step.error_code.clear();
  if (auto s = runs_.UpdateStep(tenant, run.id, step); !s) return false;
  Emit({run.id, tenant, "step_started", step.stage, "running"});

  const auto t0 = std::chrono::steady_clock::now();
  Result<plugins::PluginCallResult> result =
      plugin ? host_.Call(*plugin, function, input_text)
             : Result<plugins::PluginCallResult>(std::unexpected(plugin.error()));
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();

  AuditRow audit;
  audit.id = NewUuidV7(clock_.Now());
  audit.tenant_id = tenant;
  audit.run_id = run.id;
  audit.post_id = run.post_id;
  audit.stage = step.stage;
  audit.component = step.plugin_name + "@" + step.plugin_version;
  audit.input_sha256 = crypto::Sha256Hex(input_text);
  audit.processing_time_ms = ms;
  audit.created_at = FormatTimestamp(clock_.Now());
  // Flags carried from S.1.1 and S.1.2 (for later stages too).
  auto flag = [&](std::string_view stage, const char* key, const nlohmann::json* current) {
    const nlohmann::json* src = current;
    if (src == nullptr) {
      for (const auto& s : run.steps) {
        if (s.stage == stage && s.output) src = &*s.output;
      }
    }
    return src != nullptr && src->value(key, false);
  };

  std::optional<nlohmann::json> output;
  std::string code;
  if (result) {
    auto parsed = nlohmann::json::parse(result->output, nullptr, false);
    if (parsed.is_object() && parsed.contains("status")) {
      output = std::move(parsed);
    } else {
      code = "plugin_output_invalid";
    }
    audit.output_sha256 = crypto::Sha256Hex(result->output);
  } else {
    code = result.error().code();
    audit.output_sha256 = crypto::Sha256Hex("");
    log::Warn("pipeline_stage_error", {{"tenant_id", tenant},
                                       {"run_id", run.id},
                                       {"stage", step.stage},
                                       {"error", result.error().ToLogString()}});
  }
  const nlohmann::json* out_ptr = output ? &*output : nullptr;
  audit.personal_data_processed =
      flag("s1.1", "personal_data_processed", step.stage == "s1.1" ? out_ptr : nullptr);
  audit.lgpd_compliance_verified =
      flag("s1.1", "lgpd_compliance_verified", step.stage == "s1.1" ? out_ptr : nullptr);
  audit.medical_validation_passed =
      flag("s1.2", "medical_validation_passed", step.stage == "s1.2" ? out_ptr : nullptr);

  step.finished_at = FormatTimestamp(clock_.Now());
  step.output = output;
  std::string verdict = output ? output->value("status", "") : "";
  if (!output) {
    step.status = "failed";
    step.error_code = code;
    audit.outcome = "failed:" + code;
  } else if (verdict == "pass") {
    step.status = "completed";
    audit.outcome = "completed";
  } else if (verdict == "needs_review") {
    step.status = "needs_approval";
    audit.outcome = "needs_approval";
  } else {
    step.status = "failed";
    step.error_code = verdict == "block" ? "blocked" : "plugin_output_invalid";
    audit.outcome = verdict == "block" ? "blocked" : "failed:plugin_output_invalid";
  }
  if (auto s = runs_.InsertAudit(audit); !s) {
    log::Error("pipeline_audit_failed", {{"run_id", run.id}, {"error", s.error().ToLogString()}});
    return false;
  }
  if (auto s = runs_.UpdateStep(tenant, run.id, step); !s) return false;
  Emit({run.id, tenant, "step_finished", step.stage, step.status});

  if (step.status == "completed") return true;
  if (step.status == "needs_approval") {
    (void)runs_.UpdateRun(tenant, run.id, "needs_approval", "", false);
    Emit({run.id, tenant, "run_finished", "", "needs_approval"});
    return false;
  }
  if (step.error_code == "blocked") return fail_run("blocked", "blocked");
  return fail_run("failed", step.error_code);
}

}  // namespace hcms::pipeline
