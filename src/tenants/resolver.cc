#include "tenants/resolver.h"

#include <cctype>

namespace hcms::tenants {

namespace {

std::string HostOnly(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // [v6]:port
    const size_t end = host.find(']');
    host = host.substr(0, end == std::string_view::npos ? host.size() : end + 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string out;
  for (char c : host) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<Tenant> TenantResolver::Resolve(std::string_view host_header) {
  const std::string host = HostOnly(host_header);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(host); it != cache_.end() && it->second.expires > now)
      return it->second.tenant;
  }
  std::optional<Tenant> found;
  if (!host.empty()) {
    HCMS_TRY(found, repo_.FindByHost(host));
  }
  if (!found) {
    HCMS_TRY(Tenant t, repo_.FindBySlug(default_slug_));
    found = std::move(t);
  }
  std::lock_guard lock(mu_);
  if (cache_.size() > 1024) cache_.clear();  // hostile Host headers must not grow it
  cache_[host] = Entry{*found, now + ttl_};
  return *found;
}

std::optional<Tenant> TenantResolver::Peek(std::string_view host_header) {
  const std::string host = HostOnly(host_header);
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (auto it = cache_.find(host); it != cache_.end() && it->second.expires > now)
    return it->second.tenant;
  return std::nullopt;
}

void TenantResolver::Invalidate() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace hcms::tenants
