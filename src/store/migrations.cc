#include "store/migrations.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/log.h"
#include "crypto/sha256.h"

namespace hcms::store {

namespace {

constexpr std::string_view kCreateSqlite =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT "
    "NULL)";
constexpr std::string_view kCreatePostgres =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at "
    "TIMESTAMPTZ NOT NULL)";
// An arbitrary constant: the advisory lock key for migrations ("hcms" in ASCII).
constexpr std::string_view kLockPostgres = "SELECT pg_advisory_xact_lock(1751346541)";
constexpr std::string_view kSelectApplied =
    "SELECT version, checksum FROM schema_migrations ORDER BY version";
constexpr std::string_view kSelectVersion =
    "SELECT version FROM schema_migrations WHERE version = $1";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)";

Status EnsureTable(Database& db) {
  return db.Run([&](Connection& c) -> Status {
    if (c.dialect() == Dialect::kSqlite) return c.ExecuteScript(kCreateSqlite);
    // CREATE TABLE IF NOT EXISTS can race on PostgreSQL; take the lock first.
    return InTransaction(c, [&](Connection& tx) -> Status {
      HCMS_CHECK(tx.ExecuteScript(kLockPostgres));
      return tx.ExecuteScript(kCreatePostgres);
    });
  });
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
  HCMS_CHECK(EnsureTable(db));
  return db.Run([](Connection& c) -> Result<int> {
    HCMS_TRY(auto rows, c.Query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations"));
    return static_cast<int>(rows[0].Int(0));
  });
}

Result<MigrationReport> Migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock) {
  HCMS_CHECK(EnsureTable(db));
  MigrationReport report;

  HCMS_TRY(auto applied, db.Run([](Connection& c) { return c.Query(kSelectApplied); }));
  for (const auto& row : applied) {
    const int v = static_cast<int>(row.Int(0));
    report.from_version = std::max(report.from_version, v);
    auto m = std::find_if(migrations.begin(), migrations.end(),
                          [&](const Migration& x) { return x.version == v; });
    if (m == migrations.end()) {
      return std::unexpected(
          Error(ErrorKind::kFailedPrecondition, "schema_too_new", {},
                fmt::format("database has migration {} that this binary does not know", v)));
    }
    if (crypto::Sha256Hex(m->sql) != row.Text(1)) {
      return std::unexpected(
          Error(ErrorKind::kFailedPrecondition, "migration_modified", {},
                fmt::format("migration {} ({}) differs from the applied one", v, m->name)));
    }
  }
  report.to_version = report.from_version;

  for (const auto& m : migrations) {
    const auto start = std::chrono::steady_clock::now();
    auto done = db.Transact([&](Connection& tx) -> Result<bool> {
      if (tx.dialect() == Dialect::kPostgres) HCMS_CHECK(tx.ExecuteScript(kLockPostgres));
      HCMS_TRY(auto existing, tx.Query(kSelectVersion, {m.version}));
      if (!existing.empty()) return false;  // applied meanwhile, or earlier
      HCMS_CHECK(tx.ExecuteScript(m.sql));
      HCMS_TRY(auto ins, tx.Query(kInsertApplied, {m.version, m.name, crypto::Sha256Hex(m.sql),
                                                   FormatTimestamp(clock.Now())}));
      (void)ins;
      return true;
    });
    if (!done) {
      return std::unexpected(std::move(done).error().WithContext(
          fmt::format("migration {} ({}) rolled back", m.version, m.name)));
    }
    if (*done) {
      report.applied.push_back(m.version);
      report.to_version = std::max(report.to_version, m.version);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - start);
      log::Info("migration_applied", {{"version", m.version},
                                      {"name", m.name},
                                      {"ms", ms.count()},
                                      {"backend", DialectName(db.dialect())}});
    }
  }
  return report;
}

}  // namespace hcms::store
