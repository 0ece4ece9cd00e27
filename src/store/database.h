// The storage boundary: one interface, two real backends (SQLite, PostgreSQL).
//
// SQL is written once with PostgreSQL-style numbered parameters ($1, $2, ...); the
// SQLite backend binds them as ?1, ?2. Values are always bound, never spliced into
// SQL text. Where the dialects differ, branch on Connection::dialect().
//
//   HCMS_TRY(auto conn, db.Acquire());
//   HCMS_TRY(auto rows, conn->Query("SELECT id, name FROM tenants WHERE slug = $1", {slug}));
//
//   auto id = db.Transact([&](Connection& tx) -> Result<int64_t> {
//     HCMS_TRY(auto r, tx.Query(kInsertTenant, {slug, name, now}));
//     return r[0].Int(0);
//   });
//
// Thread safety: a Database is safe to share between threads. A Connection belongs to
// the thread that acquired it until its PooledConnection is destroyed. All calls
// block; the HTTP server runs them on its worker pool, never on an I/O thread.
//
// Errors: constraint violations come back as kConflict "unique_violation",
// kFailedPrecondition "foreign_key_violation", kInvalidArgument "check_violation";
// timeouts as kDeadlineExceeded "database_timeout"; lost or refused connections and
// an exhausted pool as kUnavailable. Internal messages name the constraint or SQLSTATE
// and never carry row values.

#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"
#include "store/row.h"
#include "store/value.h"

namespace hcms::store {

enum class Dialect { kSqlite, kPostgres };
std::string_view DialectName(Dialect d);

// One database session. Not thread-safe; see the file comment.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Dialect dialect() const = 0;

  // Runs one statement. Prepared statements are cached per connection by SQL text.
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params) = 0;
  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // The first row, or nullopt.
  Result<std::optional<Row>> QueryOne(std::string_view sql,
                                      std::initializer_list<Value> params = {});
  // Rows affected.
  Result<int64_t> Execute(std::string_view sql, std::initializer_list<Value> params = {});

  // Several statements without parameters (migrations). Not for user input.
  virtual Status ExecuteScript(std::string_view sql) = 0;

  // Transactions. `write` takes the write lock up front on SQLite (BEGIN IMMEDIATE),
  // avoiding lock-upgrade deadlocks; PostgreSQL ignores it.
  virtual Status Begin(bool write = true) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // False once the session is unusable (PostgreSQL connection lost); the pool then
  // discards it.
  virtual bool IsHealthy() const = 0;
};

struct DatabaseOptions {
  Dialect dialect = Dialect::kSqlite;
  std::string sqlite_path;  // file; ":memory:" only with pool_size 1
  std::string postgres_url;
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds statement_timeout{5000};
};

struct PoolStats {
  int size = 0;  // configured maximum
  int open = 0;  // connections that exist
  int in_use = 0;
  int waiting = 0;  // threads blocked in Acquire
  int64_t acquired_total = 0;
  int64_t timeouts_total = 0;
};

class ConnectionPool;

// A connection on loan from the pool; returned when destroyed. A transaction left
// open is rolled back on return.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> conn);
  PooledConnection(PooledConnection&&) noexcept;
  PooledConnection& operator=(PooledConnection&&) noexcept;
  ~PooledConnection();

  Connection* operator->() const { return conn_.get(); }
  Connection& operator*() const { return *conn_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<Connection> conn_;
};

// A pool of connections to one database. Thread-safe.
class Database {
 public:
  // Opens the first connection eagerly, so a wrong path or URL fails here.
  static Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options);
  ~Database();

  Dialect dialect() const { return options_.dialect; }
  const DatabaseOptions& options() const { return options_; }

  // Waits up to options().acquire_timeout; kUnavailable "database_pool_exhausted" after.
  Result<PooledConnection> Acquire();

  // Acquires a connection and runs `fn(Connection&)`, which returns a Result.
  template <class F>
  auto Run(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
    auto conn = Acquire();
    if (!conn) return std::unexpected(std::move(conn).error());
    return fn(**conn);
  }

  // Runs `fn(Connection&)` inside a transaction: committed if fn returns a value,
  // rolled back if it returns an error or throws.
  template <class F>
  auto Transact(F&& fn, bool write = true) -> decltype(fn(std::declval<Connection&>())) {
    auto conn = Acquire();
    if (!conn) return std::unexpected(std::move(conn).error());
    return InTransaction(**conn, std::forward<F>(fn), write);
  }

  // "SELECT 1" round trip; returns its duration.
  Result<std::chrono::microseconds> Ping();

  PoolStats Stats() const;

 private:
  explicit Database(DatabaseOptions options);
  DatabaseOptions options_;
  std::unique_ptr<ConnectionPool> pool_;
};

// Runs fn inside BEGIN/COMMIT on `conn`, rolling back on error or exception.
template <class F>
auto InTransaction(Connection& conn, F&& fn, bool write = true)
    -> decltype(fn(std::declval<Connection&>())) {
  if (auto s = conn.Begin(write); !s) return std::unexpected(std::move(s).error());
  try {
    auto result = fn(conn);
    if (!result) {
      (void)conn.Rollback();
      return result;
    }
    if (auto s = conn.Commit(); !s) {
      (void)conn.Rollback();
      return std::unexpected(std::move(s).error());
    }
    return result;
  } catch (...) {
    (void)conn.Rollback();
    throw;
  }
}

// Moves forward after every write this process commits: a transaction that changed
// rows, a changing statement outside a transaction, a script. In-process caches
// that read the database remember it, and trust what they read while it stays the
// same (api/public_cache.h). Writes of other processes do not move it.
uint64_t WriteEpoch();
// Called by the connections after such a commit.
void NoteCommittedWrite();

// Backend factories (one connection each). Used by the pool and by tests.
Result<std::unique_ptr<Connection>> OpenSqlite(const DatabaseOptions& options);
Result<std::unique_ptr<Connection>> OpenPostgres(const DatabaseOptions& options);

}  // namespace hcms::store
