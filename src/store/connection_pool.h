// A bounded pool of connections, opened lazily up to `size`.
//
// Acquire blocks up to a timeout when every connection is in use. A connection that
// comes back unhealthy, or with a transaction still open that cannot be rolled back,
// is dropped and a fresh one is opened on a later Acquire. Thread-safe.

#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/database.h"

namespace hcms::store {

class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;

  ConnectionPool(Factory factory, int size);
  ~ConnectionPool();

  Result<PooledConnection> Acquire(std::chrono::milliseconds timeout);
  PoolStats Stats() const;

 private:
  friend class PooledConnection;
  void Release(std::unique_ptr<Connection> conn);

  Factory factory_;
  const int size_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // guarded by mu_
  int waiting_ = 0;                                // guarded by mu_
  int64_t acquired_total_ = 0;                     // guarded by mu_
  int64_t timeouts_total_ = 0;                     // guarded by mu_
};

}  // namespace hcms::store
