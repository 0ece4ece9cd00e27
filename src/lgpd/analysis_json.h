// JSON form of an analysis, shared by the CLI (`hcms lgpd scan`), the HTTP API and the
// plugin host, so every interface answers the same shape:
//
//   {"risk_score": 64, "status": "alto_risco", "linked_person": true, "code_points": 52,
//    "detections": [{"type": "cpf", "start": 30, "end": 44, "confidence": 1.0,
//                    "category": "personal", "operator": "replace", "validated": true,
//                    "professional": false, "escalated": false}],
//    "recommendations": [{"code": "cpf_present", "text": "Verificar consentimento ..."}]}
//
// Detections never carry the matched text: the caller has it, and logs or audit rows
// built from this JSON must stay free of personal data.

#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "lgpd/detector.h"

namespace hcms::lgpd {

nlohmann::json DetectionToJson(const Detection& d);
nlohmann::json DetectionsToJson(const std::vector<Detection>& ds);

// `lang` "en" selects English recommendation texts; anything else pt-BR.
nlohmann::json AnalysisToJson(const Analysis& a, std::string_view lang = "pt-BR");

}  // namespace hcms::lgpd
