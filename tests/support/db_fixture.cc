#include "tests/support/db_fixture.h"

#include <mutex>
#include <stdexcept>

#include "store/migrations.h"
#include "tests/support/postgres_server.h"

namespace hcms::testing {

namespace {

// A migrated PostgreSQL database to copy, made once per test program.
std::string MigratedPostgresTemplate() {
  static std::once_flag once;
  static std::string name;
  std::call_once(once, [] {
    const std::string url = PostgresServer::Shared().CreateDatabase();
    {
      store::DatabaseOptions o;
      o.dialect = store::Dialect::kPostgres;
      o.postgres_url = url;
      o.pool_size = 1;
      auto db = store::Database::Open(o);
      if (!db) throw std::runtime_error("template open failed: " + db.error().ToLogString());
      auto r = store::Migrate(**db, store::BuiltinMigrations(store::Dialect::kPostgres),
                              SystemClock::Instance());
      if (!r) throw std::runtime_error("template migration failed: " + r.error().ToLogString());
    }  // closed: a template must have no connections
    name = PostgresServer::DatabaseName(url);
  });
  return name;
}

}  // namespace

std::unique_ptr<store::Database> OpenTestDatabase(Backend backend, bool migrated,
                                                  const TempDir& dir, store::DatabaseOptions o) {
  if (backend == Backend::kSqlite) {
    o.dialect = store::Dialect::kSqlite;
    o.sqlite_path = dir.File("test.db");
  } else {
    o.dialect = store::Dialect::kPostgres;
    o.postgres_url = PostgresServer::Shared().CreateDatabase(migrated ? MigratedPostgresTemplate()
                                                                      : "template1");
  }
  auto db = store::Database::Open(o);
  if (!db) throw std::runtime_error("cannot open the test database: " + db.error().ToLogString());
  if (migrated && backend == Backend::kSqlite) {
    auto r = store::Migrate(**db, store::BuiltinMigrations(store::Dialect::kSqlite),
                            SystemClock::Instance());
    if (!r) throw std::runtime_error("migration failed: " + r.error().ToLogString());
  }
  return std::move(*db);
}

void DatabaseTest::SetUp() {
  dir_ = std::make_unique<TempDir>();
  db_ = OpenTestDatabase(GetParam(), Migrated(), *dir_, options_);
}

void DatabaseTest::TearDown() {
  db_.reset();
  dir_.reset();
}

}  // namespace hcms::testing
