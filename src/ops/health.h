// Health checks for GET /health: each subsystem registers a check; the report is
// healthy only when every critical check passes.
//
//   health.Add("database", [&] { ... return CheckResult::Ok({{"latency_ms", 0.4}}); });
//   auto report = health.Run();   // report.healthy, report.body (JSON)
//
// Checks run on a worker thread and may block briefly (a database round trip).
// Thread-safe once built.

#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hcms::ops {

struct CheckResult {
  bool ok = true;
  nlohmann::json details = nlohmann::json::object();

  static CheckResult Ok(nlohmann::json details = nlohmann::json::object()) {
    return {true, std::move(details)};
  }
  static CheckResult Fail(nlohmann::json details = nlohmann::json::object()) {
    return {false, std::move(details)};
  }
};

struct HealthReport {
  bool healthy = true;
  nlohmann::json body;
};

class HealthRegistry {
 public:
  // `critical` checks make the whole report unhealthy (503) when they fail.
  void Add(std::string name, std::function<CheckResult()> check, bool critical = true);
  HealthReport Run() const;

 private:
  struct Check {
    std::string name;
    std::function<CheckResult()> fn;
    bool critical;
  };
  std::vector<Check> checks_;
};

}  // namespace hcms::ops
