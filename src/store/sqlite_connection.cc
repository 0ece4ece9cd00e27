// SQLite backend: one sqlite3* per Connection, WAL, foreign keys on, statements
// cached, statement time limited through the progress handler.

#include <chrono>
#include <unordered_map>

#include <fmt/format.h>
#include <sqlite3.h>

#include "store/database.h"
#include "store/sql_params.h"

namespace hcms::store {

namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // SQLite messages name tables/columns/constraints, never row values.
  const std::string internal = fmt::format("sqlite {} failed: {} ({})", what, msg, ext);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error(ErrorKind::kConflict, "unique_violation", {}, internal);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error(ErrorKind::kFailedPrecondition, "foreign_key_violation", {}, internal);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Error(ErrorKind::kInvalidArgument, "check_violation", {}, internal);
    default:
      break;
  }
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorKind::kUnavailable, "database_busy", {}, internal);
    case SQLITE_INTERRUPT:
      return Error(ErrorKind::kDeadlineExceeded, "database_timeout", {}, internal);
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return Error(ErrorKind::kUnavailable, "database_unavailable", {}, internal);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorKind::kInternal, "database_corrupt", {}, internal);
    default:
      return Error(ErrorKind::kInternal, "database_error", {}, internal);
  }
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::chrono::milliseconds statement_timeout)
      : db_(db), statement_timeout_(statement_timeout) {
    sqlite3_progress_handler(db_, 10000, &SqliteConnection::OnProgress, this);
  }

  ~SqliteConnection() override {
    // What SQLite asks of long-lived connections: analyse, within a small budget, the
    // tables this connection's queries would have planned better with statistics
    // (usually a no-op; never-analysed or much-grown tables). Failure costs nothing.
    sqlite3_exec(db_, "PRAGMA analysis_limit = 400; PRAGMA optimize;", nullptr, nullptr, nullptr);
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    HCMS_TRY(sqlite3_stmt * stmt, Prepare(sql));
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};

    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected > static_cast<int>(params.size())) {
      return Internal(
          fmt::format("statement wants {} parameters, got {}", expected, params.size()));
    }
    for (int i = 0; i < expected; ++i) {
      if (int rc = Bind(stmt, i + 1, params[static_cast<size_t>(i)]); rc != SQLITE_OK) {
        return std::unexpected(SqliteError(db_, rc, "bind"));
      }
    }

    Rows rows;
    const int ncols = sqlite3_column_count(stmt);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int c = 0; c < ncols; ++c) columns->emplace_back(sqlite3_column_name(stmt, c));
    rows.columns = *columns;

    deadline_ = std::chrono::steady_clock::now() + statement_timeout_;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return std::unexpected(SqliteError(db_, rc, "step"));
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(Column(stmt, c));
      rows.rows.emplace_back(columns, std::move(values));
    }
    const bool writes = !sqlite3_stmt_readonly(stmt);
    rows.affected = writes ? sqlite3_changes(db_) : 0;
    if (writes && !InTransaction()) NoteCommittedWrite();
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    deadline_ = std::chrono::steady_clock::now() + statement_timeout_ * 10;
    std::string s(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "script"));
    if (!InTransaction()) NoteCommittedWrite();
    return Ok();
  }

  Status Begin(bool write) override {
    changes_at_begin_ = sqlite3_total_changes64(db_);
    return Simple(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  Status Commit() override {
    HCMS_CHECK(Simple("COMMIT"));
    if (sqlite3_total_changes64(db_) != changes_at_begin_) NoteCommittedWrite();
    return Ok();
  }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return Ok();
    return Simple("ROLLBACK");
  }
  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  bool IsHealthy() const override { return true; }

 private:
  static int OnProgress(void* self) {
    auto* c = static_cast<SqliteConnection*>(self);
    return std::chrono::steady_clock::now() > c->deadline_ ? 1 : 0;
  }

  sqlite3_int64 changes_at_begin_ = 0;  // rows changed before the open transaction began

  Status Simple(const char* sql) {
    deadline_ = std::chrono::steady_clock::now() + statement_timeout_;
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, sql));
    return Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(std::string(sql)); it != cache_.end()) return it->second;
    if (cache_.size() >= kMaxCached) {
      for (auto& [k, stmt] : cache_) sqlite3_finalize(stmt);
      cache_.clear();
    }
    const std::string rewritten = RewriteParamsForSqlite(sql);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db_, rc, "prepare"));
    if (stmt == nullptr) return Internal("empty SQL statement");
    cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  static int Bind(sqlite3_stmt* stmt, int index, const Value& v) {
    struct B {
      sqlite3_stmt* s;
      int i;
      int operator()(std::monostate) const { return sqlite3_bind_null(s, i); }
      int operator()(int64_t x) const { return sqlite3_bind_int64(s, i, x); }
      int operator()(double x) const { return sqlite3_bind_double(s, i, x); }
      int operator()(bool x) const { return sqlite3_bind_int(s, i, x ? 1 : 0); }
      int operator()(const std::string& x) const {
        return sqlite3_bind_text64(s, i, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      int operator()(const Blob& x) const {
        return sqlite3_bind_blob64(s, i, x.data(), x.size(), SQLITE_STATIC);
      }
    };
    return std::visit(B{stmt, index}, v.storage());
  }

  static Value Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return Value(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
      case SQLITE_FLOAT:
        return Value(sqlite3_column_double(stmt, c));
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return Value(std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, c));
        return Value(Blob(p, p + sqlite3_column_bytes(stmt, c)));
      }
      default:
        return Value();
    }
  }

  static constexpr size_t kMaxCached = 512;
  sqlite3* db_;
  std::chrono::milliseconds statement_timeout_;
  std::chrono::steady_clock::time_point deadline_{};
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// By default SQLite keeps global memory statistics behind one process-wide mutex
// taken on every allocation. With pooled connections on several worker threads that
// mutex became the hottest lock of read-heavy loads (perf on /wp-json search: ~40 %
// of the CPU in futex wake/wait under sqlite3Malloc). Nothing here reads those
// statistics, so they are switched off before the library initialises.
void ConfigureSqliteOnce() {
  static const int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)rc;  // SQLITE_MISUSE if the library was initialised first: keep the default
}

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqlite(const DatabaseOptions& options) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(options.sqlite_path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, "open");
    sqlite3_close_v2(db);
    return std::unexpected(
        Error(ErrorKind::kUnavailable, "database_unavailable", {}, e.internal()));
  }
  sqlite3_extended_result_codes(db, 1);
  auto conn = std::make_unique<SqliteConnection>(db, options.statement_timeout);
  const bool memory = options.sqlite_path == ":memory:";
  std::string pragmas = fmt::format(
      "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL;",
      options.statement_timeout.count());
  // Reads through a memory map instead of a pread() per page: under load the
  // pread calls were a third of the CPU of a /wp-json list (perf). The map is the
  // OS page cache, shared by every connection.
  if (!memory) pragmas += "PRAGMA journal_mode = WAL; PRAGMA mmap_size = 268435456;";
  if (auto s = conn->ExecuteScript(pragmas); !s) {
    return std::unexpected(
        Error(ErrorKind::kUnavailable, "database_unavailable", {}, s.error().internal()));
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace hcms::store
