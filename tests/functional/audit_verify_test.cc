// POST /api/v1/audit/verify: the admin's "verify chain" action, on the real
// binary with the security test environment (a user per role, MFA on demand).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/functional/security_env.h"

namespace hcms::testing {
namespace {

TEST(AuditVerify, AnonymousCallersAre401) {
  SecurityEnv& env = SecurityEnv::Get(Backend::kSqlite);
  auto r = env.Call("POST", "/api/v1/audit/verify", "{}");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  EXPECT_EQ(Json(r)["code"], "unauthenticated");
}

TEST(AuditVerify, RolesWithoutReadAuditAreRefused) {
  SecurityEnv& env = SecurityEnv::Get(Backend::kSqlite);
  auto r = env.Call("POST", "/api/v1/audit/verify", "{}",
                    {.token = env.Login("a", "contributor").access});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json(r)["reason"], "role_not_permitted");
}

TEST(AuditVerify, AnAdministratorWithMfaGetsAnIntactChain) {
  SecurityEnv& env = SecurityEnv::Get(Backend::kSqlite);
  env.EnableMfa("a", "practice_admin");
  Tokens t = env.Login("a", "practice_admin");
  auto r = env.Call("POST", "/api/v1/audit/verify", "{}", {.token = t.access});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Json(r);
  EXPECT_EQ(j["ok"], true);
  EXPECT_GT(j["entries"].get<int64_t>(), 0);
  EXPECT_TRUE(j["first_bad_seq"].is_null());
  EXPECT_EQ(j["problem"], "");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
}

}  // namespace
}  // namespace hcms::testing
