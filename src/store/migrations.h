// Versioned schema migrations, one ordered list per dialect.
//
// The SQL lives in src/store/migrations/<dialect>/NNNN_name.sql and is compiled into
// the binary. Every version exists for both dialects. Each migration runs in its own
// transaction together with its row in schema_migrations, so a migration that fails
// half-way leaves nothing behind. Applied migrations are checksummed: editing one
// after release is detected, as is a database newer than the binary.
// Concurrent migrators serialise on a lock (advisory lock on PostgreSQL, the write
// lock on SQLite).

#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/database.h"

namespace hcms::store {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations compiled into this binary, in version order.
const std::vector<Migration>& BuiltinMigrations(Dialect dialect);

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<int> applied;
};

// Applies every migration in `migrations` that the database lacks, in order.
// Errors: kFailedPrecondition "schema_too_new" (database has versions this binary
// does not know), "migration_modified" (checksum differs); the failing migration's
// own error otherwise, with the version in its internal message.
Result<MigrationReport> Migrate(Database& db, std::span<const Migration> migrations,
                                const Clock& clock);

// Highest applied version; 0 on an empty database.
Result<int> SchemaVersion(Database& db);

}  // namespace hcms::store
