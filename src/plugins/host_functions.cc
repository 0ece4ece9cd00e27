#include "plugins/host_functions.h"

#include <nlohmann/json.hpp>

#include "lgpd/analysis_json.h"
#include "lgpd/detector.h"

namespace hcms::plugins {

HostCallback PersonalDataScan() {
  return [](std::string_view text) -> Result<std::string> {
    auto analysis = lgpd::Analyze(text);
    if (!analysis) return nlohmann::json{{"error", analysis.error().code()}}.dump();
    return lgpd::AnalysisToJson(*analysis).dump();
  };
}

std::map<std::string, HostCallback, std::less<>> DefaultHostFunctions() {
  return {{"lgpd_scan", PersonalDataScan()}};
}

}  // namespace hcms::plugins
