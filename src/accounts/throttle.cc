#include "accounts/throttle.h"

#include <algorithm>
#include <cctype>

namespace hcms::accounts {

namespace {

std::chrono::seconds CeilSeconds(std::chrono::microseconds d) {
  return std::chrono::seconds((d.count() + 999999) / 1000000);
}

}  // namespace

std::string LoginThrottle::Key(int64_t tenant_id, std::string_view email) {
  std::string k = std::to_string(tenant_id) + "|";
  for (char c : email) {
    if (!std::isspace(static_cast<unsigned char>(c)))
      k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return k;
}

std::chrono::seconds LoginThrottle::RetryAfter(int64_t tenant_id, std::string_view email,
                                               std::string_view ip) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  std::chrono::microseconds wait{0};
  if (auto it = accounts_.find(Key(tenant_id, email)); it != accounts_.end()) {
    if (it->second.locked_until > now) wait = it->second.locked_until - now;
  }
  if (auto it = ips_.find(std::string(ip)); it != ips_.end()) {
    auto& q = it->second;
    while (!q.empty() && now - q.front() >= options_.ip_window) q.pop_front();
    if (static_cast<int>(q.size()) >= options_.ip_max_failures) {
      const auto ip_wait = std::chrono::duration_cast<std::chrono::microseconds>(
          q.front() + options_.ip_window - now);
      wait = std::max(wait, ip_wait);
    }
  }
  return wait.count() > 0 ? CeilSeconds(wait) : std::chrono::seconds(0);
}

void LoginThrottle::RecordFailure(int64_t tenant_id, std::string_view email, std::string_view ip) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  if (accounts_.size() > 200000) accounts_.clear();
  if (ips_.size() > 200000) ips_.clear();
  Account& a = accounts_[Key(tenant_id, email)];
  if (now - a.last_failure > std::chrono::hours(1)) a.failures = 0;
  ++a.failures;
  a.last_failure = now;
  if (a.failures >= options_.max_failures) {
    const int doublings = std::min(a.failures - options_.max_failures, 20);
    auto lock_for = options_.base_lockout * (int64_t{1} << doublings);
    if (lock_for > options_.max_lockout) lock_for = options_.max_lockout;
    a.locked_until = now + lock_for;
  }
  ips_[std::string(ip)].push_back(now);
}

void LoginThrottle::RecordSuccess(int64_t tenant_id, std::string_view email) {
  std::lock_guard lock(mu_);
  accounts_.erase(Key(tenant_id, email));
}

}  // namespace hcms::accounts
