// The LGPD routes through the real server (authenticated, policy-checked API layer),
// on SQLite and PostgreSQL: detector, operators, data subjects, consents, requests,
// ROPA and retention. Every bad input answers problem+json with a stable code.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"

namespace hcms::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LgpdApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  // A session strong enough for patient data (password + TOTP).
  std::string AdminToken(const std::string& tenant = "a") {
    env().EnableMfa(tenant, "practice_admin");
    return env().Login(tenant, "practice_admin").access;
  }
  HttpResponse Post(const std::string& path, const nlohmann::json& body, const std::string& token,
                    const std::string& host = "a.test") {
    return env().Call("POST", path, body.dump(), {.token = token, .host = host});
  }
  HttpResponse Get(const std::string& path, const std::string& token,
                   const std::string& host = "a.test") {
    return env().Call("GET", path, {}, {.token = token, .host = host});
  }
  static void ExpectProblem(const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_THAT(r.Header("content-type"), HasSubstr("application/problem+json"));
    if (status == 403) {  // the PEP's denials: code "forbidden" and the reason
      EXPECT_EQ(Json(r)["code"], "forbidden") << r.body;
      EXPECT_EQ(Json(r)["reason"], code) << r.body;
    } else {
      EXPECT_EQ(Json(r)["code"], code) << r.body;
    }
  }
};

const char* kDraft =
    "Relato: a paciente Maria Souza, CPF 529.982.247-25, tel (11) 98765-4321, com CID F41.1. "
    "Dra. Ana Lima, CRM-SP 123456.";

TEST_P(LgpdApiTest, AnalyzeReturnsDetectionsRiskAndRecommendations) {
  const std::string token = env().Login("a", "contributor").access;
  auto r = Post("/api/v1/lgpd/analyze", {{"content", kDraft}}, token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Json(r);
  EXPECT_EQ(j["status"], "critico");
  EXPECT_EQ(j["linked_person"], true);
  std::vector<std::string> types;
  for (const auto& d : j["detections"]) types.push_back(d["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"person_name", "cpf", "phone", "cid10", "person_name",
                                             "crm"}));
  EXPECT_EQ(j["detections"][0]["start"], 19);  // code points
  EXPECT_EQ(j["detections"][0]["end"], 30);
  EXPECT_EQ(j["detections"][5]["professional"], true);
  EXPECT_THAT(j["recommendations"][0]["text"].get<std::string>(), HasSubstr("LGPD art. 11"));
  // The answer does not echo the personal data it found.
  EXPECT_THAT(r.body, Not(HasSubstr("529.982")));
  // English on request.
  auto en = env().Call("POST", "/api/v1/lgpd/analyze", nlohmann::json{{"content", kDraft}}.dump(),
                       {.token = token, .extra_headers = "Accept-Language: en\r\n"});
  EXPECT_THAT(Json(en)["recommendations"][0]["text"].get<std::string>(),
              HasSubstr("Health data linked"));
  // Filters.
  auto only = Post("/api/v1/lgpd/analyze",
                   {{"content", kDraft}, {"types", {"phone"}}, {"min_confidence", 0.9}}, token);
  ASSERT_EQ(only.status, 200);
  EXPECT_EQ(Json(only)["detections"].size(), 1u);
}

TEST_P(LgpdApiTest, AnalyzeRejectsBadInput) {
  const std::string token = env().Login("a", "editor").access;
  ExpectProblem(Post("/api/v1/lgpd/analyze", nlohmann::json::object(), token), 422,
                "validation_failed");
  ExpectProblem(Post("/api/v1/lgpd/analyze", {{"content", 42}}, token), 422, "validation_failed");
  ExpectProblem(Post("/api/v1/lgpd/analyze", {{"content", "x"}, {"types", {"passport"}}}, token),
                422, "validation_failed");
  ExpectProblem(Post("/api/v1/lgpd/analyze", {{"content", "x"}, {"min_confidence", 2}}, token), 422,
                "validation_failed");
  ExpectProblem(
      env().Call("POST", "/api/v1/lgpd/analyze", "{\"content\": \"\xC3\x28\"}", {.token = token}),
      400, "invalid_json");
  ExpectProblem(env().Call("POST", "/api/v1/lgpd/analyze", "content=x",
                           {.token = token, .content_type = "text/plain"}),
                415, "unsupported_media_type");
  // Authentication and permission come first.
  ExpectProblem(Post("/api/v1/lgpd/analyze", {{"content", "x"}}, ""), 401, "unauthenticated");
  ExpectProblem(Post("/api/v1/lgpd/analyze", {{"content", "x"}}, env().Login("a", "reader").access),
                403, "role_not_permitted");
}

TEST_P(LgpdApiTest, AnonymizeAppliesOperatorsPerTypeWithTenantKeys) {
  const std::string token = env().Login("a", "editor").access;
  nlohmann::json body = {{"content", kDraft},
                         {"operators",
                          {{"cpf", "pseudonymize"},
                           {"phone", {{"operator", "mask"}, {"keep_last", 2}}},
                           {"person_name", "replace"},
                           {"cid10", "encrypt"}}}};
  auto r = Post("/api/v1/lgpd/anonymize", body, token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Json(r);
  const std::string out = j["content"];
  EXPECT_THAT(out, HasSubstr("a paciente <NOME>, CPF <CPF_"));
  EXPECT_THAT(out, HasSubstr("tel (**) *****-**21"));
  EXPECT_THAT(out, HasSubstr("com CID <ENC:cid10:"));
  EXPECT_THAT(out, HasSubstr("Dra. Ana Lima, CRM-SP 123456."));  // byline kept
  EXPECT_THAT(out, Not(HasSubstr("529.982")));
  EXPECT_EQ(j["applied"].size(), 4u);
  // Pseudonyms are stable across documents of a practice and differ between practices.
  const size_t at = out.find("<CPF_");
  const std::string pseudonym = out.substr(at, out.find('>', at) - at + 1);
  auto again =
      Post("/api/v1/lgpd/anonymize",
           {{"content", "CPF 52998224725"}, {"operators", {{"cpf", "pseudonymize"}}}}, token);
  EXPECT_EQ(Json(again)["content"], "CPF " + pseudonym);
  auto other = Post("/api/v1/lgpd/anonymize",
                    {{"content", "CPF 52998224725"}, {"operators", {{"cpf", "pseudonymize"}}}},
                    env().Login("b", "editor").access, "b.test");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_NE(Json(other)["content"], "CPF " + pseudonym);
  // Unkeyed hashing is not an operator; unknown types and operators are 422.
  auto hash = Post("/api/v1/lgpd/anonymize",
                   {{"content", kDraft}, {"operators", {{"cpf", "hash"}}}}, token);
  ExpectProblem(hash, 422, "validation_failed");
  EXPECT_EQ(Json(hash)["errors"][0]["field"], "operators.cpf");
  ExpectProblem(Post("/api/v1/lgpd/anonymize",
                     {{"content", kDraft}, {"operators", {{"passport", "redact"}}}}, token),
                422, "validation_failed");
  ExpectProblem(Post("/api/v1/lgpd/anonymize",
                     {{"content", kDraft},
                      {"operators", {{"phone", {{"operator", "mask"}, {"keep_last", 99}}}}}},
                     token),
                422, "validation_failed");
}

TEST_P(LgpdApiTest, PrivacyRoutesNeedThePrivacyPermissionAndStrongSessions) {
  // An editor lacks the permission; a password-only admin session is challenged.
  ExpectProblem(Get("/api/v1/privacy/requests", env().Login("a", "editor").access), 403,
                "role_not_permitted");
  auto weak = Get("/api/v1/privacy/requests", env().Login("b", "practice_admin").access, "b.test");
  EXPECT_EQ(weak.status, 401) << weak.body;
  EXPECT_EQ(Json(weak)["code"], "mfa_required");
  EXPECT_EQ(Json(weak)["required_score"], 75);
}

TEST_P(LgpdApiTest, DataSubjectRequestsEndToEnd) {
  const std::string token = AdminToken();
  // A patient and her consent.
  auto s = Post("/api/v1/privacy/subjects",
                {{"kind", "patient"},
                 {"full_name", "Maria Souza"},
                 {"email", "maria@exemplo.com.br"},
                 {"cpf", "529.982.247-25"},
                 {"birth_date", "1980-03-12"}},
                token);
  ASSERT_EQ(s.status, 201) << s.body;
  const std::string subject = Json(s)["id"];
  ExpectProblem(Post("/api/v1/privacy/subjects",
                     {{"kind", "patient"}, {"full_name", "X"}, {"cpf", "111.111.111-11"}}, token),
                422, "validation_failed");
  ExpectProblem(Post("/api/v1/privacy/subjects", {{"kind", "robot"}, {"full_name", "X"}}, token),
                422, "validation_failed");
  auto c = Post("/api/v1/privacy/subjects/" + subject + "/consents",
                {{"purpose", "newsletter"},
                 {"legal_basis", "consentimento"},
                 {"text_version", "2026-01"},
                 {"channel", "web"}},
                token);
  ASSERT_EQ(c.status, 201) << c.body;
  ExpectProblem(
      Post("/api/v1/privacy/subjects/" + subject + "/consents",
           {{"purpose", "newsletter"}, {"legal_basis", "vontade"}, {"text_version", "1"}}, token),
      422, "validation_failed");
  auto rev = Post("/api/v1/privacy/consents/" + std::string(Json(c)["id"]) + "/revoke",
                  {{"channel", "email"}}, token);
  ASSERT_EQ(rev.status, 200) << rev.body;
  EXPECT_EQ(Json(rev)["active"], false);
  ExpectProblem(Post("/api/v1/privacy/consents/" + std::string(Json(c)["id"]) + "/revoke",
                     nlohmann::json::object(), token),
                409, "consent_already_revoked");
  auto history = Get("/api/v1/privacy/subjects/" + subject + "/consents", token);
  EXPECT_EQ(Json(history)["items"].size(), 1u);

  // Access request answered as a FHIR R4 bundle.
  auto r = Post("/api/v1/privacy/requests",
                {{"subject_id", subject}, {"kind", "portability"}, {"channel", "web"}}, token);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string request = Json(r)["id"];
  EXPECT_EQ(Json(r)["status"], "received");
  auto open = Get("/api/v1/privacy/requests?status=open", token);
  EXPECT_EQ(Json(open)["items"].size(), 1u);
  ExpectProblem(Get("/api/v1/privacy/requests?status=someday", token), 422, "validation_failed");
  auto fhir = Post("/api/v1/privacy/requests/" + request + "/export", {{"format", "fhir"}}, token);
  ASSERT_EQ(fhir.status, 200) << fhir.body;
  EXPECT_THAT(fhir.Header("content-type"), HasSubstr("application/fhir+json"));
  EXPECT_EQ(Json(fhir)["resourceType"], "Bundle");
  ExpectProblem(
      Post("/api/v1/privacy/requests/" + request + "/export", {{"format", "fhir"}}, token), 409,
      "request_closed");
  auto detail = Get("/api/v1/privacy/requests/" + request, token);
  ASSERT_EQ(detail.status, 200);
  EXPECT_EQ(Json(detail)["status"], "completed");
  EXPECT_EQ(Json(detail)["history"].size(), 3u);

  // Rectification: reviewed, then applied.
  auto rect = Post("/api/v1/privacy/requests",
                   {{"subject_id", subject},
                    {"kind", "rectification"},
                    {"changes", {{"email", "maria.souza@novo.com.br"}}}},
                   token);
  ASSERT_EQ(rect.status, 201) << rect.body;
  const std::string rect_id = Json(rect)["id"];
  ExpectProblem(Post("/api/v1/privacy/requests/" + rect_id + "/approve", {}, token), 409,
                "review_required");
  ASSERT_EQ(Post("/api/v1/privacy/requests/" + rect_id + "/review", {}, token).status, 200);
  ASSERT_EQ(Post("/api/v1/privacy/requests/" + rect_id + "/approve", {}, token).status, 200);
  EXPECT_EQ(Json(Get("/api/v1/privacy/subjects/" + subject, token))["email"],
            "maria.souza@novo.com.br");

  // Deletion.
  auto del =
      Post("/api/v1/privacy/requests", {{"subject_id", subject}, {"kind", "deletion"}}, token);
  ASSERT_EQ(del.status, 201);
  auto exec =
      Post("/api/v1/privacy/requests/" + std::string(Json(del)["id"]) + "/execute", {}, token);
  ASSERT_EQ(exec.status, 200) << exec.body;
  EXPECT_EQ(Json(exec)["outcome"]["subject"], "erased");
  auto gone = Get("/api/v1/privacy/subjects/" + subject, token);
  EXPECT_EQ(Json(gone)["full_name"], nullptr);

  // Bad inputs and other practices.
  ExpectProblem(
      Post("/api/v1/privacy/requests", {{"subject_id", "nope"}, {"kind", "access"}}, token), 422,
      "validation_failed");
  ExpectProblem(Get("/api/v1/privacy/requests/not-a-uuid", token), 404, "not_found");
  ExpectProblem(
      Post("/api/v1/privacy/requests/" + request + "/reject", {{"reason_code", "x"}}, token), 422,
      "validation_failed");
  const std::string b_token = AdminToken("b");
  ExpectProblem(Get("/api/v1/privacy/subjects/" + subject, b_token, "b.test"), 404,
                "subject_not_found");
  ExpectProblem(Get("/api/v1/privacy/requests/" + request, b_token, "b.test"), 404,
                "request_not_found");
}

TEST_P(LgpdApiTest, RopaAndRetention) {
  const std::string token = AdminToken();
  auto csv = Get("/api/v1/privacy/ropa?format=csv", token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_THAT(csv.Header("content-type"), HasSubstr("text/csv"));
  EXPECT_THAT(csv.body, HasSubstr("nome,finalidade,base_legal,artigo"));
  EXPECT_THAT(csv.body, HasSubstr("prontuario_e_atendimento"));
  auto json = Get("/api/v1/privacy/ropa", token);
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(Json(json)["law"], "LGPD art. 37");
  EXPECT_EQ(Json(json)["controller"], "Clínica A");
  ExpectProblem(Get("/api/v1/privacy/ropa?format=xml", token), 422, "validation_failed");
  auto dry = Post("/api/v1/privacy/retention/run", {{"dry_run", true}}, token);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Json(dry)["dry_run"], true);
  ExpectProblem(Post("/api/v1/privacy/retention/run", {{"dry_run", "yes"}}, token), 422,
                "validation_failed");
}

HCMS_INSTANTIATE_BACKENDS(LgpdApiTest);

}  // namespace
}  // namespace hcms::testing
