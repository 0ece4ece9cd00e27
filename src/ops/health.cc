#include "ops/health.h"

#include <chrono>

#include "core/log.h"

namespace hcms::ops {

void HealthRegistry::Add(std::string name, std::function<CheckResult()> check, bool critical) {
  checks_.push_back({std::move(name), std::move(check), critical});
}

HealthReport HealthRegistry::Run() const {
  HealthReport report;
  nlohmann::json checks = nlohmann::json::object();
  for (const auto& c : checks_) {
    CheckResult r;
    const auto start = std::chrono::steady_clock::now();
    try {
      r = c.fn();
    } catch (const std::exception& e) {
      log::Error("health_check_exception", {{"check", c.name}, {"what", e.what()}});
      r = CheckResult::Fail({{"error", "check_failed"}});
    }
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    nlohmann::json entry = r.details.is_object() ? r.details : nlohmann::json::object();
    entry["status"] = r.ok ? "ok" : "fail";
    entry["critical"] = c.critical;
    entry["check_ms"] = static_cast<double>(us.count()) / 1000.0;
    checks[c.name] = std::move(entry);
    if (!r.ok && c.critical) report.healthy = false;
  }
  report.body = {{"status", report.healthy ? "ok" : "fail"}, {"checks", std::move(checks)}};
  return report;
}

}  // namespace hcms::ops
