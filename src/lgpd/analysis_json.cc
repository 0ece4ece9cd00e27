#include "lgpd/analysis_json.h"

namespace hcms::lgpd {

nlohmann::json DetectionToJson(const Detection& d) {
  return {{"type", PiiTypeName(d.type)},
          {"start", d.start},
          {"end", d.end},
          {"confidence", d.confidence},
          {"category", CategoryName(d.category)},
          {"operator", OperatorName(d.recommended)},
          {"validated", d.validated},
          {"professional", d.professional},
          {"escalated", d.escalated}};
}

nlohmann::json DetectionsToJson(const std::vector<Detection>& ds) {
  nlohmann::json arr = nlohmann::json::array();
  for (const Detection& d : ds) arr.push_back(DetectionToJson(d));
  return arr;
}

nlohmann::json AnalysisToJson(const Analysis& a, std::string_view lang) {
  nlohmann::json recs = nlohmann::json::array();
  for (const Recommendation& r : a.recommendations) {
    recs.push_back({{"code", r.code}, {"text", lang == "en" ? r.en : r.pt}});
  }
  return {{"risk_score", a.risk_score},
          {"status", RiskStatusName(a.status)},
          {"linked_person", a.linked_person},
          {"code_points", a.code_points},
          {"detections", DetectionsToJson(a.detections)},
          {"recommendations", std::move(recs)}};
}

}  // namespace hcms::lgpd
