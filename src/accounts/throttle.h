// Sign-in throttling: per account and per client IP, in memory.
//
// The account key is (tenant, normalised e-mail) whether or not such a user
// exists, so throttling never reveals which addresses are registered. After
// `max_failures` consecutive failures an account is locked for `base_lockout`,
// doubling with each further failure up to `max_lockout`; a success resets it,
// and failures older than an hour are forgotten. An IP address with more than
// `ip_max_failures` failures within `ip_window` is refused until the window
// passes. Raw IP addresses stay in this process's memory only. Thread-safe.

#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace hcms::accounts {

struct ThrottleOptions {
  int max_failures = 5;
  std::chrono::seconds base_lockout{60};
  std::chrono::seconds max_lockout{3600};
  int ip_max_failures = 20;
  std::chrono::seconds ip_window{600};
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleOptions options) : clock_(clock), options_(options) {}

  // Zero when a sign-in may be attempted now, else how long to wait.
  std::chrono::seconds RetryAfter(int64_t tenant_id, std::string_view email, std::string_view ip);
  void RecordFailure(int64_t tenant_id, std::string_view email, std::string_view ip);
  void RecordSuccess(int64_t tenant_id, std::string_view email);

 private:
  struct Account {
    int failures = 0;
    TimePoint last_failure{};
    TimePoint locked_until{};
  };
  static std::string Key(int64_t tenant_id, std::string_view email);

  const Clock& clock_;
  ThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Account> accounts_;           // guarded by mu_
  std::unordered_map<std::string, std::deque<TimePoint>> ips_;  // guarded by mu_
};

}  // namespace hcms::accounts
