// Per-practice pipeline settings: the responsible physician (CFM identification),
// which notices S.1.3 adds, the legal-review threshold of S.1.4, and which plugin
// runs each stage. Stored as JSON in pipeline_settings.
//
//   {"physician": {"name": "Ana Souza", "crm": "123456", "uf": "SP", "rqe": "5555",
//                  "specialty": "Cardiologia", "gender": "f"},
//    "disclaimers": ["informative", "emergency", "dates"],
//    "conflict_of_interest": "", "legal_review_threshold": 50,
//    "stages": {"s1.2": "hcms-s12-medical-claims"}}

#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::pipeline {

// kInvalidArgument "validation_failed" with field errors. Returns the normalised
// settings (unknown keys dropped).
Result<nlohmann::json> ValidateSettings(const nlohmann::json& settings);

class SettingsRepository {
 public:
  SettingsRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  // The tenant's settings, or {} when none were saved.
  Result<nlohmann::json> Get(int64_t tenant_id);
  // Validates and saves; returns what was saved.
  Result<nlohmann::json> Put(int64_t tenant_id, const nlohmann::json& settings);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::pipeline
