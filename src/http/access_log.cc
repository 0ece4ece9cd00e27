#include "http/access_log.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/ip_address.h"
#include "core/json_escape.h"

namespace hcms::http {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path) {
  if (path.empty()) return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return Unavailable("access_log_unwritable", "cannot open the access log file");
  return std::unique_ptr<AccessLog>(new AccessLog(f, true));
}

AccessLog::~AccessLog() {
  if (owned_) std::fclose(file_);
}

std::string AccessLog::Format(const Exchange& x, std::string_view ts) {
  fmt::memory_buffer b;
  fmt::format_to(
      std::back_inserter(b),
      "{{\"ts\":\"{}\",\"request_id\":\"{}\",\"method\":\"{}\",\"route\":\"{}\",\"path\":\"{}\","
      "\"status\":{},\"bytes\":{},\"duration_ms\":{:.3f},\"remote\":\"{}\"}}\n",
      ts, JsonEscape(x.request_id), MethodName(x.method), JsonEscape(x.route), JsonEscape(x.path),
      x.status, x.response_bytes, static_cast<double>(x.duration.count()) / 1000.0,
      x.remote_ip.empty() ? "" : AnonymizeIp(x.remote_ip));
  return fmt::to_string(b);
}

void AccessLog::OnRequestEnd(const Exchange& x) {
  const std::string line = Format(x, FormatTimestamp(SystemClock::Instance().Now()));
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace hcms::http
