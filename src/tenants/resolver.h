// Which tenant a public request is for: the tenant whose `host` equals the request's
// Host header (port stripped), else the default tenant (by slug, from config).
// Results are cached for a few seconds. Thread-safe.

#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "tenants/tenants.h"

namespace hcms::tenants {

class TenantResolver {
 public:
  TenantResolver(TenantRepository& repo, std::string default_slug,
                 std::chrono::seconds ttl = std::chrono::seconds(10))
      : repo_(repo), default_slug_(std::move(default_slug)), ttl_(ttl) {}

  // kNotFound "tenant_not_found" when neither the host nor the default exists.
  Result<Tenant> Resolve(std::string_view host_header);
  // The cached answer only; never reads the database (for the I/O threads).
  std::optional<Tenant> Peek(std::string_view host_header);
  void Invalidate();

 private:
  struct Entry {
    Tenant tenant;
    std::chrono::steady_clock::time_point expires;
  };
  TenantRepository& repo_;
  std::string default_slug_;
  std::chrono::seconds ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // guarded by mu_
};

}  // namespace hcms::tenants
