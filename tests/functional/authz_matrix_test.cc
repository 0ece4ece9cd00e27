// The authorization matrix: every route the application registers (read from the
// real route table with `hcms routes --json`, so routes added later are covered
// without touching this file) x every role x both practices.
//
//   - a role the route's permission does not grant gets the PEP's 403
//     role_not_permitted; a role it grants gets past the PEP (whatever the handler
//     then says about the dummy input);
//   - a practice-A token sent to practice B's host is refused (401
//     token_wrong_tenant) on every protected route, and anonymous callers get 401;
//   - routes outside the API layer must be the known operations endpoints.
//   - every route has a resource class and a permission; routes with permission
//     `public` must be in an explicit allowlist below, and routes outside the API
//     layer must be the listed operations endpoints and admin UI files.
// Then, for the routes that address objects by id, practice A never reads or
// changes practice B's objects (users, sessions, audit, posts, data subjects,
// consents, data-subject requests, pipeline runs).

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"

namespace hcms::testing {
namespace {

const std::vector<std::string> kRoles = {"super_admin", "practice_admin", "editor", "doctor",
                                         "reviewer",    "contributor",    "reader"};

// Routes on the raw router, outside the API layer (no practice, no principal, no
// PEP): the operations endpoints and the admin UI's static files (the UI then calls
// the API like any client). Anything else outside the API layer fails the test.
const std::set<std::string> kRawRoutes = {"GET /health", "GET /ready", "GET /metrics", "GET /admin",
                                          "GET /admin/{path*}"};

// Routes anyone may call without signing in. Making a route public is a decision to
// review here, never a default: a `public` route not listed fails the test.
const std::set<std::string> kPublicRoutes = {
    // The public site, its media files and the practice's identity.
    "GET /{path*}",
    "GET /media/{path*}",
    "GET /api/v1/site",
    // Signing in (the handlers check credentials themselves).
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/mfa",
    "POST /api/v1/auth/refresh",
    // Published content only (drafts need read_content, checked by the handler).
    "GET /api/v1/openapi.json",
    "GET /api/v1/posts",
    "GET /api/v1/posts/{id}",
    "GET /api/v1/search",
    "GET /api/v1/terms",
    // WordPress REST v2 reads, as WordPress serves them anonymously; writes fall
    // through to the catch-all, which answers WordPress's rest_no_route.
    "GET /wp-json",
    "GET /wp-json/wp/v2",
    "GET /wp-json/wp/v2/posts",
    "GET /wp-json/wp/v2/posts/{id}",
    "GET /wp-json/wp/v2/pages",
    "GET /wp-json/wp/v2/pages/{id}",
    "GET /wp-json/wp/v2/media",
    "GET /wp-json/wp/v2/media/{id}",
    "GET /wp-json/wp/v2/categories",
    "GET /wp-json/wp/v2/categories/{id}",
    "GET /wp-json/wp/v2/tags",
    "GET /wp-json/wp/v2/tags/{id}",
    "GET /wp-json/wp/v2/comments",
    "GET /wp-json/wp/v2/comments/{id}",
    "GET /wp-json/wp/v2/users",
    "GET /wp-json/wp/v2/users/me",
    "GET /wp-json/wp/v2/users/{id}",
    "GET /wp-json/wp/v2/search",
    "GET /wp-json/{rest*}",
    "POST /wp-json/{rest*}",
    "PUT /wp-json/{rest*}",
    "PATCH /wp-json/{rest*}",
    "DELETE /wp-json/{rest*}",
};

// One route of each area: the live table must hold them all (an area whose routes
// are missing from `hcms routes` would otherwise escape the matrix).
const std::set<std::string> kAnchors = {"POST /api/v1/auth/login",
                                        "GET /api/v1/users",
                                        "GET /api/v1/audit",
                                        "POST /api/v1/lgpd/analyze",
                                        "POST /api/v1/privacy/subjects",
                                        "POST /api/v1/posts",
                                        "GET /wp-json/wp/v2/posts",
                                        "POST /api/v1/plugins",
                                        "POST /api/v1/pipeline/runs",
                                        "GET /admin"};

std::string Fill(std::string pattern) {
  // Ids that exist in no practice: the handlers answer 404/422, never touch data.
  for (size_t open; (open = pattern.find('{')) != std::string::npos;) {
    const size_t close = pattern.find('}', open);
    pattern.replace(open, close - open + 1, "999999999");
  }
  return pattern;
}

class AuthzMatrixTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<SecurityEnv>(GetParam(), "",
                                         "[behaviour]\nrequests_per_minute = 1000000\n");
    auto r = env_->server().Cli({"routes", "--json"});
    ASSERT_EQ(r.status, 0) << r.err;
    routes_ = nlohmann::json::parse(r.out);
    ASSERT_GT(routes_.size(), 20u);
    for (const std::string t : {"a", "b"}) {
      for (const auto& role : kRoles) {
        env_->EnableMfa(t, role);
        env_->Login(t, role);  // the device is known from the second sign-in on
        tokens_[t + "/" + role] = env_->Login(t, role).access;
      }
    }
  }
  std::string& Token(const std::string& tenant, const std::string& role) {
    return tokens_[tenant + "/" + role];
  }
  HttpResponse Send(const nlohmann::json& route, const std::string& tenant, const std::string& role,
                    const std::string& host) {
    const std::string method = route["method"];
    const std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
    auto r = env_->Call(method, Fill(route["pattern"]), body,
                        {.token = Token(tenant, role), .host = host});
    if (r.status == 401 && Json(r).value("code", "") == "token_revoked") {
      Token(tenant, role) = env_->Login(tenant, role).access;  // a logout route ran
      r = env_->Call(method, Fill(route["pattern"]), body,
                     {.token = Token(tenant, role), .host = host});
    }
    return r;
  }

  std::unique_ptr<SecurityEnv> env_;
  nlohmann::json routes_;
  std::map<std::string, std::string> tokens_;
};

TEST_P(AuthzMatrixTest, EveryRouteEveryRoleBothPractices) {
  std::set<std::string> names;
  for (const auto& route : routes_) {
    names.insert(route["method"].get<std::string>() + " " + route["pattern"].get<std::string>());
  }
  for (const auto& anchor : kAnchors) EXPECT_TRUE(names.count(anchor)) << anchor;
  for (const auto& name : kPublicRoutes) {
    EXPECT_TRUE(names.count(name)) << name << " is allowlisted but no longer exists";
  }
  int checked = 0;
  for (const auto& route : routes_) {
    const std::string name =
        route["method"].get<std::string>() + " " + route["pattern"].get<std::string>();
    SCOPED_TRACE(name);
    const std::string resource_class = route["resource_class"];
    EXPECT_FALSE(resource_class.empty() || resource_class == "unset") << name;
    if (route["permission"].is_null()) {
      EXPECT_TRUE(kRawRoutes.count(name)) << name << " bypasses the API layer (api/api.h)";
      continue;
    }
    ASSERT_TRUE(route["permission"].is_string()) << name;
    const std::string permission = route["permission"];
    ASSERT_FALSE(permission.empty() || permission == "unknown") << name;
    const std::set<std::string> granted(route["roles"].begin(), route["roles"].end());
    if (permission == "public") {
      EXPECT_TRUE(kPublicRoutes.count(name))
          << name << " is public but not in the test's allowlist: is that deliberate?";
      EXPECT_EQ(resource_class, "public") << name << ": a public route of a protected class";
      EXPECT_EQ(granted.size(), kRoles.size()) << "every role may use a public route";
      // Anonymous callers are not refused by the PEP.
      const std::string method = route["method"];
      auto anon = env_->Call(method, Fill(route["pattern"]),
                             method == "GET" || method == "DELETE" ? "" : "{}", {.host = "a.test"});
      EXPECT_NE(Json(anon).is_object() ? Json(anon).value("code", "") : "", "unauthenticated")
          << anon.body;
      continue;
    }
    EXPECT_FALSE(kPublicRoutes.count(name)) << name << " is allowlisted as public but is not";
    // Anonymous.
    const std::string method = route["method"];
    auto anon = env_->Call(method, Fill(route["pattern"]),
                           method == "GET" || method == "DELETE" ? "" : "{}", {.host = "a.test"});
    EXPECT_EQ(anon.status, 401);
    EXPECT_EQ(Json(anon)["code"], "unauthenticated");
    for (const std::string tenant : {"a", "b"}) {
      const std::string own = tenant + ".test";
      const std::string other = tenant == "a" ? "b.test" : "a.test";
      for (const auto& role : kRoles) {
        SCOPED_TRACE(tenant + "/" + role);
        auto r = Send(route, tenant, role, own);
        auto body = Json(r);
        if (granted.count(role)) {
          // Past the PEP: whatever the handler answers, it is not a policy refusal.
          EXPECT_FALSE(body.is_object() && body.contains("decision")) << r.status << " " << r.body;
          EXPECT_NE(r.status, 401) << r.body;
        } else {
          EXPECT_EQ(r.status, 403) << r.body;
          EXPECT_EQ(body.value("reason", ""), "role_not_permitted") << r.body;
        }
        // Practice A's credentials mean nothing at practice B.
        auto cross = Send(route, tenant, role, other);
        EXPECT_EQ(cross.status, 401) << cross.body;
        EXPECT_EQ(Json(cross).value("code", ""), "token_wrong_tenant") << cross.body;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_P(AuthzMatrixTest, PracticeANeverReadsOrChangesPracticeBObjects) {
  const std::string admin_a = Token("a", "practice_admin");
  // B's users, as B's administrator sees them.
  auto list_b = env_->Call("GET", "/api/v1/users", {},
                           {.token = Token("b", "practice_admin"), .host = "b.test"});
  ASSERT_EQ(list_b.status, 200) << list_b.body;
  std::vector<int64_t> b_ids;
  const auto users_b = Json(list_b);
  for (const auto& u : users_b["users"]) b_ids.push_back(u["id"]);
  ASSERT_EQ(b_ids.size(), kRoles.size()) << list_b.body;
  // A's listing shows only A.
  auto list_a = env_->Call("GET", "/api/v1/users", {}, {.token = admin_a, .host = "a.test"});
  ASSERT_EQ(list_a.status, 200);
  EXPECT_THAT(list_a.body, ::testing::Not(::testing::HasSubstr("@b.test")));
  for (int64_t id : b_ids) {
    const std::string path = "/api/v1/users/" + std::to_string(id);
    EXPECT_EQ(env_->Call("GET", path, {}, {.token = admin_a, .host = "a.test"}).status, 404);
    EXPECT_EQ(env_->Call("PATCH", path, R"({"name":"pwned"})", {.token = admin_a, .host = "a.test"})
                  .status,
              404);
    EXPECT_EQ(env_->Call("POST", path + "/registration/verify", R"({"status":"verified"})",
                         {.token = admin_a, .host = "a.test"})
                  .status,
              404);
    EXPECT_EQ(env_->Call("DELETE", path, {}, {.token = admin_a, .host = "a.test"}).status, 404);
  }
  auto again = env_->Call("GET", "/api/v1/users", {},
                          {.token = Token("b", "practice_admin"), .host = "b.test"});
  EXPECT_EQ(Json(again)["users"], Json(list_b)["users"]);
  EXPECT_THAT(again.body, ::testing::Not(::testing::HasSubstr("pwned")));
  // B's sessions and app passwords cannot be revoked from A.
  auto sessions_b = env_->Call("GET", "/api/v1/auth/sessions", {},
                               {.token = Token("b", "reader"), .host = "b.test"});
  ASSERT_EQ(sessions_b.status, 200);
  const std::string sid = Json(sessions_b)["sessions"][0]["id"];
  EXPECT_EQ(
      env_->Call("DELETE", "/api/v1/auth/sessions/" + sid, {}, {.token = admin_a, .host = "a.test"})
          .status,
      404);
  EXPECT_EQ(
      env_->Call("GET", "/api/v1/auth/me", {}, {.token = Token("b", "reader"), .host = "b.test"})
          .status,
      200);
  // A's audit trail holds only A's entries.
  auto audit_a =
      env_->Call("GET", "/api/v1/audit?limit=500", {}, {.token = admin_a, .host = "a.test"});
  ASSERT_EQ(audit_a.status, 200) << audit_a.body;
  const auto entries_a = Json(audit_a);
  for (const auto& e : entries_a["entries"]) {
    if (e["actor_user_id"].is_number()) {
      EXPECT_THAT(b_ids, ::testing::Not(::testing::Contains(e["actor_user_id"].get<int64_t>())));
    }
  }
}

// The same for the other areas' objects: practice B's posts, data subjects, consents,
// data-subject requests and pipeline runs are invisible and unchangeable from
// practice A, whatever A's role; afterwards B's objects are exactly as they were.
TEST_P(AuthzMatrixTest, PracticeANeverTouchesPracticeBContentPrivacyOrPipelineObjects) {
  auto b = [&](const std::string& role, const std::string& method, const std::string& path,
               const nlohmann::json& body) {
    return env_->Call(method, path, body.is_null() ? "" : body.dump(),
                      {.token = Token("b", role), .host = "b.test"});
  };
  auto post = b("editor", "POST", "/api/v1/posts",
                {{"title", "Rascunho de B"}, {"content", "<p>Só de B.</p>"}});
  ASSERT_EQ(post.status, 201) << post.body;
  const std::string post_id = std::to_string(Json(post)["id"].get<int64_t>());
  auto subject = b("practice_admin", "POST", "/api/v1/privacy/subjects",
                   {{"kind", "patient"}, {"full_name", "Paciente de B"}});
  ASSERT_EQ(subject.status, 201) << subject.body;
  const std::string subject_id = Json(subject)["id"];
  auto consent =
      b("practice_admin", "POST", "/api/v1/privacy/subjects/" + subject_id + "/consents",
        {{"purpose", "newsletter"}, {"legal_basis", "consentimento"}, {"text_version", "1"}});
  ASSERT_EQ(consent.status, 201) << consent.body;
  const std::string consent_id = Json(consent)["id"];
  auto request = b("practice_admin", "POST", "/api/v1/privacy/requests",
                   {{"subject_id", subject_id}, {"kind", "deletion"}});
  ASSERT_EQ(request.status, 201) << request.body;
  const std::string request_id = Json(request)["id"];
  auto run = b("contributor", "POST", "/api/v1/pipeline/runs", {{"post_id", std::stoll(post_id)}});
  ASSERT_EQ(run.status, 202) << run.body;
  const std::string run_id = Json(run)["id"];

  const std::string posts = "/api/v1/posts/" + post_id;
  const std::string subj = "/api/v1/privacy/subjects/" + subject_id;
  const std::string req = "/api/v1/privacy/requests/" + request_id;
  const std::string runs = "/api/v1/pipeline/runs/" + run_id;
  const std::vector<std::tuple<std::string, std::string, nlohmann::json>> attempts = {
      {"GET", posts, nullptr},
      {"PATCH", posts, {{"title", "pwned"}}},
      {"DELETE", posts, nullptr},
      {"POST", posts + "/submit", nlohmann::json::object()},
      {"POST", posts + "/publish", nlohmann::json::object()},
      {"POST", posts + "/trash", nlohmann::json::object()},
      {"GET", posts + "/transitions", nullptr},
      {"GET", posts + "/revisions", nullptr},
      {"GET", subj, nullptr},
      {"GET", subj + "/consents", nullptr},
      {"POST",
       subj + "/consents",
       {{"purpose", "pwned"}, {"legal_basis", "consentimento"}, {"text_version", "1"}}},
      {"POST", "/api/v1/privacy/consents/" + consent_id + "/revoke", nlohmann::json::object()},
      {"GET", req, nullptr},
      {"POST", req + "/review", nlohmann::json::object()},
      {"POST", req + "/export", nlohmann::json::object()},
      {"POST", req + "/reject", {{"reason_code", "duplicate"}}},
      {"POST", req + "/execute", nlohmann::json::object()},
      {"POST", "/api/v1/privacy/requests", {{"subject_id", subject_id}, {"kind", "access"}}},
      {"GET", runs, nullptr},
      {"GET", runs + "/audit", nullptr},
      {"GET", runs + "/events", nullptr},
      {"POST", runs + "/steps/s1.4/approve", nlohmann::json::object()},
      {"POST", runs + "/steps/s1.4/reject", nlohmann::json::object()},
  };
  for (const std::string role : {"super_admin", "practice_admin"}) {
    for (const auto& [method, path, body] : attempts) {
      SCOPED_TRACE(role + " " + method + " " + path);
      auto r = env_->Call(method, path, body.is_null() ? "" : body.dump(),
                          {.token = Token("a", role), .host = "a.test"});
      EXPECT_EQ(r.status, 404) << r.body;
    }
  }
  // B's objects are untouched.
  auto post_after = b("editor", "GET", posts, nullptr);
  ASSERT_EQ(post_after.status, 200) << post_after.body;
  EXPECT_EQ(Json(post_after)["status"], "draft");
  EXPECT_EQ(Json(post_after)["title"], "Rascunho de B");
  auto consents_after = b("practice_admin", "GET", subj + "/consents", nullptr);
  ASSERT_EQ(consents_after.status, 200) << consents_after.body;
  ASSERT_EQ(Json(consents_after)["items"].size(), 1u);
  EXPECT_EQ(Json(consents_after)["items"][0]["active"], true);
  auto request_after = b("practice_admin", "GET", req, nullptr);
  ASSERT_EQ(request_after.status, 200);
  EXPECT_EQ(Json(request_after)["status"], Json(request)["status"]);
  EXPECT_EQ(b("contributor", "GET", runs, nullptr).status, 200);
}

HCMS_INSTANTIATE_BACKENDS(AuthzMatrixTest);

}  // namespace
}  // namespace hcms::testing
