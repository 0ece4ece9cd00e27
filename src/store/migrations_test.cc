#include "store/migrations.h"

#include <filesystem>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/sql_params.h"
#include "tests/support/db_fixture.h"

namespace hcms::store {
namespace {

class MigrationTest : public hcms::testing::DatabaseTest {
 protected:
  bool Migrated() const override { return false; }

  bool TableExists(std::string_view name) {
    const std::string sql =
        db().dialect() == Dialect::kSqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = $1";
    auto r = db().Run([&](Connection& c) { return c.Query(sql, {name}); });
    return r && (*r)[0].Int(0) > 0;
  }
};

TEST_P(MigrationTest, AppliesBuiltinMigrationsOnceAndInOrder) {
  const auto& builtin = BuiltinMigrations(db().dialect());
  auto first = Migrate(db(), builtin, clock());
  ASSERT_TRUE(first) << first.error().ToLogString();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, builtin.back().version);
  EXPECT_EQ(first->applied.size(), builtin.size());
  EXPECT_TRUE(TableExists("tenants"));
  EXPECT_TRUE(TableExists("users"));

  auto second = Migrate(db(), builtin, clock());
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->applied.empty());
  auto version = SchemaVersion(db());
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, builtin.back().version);
}

TEST_P(MigrationTest, AFailingMigrationLeavesNothingBehind) {
  std::vector<Migration> ms = {
      {1, "good", "CREATE TABLE a (id INTEGER PRIMARY KEY)"},
      {2, "half",
       "CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO a (id) VALUES (1); CREATE TABLE oops "
       "("},
  };
  auto r = Migrate(db(), ms, clock());
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().internal(), ::testing::HasSubstr("migration 2 (half) rolled back"));
  EXPECT_TRUE(TableExists("a"));
  EXPECT_FALSE(TableExists("b"));  // created by the failed migration, then rolled back
  auto count = db().Run([](Connection& c) { return c.Query("SELECT COUNT(*) FROM a"); });
  ASSERT_TRUE(count);
  EXPECT_EQ((*count)[0].Int(0), 0);
  auto version = SchemaVersion(db());
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, 1);

  // Fixed, it applies.
  ms[1].sql = "CREATE TABLE b (id INTEGER PRIMARY KEY)";
  auto fixed = Migrate(db(), ms, clock());
  ASSERT_TRUE(fixed) << fixed.error().ToLogString();
  EXPECT_EQ(fixed->applied, std::vector<int>{2});
}

TEST_P(MigrationTest, AnEditedAppliedMigrationIsRefused) {
  std::vector<Migration> ms = {{1, "one", "CREATE TABLE a (id INTEGER PRIMARY KEY)"}};
  ASSERT_TRUE(Migrate(db(), ms, clock()));
  ms[0].sql = "CREATE TABLE a (id INTEGER PRIMARY KEY, extra TEXT)";
  auto r = Migrate(db(), ms, clock());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "migration_modified");
}

TEST_P(MigrationTest, ADatabaseNewerThanTheBinaryIsRefused) {
  std::vector<Migration> ms = {{1, "one", "CREATE TABLE a (id INTEGER PRIMARY KEY)"},
                               {2, "two", "CREATE TABLE b (id INTEGER PRIMARY KEY)"}};
  ASSERT_TRUE(Migrate(db(), ms, clock()));
  ms.pop_back();
  auto r = Migrate(db(), ms, clock());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "schema_too_new");
}

TEST_P(MigrationTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  const auto& builtin = BuiltinMigrations(db().dialect());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::atomic<size_t> applied{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto r = Migrate(db(), builtin, clock());
      if (!r) {
        ++failures;
      } else {
        applied += r->applied.size();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), builtin.size());
}

TEST_P(MigrationTest, PublicListingCountsReadTheListingIndexAlone) {
  // X-WP-Total and the home page (sticky posts first, then the others) count a
  // practice's public posts; with every filtered column in the listing index the
  // count never reads a table row (migrations 0600 and 0700). PostgreSQL chooses
  // by table statistics, so only SQLite's plan is fixed enough to check.
  if (db().dialect() != Dialect::kSqlite) GTEST_SKIP() << "SQLite query plan";
  ASSERT_TRUE(Migrate(db(), BuiltinMigrations(db().dialect()), clock()));
  const std::string count =
      "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM posts p WHERE p.tenant_id = 1 AND p.type IN "
      "('post') AND p.status IN ('publish') AND p.compliance_level IN ('public')";
  for (const std::string& sql : {count, count + " AND p.sticky = 1", count + " AND p.sticky = 0"}) {
    auto plan = db().Run([&](Connection& c) { return c.Query(sql, {}); });
    ASSERT_TRUE(plan) << plan.error().ToLogString();
    std::string details;
    for (const auto& row : *plan) details += row.Text(3) + "\n";
    EXPECT_THAT(details, ::testing::HasSubstr("COVERING INDEX")) << sql;
  }
}

HCMS_INSTANTIATE_BACKENDS(MigrationTest);

TEST(BuiltinMigrations, EveryVersionExistsForBothDialects) {
  std::set<std::pair<int, std::string>> sqlite, postgres;
  for (const auto& m : BuiltinMigrations(Dialect::kSqlite)) sqlite.insert({m.version, m.name});
  for (const auto& m : BuiltinMigrations(Dialect::kPostgres)) postgres.insert({m.version, m.name});
  EXPECT_EQ(sqlite, postgres);
  EXPECT_FALSE(sqlite.empty());
}

TEST(BuiltinMigrations, TenantTablesCarryTenantId) {
  // Every table holds tenant data and declares tenant_id, except these, which are
  // global by design. Adding one here needs a reason.
  const std::set<std::string> global = {
      "tenants",            // the registry of tenants itself
      "audit_checkpoints",  // signatures over the one, cross-tenant audit hash chain
      "audit_head",         // the chain's current head (a single row)
      "plugin_modules",     // WebAssembly code by SHA-256, shared by practices; each
                            // practice's registration (plugins) carries tenant_id
  };
  for (const auto& m : BuiltinMigrations(Dialect::kSqlite)) {
    size_t pos = 0;
    while ((pos = m.sql.find("CREATE TABLE ", pos)) != std::string::npos) {
      pos += 13;
      std::string name = m.sql.substr(pos, m.sql.find_first_of(" (", pos) - pos);
      const size_t end = m.sql.find(";", pos);
      const std::string body = m.sql.substr(pos, end - pos);
      if (global.count(name) > 0) continue;

      EXPECT_THAT(body, ::testing::HasSubstr("tenant_id"))
          << "table " << name << " in migration " << m.version;
    }
  }
}

TEST(RewriteParamsForSqlite, NumbersParametersAndLeavesQuotesAlone) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $1, $2 FROM t WHERE a = $10"),
            "SELECT ?1, ?2 FROM t WHERE a = ?10");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT '$1', \"$2\", 'it''s $3', $4"),
            "SELECT '$1', \"$2\", 'it''s $3', ?4");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT 1 -- $1\n, $2"), "SELECT 1 -- $1\n, ?2");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT /* $1 */ $2"), "SELECT /* $1 */ ?2");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $a, $"), "SELECT $a, $");
}

}  // namespace
}  // namespace hcms::store
