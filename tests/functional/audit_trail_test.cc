// The tamper-evident audit trail on both backends: entries are written for logins,
// refreshes, revocations, policy decisions and admin actions; GET /api/v1/audit is
// for compliance (admins) only; and `hcms audit verify` names the first bad entry
// after rows are edited, deleted or reordered directly in the database.

#include <set>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "store/database.h"
#include "tests/functional/security_env.h"
#include "tests/support/db_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {
namespace {

class AuditTrailTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<SecurityEnv>(GetParam());
    // Some history: logins (success and failure), a refresh, a logout, admin actions.
    env_->EnableMfa("a", "practice_admin");
    env_->Login("a", "practice_admin");
    Tokens admin = env_->Login("a", "practice_admin");  // MFA, known device
    env_->Call("POST", "/api/v1/auth/login",
               R"({"email":"reader@a.test","password":"wrong password!!"})");
    Tokens reader = env_->Login("a", "reader");
    env_->Call("POST", "/api/v1/auth/refresh",
               nlohmann::json{{"refresh_token", reader.refresh}}.dump());
    env_->Call("GET", "/api/v1/users", {}, {.token = reader.access});  // denied: audited
    env_->Call("POST", "/api/v1/auth/logout", {}, {.token = reader.access});
    admin_ = admin.access;
  }

  // Stops the server (which signs a final checkpoint) and returns a config for
  // `hcms audit verify` on a copy of the database named `copy`.
  std::string StoppedCopy(const std::string& copy) {
    if (env_->server().process().Running()) {
      EXPECT_EQ(env_->server().Stop(), 0);
    }
    std::string toml = ReadFile(env_->server().config_path());
    if (GetParam() == Backend::kSqlite) {
      const std::string src = env_->server().data_dir() + "/hcms.db";
      const std::string dst = dir_.File(copy + ".db");
      WriteFile(dst, ReadFile(src));
      toml += fmt::format("\n[database]\nsqlite_path = \"{}\"\n", dst);
      store::DatabaseOptions o;
      o.sqlite_path = dst;
      db_ = *store::Database::Open(o);
    } else {
      const size_t url_at = toml.find("url = \"");
      const std::string url = toml.substr(url_at + 7, toml.find('"', url_at + 7) - url_at - 7);
      const std::string copy_url =
          PostgresServer::Shared().CreateDatabase(PostgresServer::DatabaseName(url));
      toml.replace(url_at + 7, url.size(), copy_url);
      store::DatabaseOptions o;
      o.dialect = store::Dialect::kPostgres;
      o.postgres_url = copy_url;
      db_ = *store::Database::Open(o);
    }
    const std::string path = dir_.File(copy + ".toml");
    WriteFile(path, toml);
    return path;
  }
  RunResult Verify(const std::string& config) {
    SpawnOptions o;
    o.argv = {HcmsBinary(), "audit", "verify", "--config", config};
    o.env = CleanEnvironment();
    return RunProcess(o);
  }
  void Exec(const std::string& sql) {
    auto r = db_->Run([&](store::Connection& c) { return c.Execute(sql); });
    ASSERT_TRUE(r) << r.error().ToLogString();
  }

  std::unique_ptr<SecurityEnv> env_;
  std::unique_ptr<store::Database> db_;
  std::string admin_;
  TempDir dir_;
};

TEST_P(AuditTrailTest, RecordsSecurityEventsWithoutPersonalData) {
  auto r = env_->Call("GET", "/api/v1/audit?limit=200", {}, {.token = admin_});
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> seen;
  const auto listed = Json(r);
  for (const auto& e : listed["entries"]) {
    seen.insert(e["action"].get<std::string>() + "/" + e["decision"].get<std::string>());
    EXPECT_EQ(e["ip"], "127.0.0.0");
    EXPECT_FALSE(e["request_id"].get<std::string>().empty());
  }
  for (const char* want : {"auth.login/success", "auth.login/failure", "auth.refresh/success",
                           "auth.logout/success", "policy.decision/deny", "policy.decision/allow"})
    EXPECT_TRUE(seen.count(want)) << want << "\n" << r.body << env_->server().Stderr();
  EXPECT_THAT(r.body, ::testing::Not(::testing::HasSubstr("@a.test")));
  EXPECT_THAT(r.body, ::testing::Not(::testing::HasSubstr("127.0.0.1")));
  // Filters and paging.
  auto logins =
      env_->Call("GET", "/api/v1/audit?action=auth.*&decision=failure", {}, {.token = admin_});
  ASSERT_EQ(logins.status, 200);
  const auto failures = Json(logins);
  for (const auto& e : failures["entries"]) EXPECT_EQ(e["decision"], "failure");
  auto page = env_->Call("GET", "/api/v1/audit?limit=2", {}, {.token = admin_});
  ASSERT_EQ(Json(page)["entries"].size(), 2u);
  const int64_t before = Json(page)["next_before"];
  auto next = env_->Call("GET", "/api/v1/audit?limit=2&before=" + std::to_string(before), {},
                         {.token = admin_});
  EXPECT_LT(Json(next)["entries"][0]["seq"].get<int64_t>(), before);
  EXPECT_EQ(env_->Call("GET", "/api/v1/audit?since=yesterday", {}, {.token = admin_}).status, 400);
  // Compliance only: an editor is refused.
  Tokens editor = env_->Login("a", "editor");
  EXPECT_EQ(env_->Call("GET", "/api/v1/audit", {}, {.token = editor.access}).status, 403);
}

TEST_P(AuditTrailTest, VerifyPassesOnAnIntactTrail) {
  auto r = Verify(StoppedCopy("intact"));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, ::testing::HasSubstr("audit trail intact"));
}

TEST_P(AuditTrailTest, VerifyNamesAnEditedEntry) {
  const std::string cfg = StoppedCopy("edited");
  Exec("UPDATE audit_log SET decision = 'allow' WHERE seq = 3");
  auto r = Verify(cfg);
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, ::testing::HasSubstr("seq=3 "));
  EXPECT_THAT(r.out, ::testing::HasSubstr("entry_altered"));
}

TEST_P(AuditTrailTest, VerifyNamesADeletedEntry) {
  const std::string cfg = StoppedCopy("deleted");
  Exec("DELETE FROM audit_log WHERE seq = 4");
  auto r = Verify(cfg);
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, ::testing::HasSubstr("seq=5 "));
  EXPECT_THAT(r.out, ::testing::HasSubstr("entry_missing"));
}

TEST_P(AuditTrailTest, VerifyNamesReorderedEntries) {
  const std::string cfg = StoppedCopy("reordered");
  Exec("UPDATE audit_log SET seq = -2 WHERE seq = 2");
  Exec("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  Exec("UPDATE audit_log SET seq = 3 WHERE seq = -2");
  auto r = Verify(cfg);
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, ::testing::HasSubstr("seq=2 "));
}

TEST_P(AuditTrailTest, VerifyCatchesARewrittenChainThroughTheSignedCheckpoint) {
  const std::string cfg = StoppedCopy("rewritten");
  // An attacker without the signing key edits entry 3 and recomputes every hash
  // after it, and the head: the chain links, but the signed checkpoint disagrees.
  auto rows = db_->Run([](store::Connection& c) {
    return c.Query(
        "SELECT seq, id, at, tenant_id, actor_user_id, action, resource, decision, "
        "trust_score, ip_anon, request_id, details, prev_hash, hash FROM audit_log "
        "ORDER BY seq");
  });
  ASSERT_TRUE(rows);
  std::string prev;
  int64_t last = 0;
  for (const auto& row : *rows) {
    audit::StoredEntry e;
    e.seq = row.Int("seq");
    e.id = row.Text("id");
    e.at = row.Text("at");
    e.entry.tenant_id = row.OptInt("tenant_id");
    e.entry.actor_user_id = row.OptInt("actor_user_id");
    e.entry.action = row.Text("action");
    e.entry.resource = row.Text("resource");
    e.entry.decision = e.seq == 3 ? "allow" : row.Text("decision");
    if (auto t = row.OptInt("trust_score")) e.entry.trust_score = static_cast<int>(*t);
    e.entry.ip_anon = row.Text("ip_anon");
    e.entry.request_id = row.Text("request_id");
    e.entry.details = nlohmann::json::parse(row.Text("details"));
    e.prev_hash = e.seq == 1 ? row.Text("prev_hash") : prev;
    e.hash = audit::ChainHash(e.prev_hash, audit::CanonicalContent(e));
    prev = e.hash;
    last = e.seq;
    auto u = db_->Run([&](store::Connection& c) {
      return c.Execute(
          "UPDATE audit_log SET decision = $2, prev_hash = $3, hash = $4 WHERE seq = $1",
          {e.seq, e.entry.decision, e.prev_hash, e.hash});
    });
    ASSERT_TRUE(u);
  }
  auto h = db_->Run([&](store::Connection& c) {
    return c.Execute("UPDATE audit_head SET hash = $1 WHERE id = 1", {prev});
  });
  ASSERT_TRUE(h);
  auto r = Verify(cfg);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_THAT(r.out, ::testing::HasSubstr("checkpoint_mismatch"));
  EXPECT_THAT(r.out, ::testing::HasSubstr(fmt::format("seq={}", last)));
}

TEST_P(AuditTrailTest, VerifyCatchesTruncation) {
  const std::string cfg = StoppedCopy("truncated");
  Exec("DELETE FROM audit_log WHERE seq > 5");
  auto r = Verify(cfg);
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.out, ::testing::HasSubstr("entries_truncated"));
  EXPECT_THAT(r.out, ::testing::HasSubstr("seq=6"));
}

HCMS_INSTANTIATE_BACKENDS(AuditTrailTest);

}  // namespace
}  // namespace hcms::testing
