#include "store/connection_pool.h"

#include "core/log.h"

namespace hcms::store {

ConnectionPool::ConnectionPool(Factory factory, int size)
    : factory_(std::move(factory)), size_(size) {}

ConnectionPool::~ConnectionPool() = default;

Result<PooledConnection> ConnectionPool::Acquire(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->IsHealthy()) {
        ++acquired_total_;
        return PooledConnection(this, std::move(conn));
      }
      --open_;  // drop the broken one and look again
    }
    if (open_ < size_) {
      ++open_;
      lock.unlock();
      auto conn = factory_();
      lock.lock();
      if (!conn) {
        --open_;
        cv_.notify_one();
        return std::unexpected(std::move(conn).error());
      }
      ++acquired_total_;
      return PooledConnection(this, std::move(*conn));
    }
    ++waiting_;
    const bool woke =
        cv_.wait_until(lock, deadline, [&] { return !idle_.empty() || open_ < size_; });
    --waiting_;
    if (!woke) {
      ++timeouts_total_;
      return Unavailable("database_pool_exhausted",
                         "no database connection free within the acquire timeout");
    }
  }
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  if (conn->InTransaction()) {
    if (!conn->Rollback()) conn.reset();
  }
  std::lock_guard lock(mu_);
  if (conn && conn->IsHealthy()) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

PoolStats ConnectionPool::Stats() const {
  std::lock_guard lock(mu_);
  PoolStats s;
  s.size = size_;
  s.open = open_;
  s.in_use = open_ - static_cast<int>(idle_.size());
  s.waiting = waiting_;
  s.acquired_total = acquired_total_;
  s.timeouts_total = timeouts_total_;
  return s;
}

PooledConnection::PooledConnection(ConnectionPool* pool, std::unique_ptr<Connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}

PooledConnection::PooledConnection(PooledConnection&& o) noexcept
    : pool_(o.pool_), conn_(std::move(o.conn_)) {
  o.pool_ = nullptr;
}

PooledConnection& PooledConnection::operator=(PooledConnection&& o) noexcept {
  if (this != &o) {
    if (pool_ != nullptr && conn_) pool_->Release(std::move(conn_));
    pool_ = o.pool_;
    conn_ = std::move(o.conn_);
    o.pool_ = nullptr;
  }
  return *this;
}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && conn_) pool_->Release(std::move(conn_));
}

}  // namespace hcms::store
