// The connection that makes the product's promise true, through the real binary on
// both databases: nothing is published without a completed pipeline run of the
// post's current revision and without handling its sensitive personal data, on
// every path (native transitions, scheduling, /wp-json); what readers get is the
// pipeline's package, with the mandatory disclaimers.

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class PublicationGateTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  // Signed in with MFA from a known device: the trust score publishing needs.
  std::string Strong(const std::string& tenant, const std::string& role) {
    if (!env().totp_secrets.contains(tenant + "/" + role)) env().EnableMfa(tenant, role);
    env().Login(tenant, role);  // the device becomes known
    return env().Login(tenant, role).access;
  }
  HttpResponse Call(std::string_view method, std::string_view target, const json& body,
                    const std::string& token, const std::string& host = "a.test") {
    return env().Call(method, target, body.is_null() ? "" : body.dump(),
                      {.token = token, .host = host});
  }
  json WaitRun(const std::string& id, const std::string& token) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    json run;
    while (std::chrono::steady_clock::now() < deadline) {
      run = Json(Call("GET", "/api/v1/pipeline/runs/" + id, nullptr, token));
      const std::string status = run.value("status", "");
      if (status != "pending" && status != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return run;
  }
  // Starts a run of the stored post and waits for it to stop; approves every stage
  // waiting for a reviewer when `reviewer` is given.
  json RunPipeline(const std::string& post, const std::string& author,
                   const std::string& reviewer = {}) {
    auto started = Call("POST", post + "/pipeline", json::object(), author);
    EXPECT_EQ(started.status, 202) << started.body;
    const std::string id = Json(started).value("id", "");
    json run = WaitRun(id, author);
    for (int i = 0; i < 5 && !reviewer.empty() && run.value("status", "") == "needs_approval";
         ++i) {
      for (const auto& step : run["steps"]) {
        if (step["status"] != "needs_approval") continue;
        auto ok = Call("POST",
                       "/api/v1/pipeline/runs/" + id + "/steps/" +
                           step["stage"].get<std::string>() + "/approve",
                       json::object(), reviewer);
        EXPECT_EQ(ok.status, 200) << ok.body;
      }
      run = WaitRun(id, author);
    }
    return run;
  }
  void Approve(const std::string& post, const std::string& reviewer) {
    auto r = Call("POST", post + "/approve", json::object(), reviewer);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // The refusal of a publication: 409 problem+json, the code, and the reason field.
  static void ExpectRefused(const HttpResponse& r, const std::string& code,
                            const std::string& reason = {}) {
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_THAT(r.Header("content-type"), HasSubstr("application/problem+json"));
    const json j = Json(r);
    EXPECT_EQ(j.value("code", ""), code) << r.body;
    if (!reason.empty()) {
      ASSERT_TRUE(j.contains("errors")) << r.body;
      EXPECT_EQ(j["errors"][0]["field"], "pipeline");
      EXPECT_EQ(j["errors"][0]["code"], reason) << r.body;
    }
  }
};

TEST_P(PublicationGateTest, PublishingNeedsACompletedRunOfTheCurrentRevision) {
  const std::string admin = Strong("a", "practice_admin");
  ASSERT_EQ(Call("PUT", "/api/v1/pipeline/settings",
                 {{"physician", {{"name", "Ana Souza"}, {"crm", "123456"}, {"uf", "SP"}}},
                  {"disclaimers", {"informative", "emergency"}}},
                 admin)
                .status,
            200);
  const std::string doctor = Strong("a", "doctor");
  const std::string reviewer = env().Login("a", "reviewer").access;

  auto created = Call("POST", "/api/v1/posts",
                      {{"title", "Pressão alta tem solução"},
                       {"content", "<p>Tratamento com cura garantida em 30 dias.</p>"}},
                      doctor);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = Json(created)["id"];
  const std::string post = "/api/v1/posts/" + std::to_string(id);
  ASSERT_EQ(Call("POST", post + "/submit", json::object(), doctor).status, 200);
  Approve(post, reviewer);

  // No run: refused, pt-BR detail first.
  auto none = Call("POST", post + "/publish", json::object(), doctor);
  ExpectRefused(none, "pipeline_required", "no_run");
  EXPECT_THAT(Json(none).value("detail", ""), HasSubstr("pipeline"));

  // Runs are of the stored post: text in the request is refused, another practice's
  // post is not found.
  auto text = Call("POST", "/api/v1/pipeline/runs",
                   {{"post_id", id}, {"content", "<p>Outro texto.</p>"}}, doctor);
  EXPECT_EQ(text.status, 422) << text.body;
  EXPECT_EQ(Json(text)["errors"][0]["code"], "not_accepted");
  auto foreign =
      Call("POST", post + "/pipeline", json::object(), env().Login("b", "editor").access, "b.test");
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  EXPECT_EQ(Json(foreign)["code"], "post_not_found");
  EXPECT_EQ(Call("POST", "/api/v1/posts/99999999/pipeline", json::object(), doctor).status, 404);

  // The claim blocks the run; the blocked run does not unlock publishing.
  json run = RunPipeline(post, doctor);
  ASSERT_EQ(run["status"], "blocked") << run.dump();
  EXPECT_EQ(run["revision_id"].is_number_integer(), true) << run.dump();
  ExpectRefused(Call("POST", post + "/publish", json::object(), doctor), "pipeline_required",
                "run_not_completed");

  // Fixed text (back to review), a new run approved by the reviewer, publish.
  auto fixed =
      Call("PATCH", post,
           {{"content", "<p>Estudos mostram que caminhar reduz a pressão arterial.</p>"}}, doctor);
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(Json(fixed)["status"], "pending");
  run = RunPipeline(post, doctor, reviewer);
  ASSERT_EQ(run["status"], "completed") << run.dump();
  auto standing = Json(Call("GET", post + "/compliance", nullptr, doctor));
  EXPECT_EQ(standing["pipeline"]["publishable"], true) << standing.dump();
  Approve(post, reviewer);
  auto published = Call("POST", post + "/publish", json::object(), doctor);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(Json(published)["status"], "publish");

  // Readers get the package: the S.1.3 disclaimers and the responsible physician,
  // never the blocked claim. Same on the public site, the native API and /wp-json.
  auto wp = env().Call("GET", "/wp-json/wp/v2/posts/" + std::to_string(id));
  ASSERT_EQ(wp.status, 200) << wp.body;
  const json wpj = Json(wp);
  EXPECT_THAT(wpj["content"]["rendered"].get<std::string>(), HasSubstr("caráter"));
  const std::string link = wpj["link"];
  const std::string path = link.substr(link.find('/', link.find("//") + 2));
  auto page = env().Call("GET", path);
  ASSERT_EQ(page.status, 200) << path;
  EXPECT_THAT(page.body, HasSubstr("Pressão alta tem solução"));
  EXPECT_THAT(page.body, HasSubstr("exclusivamente informativo"));
  EXPECT_THAT(page.body, HasSubstr("Ana Souza"));
  EXPECT_THAT(page.body, HasSubstr("caminhar reduz"));
  EXPECT_THAT(page.body, Not(HasSubstr("cura garantida")));
  auto native = Json(env().Call("GET", post));
  EXPECT_THAT(native["content_html"].get<std::string>(), HasSubstr("exclusivamente informativo"));

  // An edit is a new revision: the post goes back to review and off the site, and the
  // old run no longer counts, on every path to "publish".
  auto edited =
      Call("PATCH", post, {{"content", "<p>Caminhar 30 minutos reduz a pressão.</p>"}}, doctor);
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Json(edited)["status"], "pending");
  EXPECT_EQ(env().Call("GET", path).status, 404);
  Approve(post, reviewer);
  ExpectRefused(Call("POST", post + "/publish", json::object(), doctor), "pipeline_required",
                "stale_run");
  ExpectRefused(Call("POST", post + "/schedule", {{"date_gmt", "2099-01-01T10:00:00Z"}}, doctor),
                "pipeline_required", "stale_run");
  auto wp_publish =
      Call("POST", "/wp-json/wp/v2/posts/" + std::to_string(id), {{"status", "publish"}}, doctor);
  EXPECT_EQ(wp_publish.status, 409) << wp_publish.body;
  EXPECT_EQ(Json(wp_publish).value("code", ""), "rest_conflict");  // WordPress's shape
  EXPECT_THAT(wp_publish.body, HasSubstr("pipeline_required"));
  standing = Json(Call("GET", post + "/compliance", nullptr, doctor));
  EXPECT_EQ(standing["pipeline"]["reason"], "stale_run") << standing.dump();

  // A new run of the new revision unlocks it again.
  run = RunPipeline(post, doctor, reviewer);
  ASSERT_EQ(run["status"], "completed") << run.dump();
  ASSERT_EQ(Call("POST", post + "/publish", json::object(), doctor).status, 200);
  page = env().Call("GET", path);
  EXPECT_THAT(page.body, HasSubstr("Caminhar 30 minutos"));
}

TEST_P(PublicationGateTest, SensitiveDataBlocksUntilHandledAndIsSummarisedWithoutValues) {
  const std::string doctor = Strong("a", "doctor");
  const std::string reviewer = env().Login("a", "reviewer").access;
  const std::string cpf = "529.982.247-25";
  auto created = Call("POST", "/api/v1/posts",
                      {{"title", "Relato de caso"},
                       {"content", "<p>A paciente Maria Aparecida Santos, CPF " + cpf +
                                       ", foi diagnosticada com depressão (CID F32.1).</p>"}},
                      doctor);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = Json(created)["id"];
  const std::string post = "/api/v1/posts/" + std::to_string(id);
  // The save answers with what the detector found, so the editor can warn: types and
  // counts, never the values.
  const json saved_pd = Json(created)["personal_data"];
  EXPECT_TRUE(saved_pd.value("flagged", false)) << saved_pd.dump();
  EXPECT_EQ(saved_pd["types"].value("cpf", 0), 1) << saved_pd.dump();
  EXPECT_THAT(saved_pd.dump(), Not(HasSubstr(cpf)));

  // Saved drafts are summarised for the dashboard: types and counts, no values.
  auto alerts = Call("GET", "/api/v1/compliance/alerts", nullptr, reviewer);
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  EXPECT_THAT(alerts.body, Not(HasSubstr(cpf)));
  EXPECT_THAT(alerts.body, Not(HasSubstr("52998224725")));
  bool listed = false;
  const json items = Json(alerts)["items"];
  for (const auto& a : items) {
    if (a["post_id"] == id) {
      listed = true;
      EXPECT_EQ(a["types"].value("cpf", 0), 1) << a.dump();
    }
  }
  EXPECT_TRUE(listed) << alerts.body;
  auto standing = Call("GET", post + "/compliance", nullptr, doctor);
  ASSERT_EQ(standing.status, 200) << standing.body;
  EXPECT_EQ(Json(standing)["personal_data"]["types"].value("cpf", 0), 1);
  EXPECT_THAT(standing.body, Not(HasSubstr(cpf)));
  EXPECT_EQ(env().Call("GET", "/api/v1/compliance/alerts").status, 401);

  ASSERT_EQ(Call("POST", post + "/submit", json::object(), doctor).status, 200);
  Approve(post, reviewer);
  auto refused = Call("POST", post + "/publish", json::object(), doctor);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Json(refused)["code"], "sensitive_data_unhandled");
  EXPECT_THAT(refused.body, Not(HasSubstr(cpf)));

  // A reviewer records an Art. 11 basis; bases that do not cover sensitive data and
  // unknown types are refused; then only the pipeline is missing.
  auto wrong = Call("POST", post + "/legal-bases", {{"basis", "interesse_legitimo"}}, reviewer);
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(Json(wrong)["errors"][0]["code"], "not_allowed_for_sensitive");
  auto unknown =
      Call("POST", post + "/legal-bases", {{"basis", "consentimento"}, {"type", "dna"}}, reviewer);
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  EXPECT_EQ(Call("POST", post + "/legal-bases", {{"basis", "consentimento"}},
                 env().Login("a", "contributor").access)
                .status,
            403);
  auto basis = Call("POST", post + "/legal-bases", {{"basis", "consentimento"}}, reviewer);
  ASSERT_EQ(basis.status, 201) << basis.body;
  ExpectRefused(Call("POST", post + "/publish", json::object(), doctor), "pipeline_required",
                "no_run");

  // Anonymised text leaves the alerts.
  auto clean =
      Call("PATCH", post, {{"content", "<p>Relato anonimizado de depressão.</p>"}}, doctor);
  ASSERT_EQ(clean.status, 200) << clean.body;
  EXPECT_FALSE(Json(clean)["personal_data"].value("flagged", true)) << clean.body;
  const json after = Json(Call("GET", "/api/v1/compliance/alerts", nullptr, reviewer))["items"];
  for (const auto& a : after) EXPECT_NE(a["post_id"], id) << a.dump();
}

HCMS_INSTANTIATE_BACKENDS(PublicationGateTest);

}  // namespace
}  // namespace hcms::testing
