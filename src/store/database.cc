#include "store/database.h"

#include <atomic>

#include "store/connection_pool.h"

namespace hcms::store {

namespace {
std::atomic<uint64_t> g_write_epoch{0};
}  // namespace

uint64_t WriteEpoch() { return g_write_epoch.load(std::memory_order_acquire); }
void NoteCommittedWrite() { g_write_epoch.fetch_add(1, std::memory_order_acq_rel); }

std::string_view DialectName(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgres"; }

Result<std::optional<Row>> Connection::QueryOne(std::string_view sql,
                                                std::initializer_list<Value> params) {
  HCMS_TRY(Rows rows, Query(sql, params));
  if (rows.empty()) return std::optional<Row>();
  return std::optional<Row>(std::move(rows.rows.front()));
}

Result<int64_t> Connection::Execute(std::string_view sql, std::initializer_list<Value> params) {
  HCMS_TRY(Rows rows, Query(sql, params));
  return rows.affected;
}

Database::Database(DatabaseOptions options) : options_(std::move(options)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  DatabaseOptions o = options;
  if (o.dialect == Dialect::kSqlite && o.sqlite_path == ":memory:") o.pool_size = 1;
  if (o.pool_size < 1) o.pool_size = 1;
  std::unique_ptr<Database> db(new Database(o));
  ConnectionPool::Factory factory = [opts = o]() {
    return opts.dialect == Dialect::kSqlite ? OpenSqlite(opts) : OpenPostgres(opts);
  };
  db->pool_ = std::make_unique<ConnectionPool>(std::move(factory), o.pool_size);
  // Fail fast on a wrong path or URL.
  auto first = db->pool_->Acquire(o.acquire_timeout);
  if (!first) return std::unexpected(std::move(first).error());
  return db;
}

Result<PooledConnection> Database::Acquire() { return pool_->Acquire(options_.acquire_timeout); }

Result<std::chrono::microseconds> Database::Ping() {
  const auto start = std::chrono::steady_clock::now();
  HCMS_TRY(auto conn, Acquire());
  HCMS_TRY(auto rows, conn->Query("SELECT 1"));
  (void)rows;
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

PoolStats Database::Stats() const { return pool_->Stats(); }

}  // namespace hcms::store
