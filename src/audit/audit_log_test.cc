// The audit chain on SQLite and PostgreSQL: appends, batches, checkpoints, and
// VerifyAuditTrail on intact and altered chains.

#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::audit {
namespace {

class AuditLogTest : public hcms::testing::DatabaseTest {
 protected:
  crypto::SigningKey Key() { return *crypto::SigningKey::Generate(); }
  Entry E(std::string action, int64_t tenant) {
    return {.tenant_id = tenant,
            .actor_user_id = 7,
            .action = std::move(action),
            .resource = "user:7",
            .decision = "success",
            .trust_score = 88,
            .ip_anon = "192.0.2.0",
            .request_id = "r1",
            .details = {{"code", "x"}}};
  }
  int64_t Tenant(const std::string& slug) {
    tenants::TenantRepository t(db(), clock());
    return t.Create({.slug = slug, .name = slug})->id;
  }
};

TEST_P(AuditLogTest, ChainsEntriesSignsCheckpointsAndVerifies) {
  const int64_t a = Tenant("a"), b = Tenant("b");
  {
    AuditLog log(db(), clock(), Key(), {.checkpoint_every = 3});
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(log.Append(E(i == 0 ? "auth.login" : "user.update", i ? b : a)));
    for (int i = 0; i < 3; ++i) log.Enqueue(E("policy.decision", a));
    ASSERT_TRUE(log.Flush());
    ASSERT_TRUE(log.Checkpoint());
    auto list = log.List({.tenant_id = a, .limit = 100});
    ASSERT_TRUE(list);
    EXPECT_EQ(list->size(), 4u);      // only practice a's
    EXPECT_EQ(list->front().seq, 6);  // newest first
    auto logins = log.List({.tenant_id = a, .action = "auth.*"});
    EXPECT_EQ(logins->size(), 1u);
  }
  auto verifier = *crypto::SigningKey::Generate();  // wrong key: checkpoints fail
  auto wrong = VerifyAuditTrail(db(), verifier);
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->ok);
  EXPECT_EQ(wrong->problem, "checkpoint_key_unknown");
  EXPECT_EQ(wrong->entries, 6);
  EXPECT_GE(wrong->checkpoints, 2);
}

TEST_P(AuditLogTest, VerifyFindsTheFirstAlteredEntry) {
  const int64_t a = Tenant("a");
  crypto::SigningKey key = Key();
  {
    AuditLog log(db(), clock(), Key(), {});
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(log.Append(E("auth.login", a)));
  }
  // No checkpoints were signed (the log's own key is gone): the chain alone.
  auto ok = VerifyAuditTrail(db(), key);
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->ok) << ok->problem;
  ASSERT_TRUE(db().Run([](store::Connection& c) {
    return c.Execute("UPDATE audit_log SET trust_score = 99 WHERE seq = 4");
  }));
  auto bad = VerifyAuditTrail(db(), key);
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->first_bad_seq, 4);
  EXPECT_EQ(bad->problem, "entry_altered");
}

TEST_P(AuditLogTest, RefusesToSignATamperedChain) {
  const int64_t a = Tenant("a");
  AuditLog log(db(), clock(), Key(), {.checkpoint_every = 1000});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(log.Append(E("auth.login", a)));
  ASSERT_TRUE(db().Run([](store::Connection& c) {
    return c.Execute("UPDATE audit_log SET action = 'x' WHERE seq = 2");
  }));
  auto s = log.Checkpoint();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind(), ErrorKind::kInternal);
  auto n = db().Run(
      [](store::Connection& c) { return c.Query("SELECT COUNT(*) FROM audit_checkpoints"); });
  EXPECT_EQ((*n)[0].Int(0), 0);
}

HCMS_INSTANTIATE_BACKENDS(AuditLogTest);

}  // namespace
}  // namespace hcms::audit
