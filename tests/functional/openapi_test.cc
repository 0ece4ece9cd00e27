// The one OpenAPI 3.1 document (docs/api/openapi.json, embedded in the binary and
// served at /api/v1/openapi.json) against the real server:
//
//   - every route of the live route table under /api/v1 (`hcms routes --json`, so a
//     route added later fails here until it is documented) is in the document with
//     the same method, resource class and permission, and the document describes no
//     route the server does not have;
//   - the document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator);
//   - real answers of the security, LGPD, privacy, plugin and pipeline routes (and
//     their problem+json errors) satisfy the document's schemas (Ajv, JSON Schema
//     2020-12, tests/js/validate_responses.mjs).

#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"
#include "tests/support/subprocess.h"

namespace hcms::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string SourceDir() {
  const char* s = std::getenv("TEST_HCMS_SOURCE_DIR");
  return s ? s : ".";
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "/api/v1/users/{id}/x" -> "/api/v1/users/{}/x": the router and the document may
// name a path parameter differently; the shape is what must match.
std::string Shape(const std::string& pattern) {
  std::string out;
  bool in_param = false;
  for (char c : pattern) {
    if (c == '{') {
      in_param = true;
      out += "{}";
    } else if (c == '}') {
      in_param = false;
    } else if (!in_param) {
      out += c;
    }
  }
  return out;
}

RunResult Node(const std::vector<std::string>& args) {
  SpawnOptions o;
  o.argv = {"/usr/bin/env", "node"};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.env = CleanEnvironment();
  return RunProcess(o, std::chrono::seconds(120));
}

class OpenApiTest : public ::testing::TestWithParam<Backend> {
 protected:
  SecurityEnv& env() { return SecurityEnv::Get(GetParam()); }
  json Document() {
    auto r = env().Call("GET", "/api/v1/openapi.json");
    EXPECT_EQ(r.status, 200);
    return json::parse(r.body);
  }
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = env().server().data_dir() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
};

TEST_P(OpenApiTest, EveryApiRouteIsDescribedAndNothingElse) {
  auto listed = env().server().Cli({"routes", "--json"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  const json routes = json::parse(listed.out);
  const json doc = Document();
  ASSERT_TRUE(doc["paths"].is_object());
  // The document's operations, by (method, path shape).
  std::map<std::pair<std::string, std::string>, json> documented;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      documented[{method, Shape(path)}] = op;
    }
  }
  std::set<std::pair<std::string, std::string>> served;
  int checked = 0;
  for (const auto& r : routes) {
    const std::string pattern = r["pattern"];
    if (!pattern.starts_with("/api/v1/")) continue;
    const std::string method = Lower(r["method"]);
    const std::string name = method + " " + pattern;
    served.insert({method, Shape(pattern)});
    auto it = documented.find({method, Shape(pattern)});
    if (it == documented.end()) {
      ADD_FAILURE() << name << " is not in docs/api/openapi.json";
      continue;
    }
    const json& op = it->second;
    EXPECT_EQ(op.value("x-resource-class", ""), r["resource_class"]) << name;
    EXPECT_EQ(op.value("x-permission", ""), r["permission"]) << name;
    EXPECT_TRUE(op.contains("summary")) << name;
    ASSERT_TRUE(op["responses"].is_object()) << name;
    bool success = false;
    for (const auto& [status, resp] : op["responses"].items()) success |= status.starts_with("2");
    EXPECT_TRUE(success) << name << " documents no success answer";
    if (r["permission"] != "public") {
      // Protected routes document the PEP's answers.
      EXPECT_TRUE(op["responses"].contains("401")) << name;
      EXPECT_TRUE(op["responses"].contains("403")) << name;
    }
    if (method == "post" || method == "put" || method == "patch") {
      // A body-taking route documents its body, unless it takes none.
      EXPECT_TRUE(op.contains("requestBody") || !op["responses"].contains("415")) << name;
    }
    ++checked;
  }
  EXPECT_GT(checked, 60);
  for (const auto& [key, op] : documented) {
    EXPECT_TRUE(served.count(key))
        << key.first << " " << key.second << " is documented but the server has no such route";
  }
}

TEST_P(OpenApiTest, DocumentIsValidOpenApi31) {
  auto r = env().Call("GET", "/api/v1/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.Header("content-type"), HasSubstr("application/json"));
  const std::string file = WriteFile("openapi-served.json", r.body);
  auto v = Node({SourceDir() + "/tests/js/validate_openapi.mjs", file});
  EXPECT_EQ(v.status, 0) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr("valid OpenAPI 3.1"));
  // The served document is the one in the repository.
  std::ifstream in(SourceDir() + "/docs/api/openapi.json");
  const json source = json::parse(in);
  EXPECT_EQ(json::parse(r.body), source);
}

// Real answers, recorded with the document path they answer for, then checked in
// one node process.
class Recorder {
 public:
  explicit Recorder(SecurityEnv& env) : env_(env) {}
  HttpResponse Call(const std::string& method, const std::string& path_template,
                    const std::string& target, const std::string& body, const CallOptions& o) {
    auto r = env_.Call(method, target, body, o);
    json headers = json::object();
    for (const auto& [name, value] : r.headers) {
      if (!headers.contains(name)) headers[name] = value;
    }
    cases_.push_back({{"method", Lower(method)},
                      {"path", path_template},
                      {"status", r.status},
                      {"content_type", r.Header("content-type")},
                      {"body", r.body},
                      {"headers", std::move(headers)}});
    return r;
  }
  const json& cases() const { return cases_; }

 private:
  SecurityEnv& env_;
  json cases_ = json::array();
};

TEST_P(OpenApiTest, RealAnswersMatchTheDocument) {
  SecurityEnv& e = env();
  e.EnableMfa("a", "practice_admin");  // confidential and patient data need MFA
  const std::string admin = e.Login("a", "practice_admin").access;
  const std::string contributor = e.Login("a", "contributor").access;
  const std::string reader = e.Login("a", "reader").access;
  Recorder rec(e);
  auto call = [&](const std::string& method, const std::string& path, const std::string& target,
                  const json& body, const std::string& token) {
    return rec.Call(method, path, target, body.is_null() ? "" : body.dump(), {.token = token});
  };

  // Authentication: tokens, a refused sign-in, the principal, sessions.
  json login = {{"email", e.Email("a", "reader")}, {"password", e.Password()}};
  if (e.totp_secrets.contains("a/reader")) login["otp"] = e.TotpNow(e.totp_secrets["a/reader"]);
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "/api/v1/auth/login", login, "").status, 200);
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "/api/v1/auth/login",
                 {{"email", "nobody@a.test"}, {"password", "wrong password 123"}}, "")
                .status,
            401);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", "/api/v1/auth/me", nullptr, reader).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", "/api/v1/auth/me", nullptr, "").status, 401);
  EXPECT_EQ(call("GET", "/api/v1/auth/sessions", "/api/v1/auth/sessions", nullptr, reader).status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/users/me/app-passwords", "/api/v1/users/me/app-passwords", nullptr,
                 admin)
                .status,
            200);
  // Users and the audit trail.
  auto users = call("GET", "/api/v1/users", "/api/v1/users", nullptr, admin);
  ASSERT_EQ(users.status, 200) << users.body;
  const int64_t user_id = Json(users)["users"][0]["id"];
  EXPECT_EQ(
      call("GET", "/api/v1/users/{id}", "/api/v1/users/" + std::to_string(user_id), nullptr, admin)
          .status,
      200);
  EXPECT_EQ(call("GET", "/api/v1/users", "/api/v1/users", nullptr, reader).status, 403);
  EXPECT_EQ(rec.Call("POST", "/api/v1/users", "/api/v1/users", "name=x",
                     {.token = admin, .content_type = "text/plain"})
                .status,
            415);
  EXPECT_EQ(call("POST", "/api/v1/users", "/api/v1/users", {{"email", "x"}}, admin).status, 422);
  EXPECT_EQ(call("GET", "/api/v1/audit", "/api/v1/audit?limit=5", nullptr, admin).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/audit/verify", "/api/v1/audit/verify", nullptr, admin).status,
            200);
  // LGPD detector and anonymiser.
  const std::string text = "Paciente Maria Souza, CPF 529.982.247-25, e-mail maria@example.com.";
  EXPECT_EQ(
      call("POST", "/api/v1/lgpd/analyze", "/api/v1/lgpd/analyze", {{"content", text}}, contributor)
          .status,
      200);
  EXPECT_EQ(
      call("POST", "/api/v1/lgpd/analyze", "/api/v1/lgpd/analyze", json::object(), contributor)
          .status,
      422);
  EXPECT_EQ(call("POST", "/api/v1/lgpd/anonymize", "/api/v1/lgpd/anonymize",
                 {{"content", text}, {"operators", {{"cpf", {{"operator", "mask"}}}}}}, contributor)
                .status,
            200);
  // Privacy: a data subject, a consent, a request, ROPA, retention.
  auto subject = call("POST", "/api/v1/privacy/subjects", "/api/v1/privacy/subjects",
                      {{"kind", "reader"}, {"email", "leitor@example.com"}}, admin);
  ASSERT_EQ(subject.status, 201) << subject.body;
  const std::string sid = Json(subject)["id"];
  EXPECT_EQ(call("GET", "/api/v1/privacy/subjects/{id}", "/api/v1/privacy/subjects/" + sid, nullptr,
                 admin)
                .status,
            200);
  EXPECT_EQ(
      call("POST", "/api/v1/privacy/subjects/{id}/consents",
           "/api/v1/privacy/subjects/" + sid + "/consents",
           {{"purpose", "newsletter"}, {"legal_basis", "consentimento"}, {"text_version", "1"}},
           admin)
          .status,
      201);
  EXPECT_EQ(call("GET", "/api/v1/privacy/subjects/{id}/consents",
                 "/api/v1/privacy/subjects/" + sid + "/consents", nullptr, admin)
                .status,
            200);
  auto request = call("POST", "/api/v1/privacy/requests", "/api/v1/privacy/requests",
                      {{"subject_id", sid}, {"kind", "access"}}, admin);
  ASSERT_EQ(request.status, 201) << request.body;
  const std::string rid = Json(request)["id"];
  EXPECT_EQ(call("GET", "/api/v1/privacy/requests/{id}", "/api/v1/privacy/requests/" + rid, nullptr,
                 admin)
                .status,
            200);
  EXPECT_EQ(
      call("GET", "/api/v1/privacy/requests", "/api/v1/privacy/requests", nullptr, admin).status,
      200);
  EXPECT_EQ(call("GET", "/api/v1/privacy/ropa", "/api/v1/privacy/ropa", nullptr, admin).status,
            200);
  EXPECT_EQ(call("POST", "/api/v1/privacy/retention/run", "/api/v1/privacy/retention/run",
                 json::object(), admin)
                .status,
            200);
  // Plugins and the pipeline.
  EXPECT_EQ(call("GET", "/api/v1/plugins", "/api/v1/plugins", nullptr, admin).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/plugins/status", "/api/v1/plugins/status", nullptr, admin).status,
            200);
  EXPECT_EQ(
      call("GET", "/api/v1/pipeline/settings", "/api/v1/pipeline/settings", nullptr, admin).status,
      200);
  EXPECT_EQ(
      call("GET", "/api/v1/pipeline/runs/{id}", "/api/v1/pipeline/runs/no-such-run", nullptr, admin)
          .status,
      404);
  EXPECT_EQ(call("GET", "/api/v1/site", "/api/v1/site", nullptr, "").status, 200);

  const std::string doc =
      WriteFile("openapi-responses.json", env().Call("GET", "/api/v1/openapi.json").body);
  const std::string cases = WriteFile("responses.json", rec.cases().dump());
  auto v = Node({SourceDir() + "/tests/js/validate_responses.mjs", doc, cases});
  EXPECT_EQ(v.status, 0) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr(std::to_string(rec.cases().size()) + " valid, 0 invalid"));
}

HCMS_INSTANTIATE_BACKENDS(OpenApiTest);

}  // namespace
}  // namespace hcms::testing
