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
// Then, for the routes that address objects by id, practice A never reads or
// changes practice B's objects.

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"

namespace hcms::testing {
namespace {

const std::vector<std::string> kRoles = {"super_admin", "practice_admin", "editor", "doctor",
                                         "reviewer",    "contributor",    "reader"};

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
  const std::set<std::string> operations = {"/health", "/ready", "/metrics"};
  int checked = 0;
  for (const auto& route : routes_) {
    const std::string name =
        route["method"].get<std::string>() + " " + route["pattern"].get<std::string>();
    SCOPED_TRACE(name);
    if (route["permission"].is_null()) {
      EXPECT_TRUE(operations.count(route["pattern"]))
          << name << " bypasses the API layer (api/api.h)";
      continue;
    }
    ASSERT_NE(route["resource_class"], "unset");
    const std::set<std::string> granted(route["roles"].begin(), route["roles"].end());
    if (route["permission"] == "public") {
      EXPECT_EQ(granted.size(), kRoles.size()) << "every role may use a public route";
      continue;
    }
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

HCMS_INSTANTIATE_BACKENDS(AuthzMatrixTest);

}  // namespace
}  // namespace hcms::testing
