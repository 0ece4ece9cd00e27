// Record of processing activities (registro das operações de tratamento, LGPD art.
// 37), exportable as CSV (RFC 4180, UTF-8) and JSON. A new practice starts from the
// activities hcms itself performs (SeedDefaults) and edits them.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "lgpd/legal_basis.h"
#include "store/database.h"

namespace hcms::privacy {

struct ProcessingActivity {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;
  std::string purpose;
  lgpd::LegalBasis legal_basis = lgpd::LegalBasis::kConsentimento;
  std::vector<std::string> data_categories;     // "identificação", "saúde", ...
  std::vector<std::string> subject_categories;  // "pacientes", "leitores", ...
  std::string recipients;
  bool international_transfer = false;
  std::string retention;
  std::string security_measures;
};

class ProcessingRegistry {
 public:
  ProcessingRegistry(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidArgument "validation_failed"; kConflict "activity_exists" (name).
  Result<ProcessingActivity> Create(int64_t tenant_id, const ProcessingActivity& a);
  Result<std::vector<ProcessingActivity>> List(int64_t tenant_id);
  // Adds the activities hcms performs that the tenant does not list yet; returns how
  // many were added.
  Result<int> SeedDefaults(int64_t tenant_id);

 private:
  store::Database& db_;
  const Clock& clock_;
};

const std::vector<ProcessingActivity>& DefaultActivities();

std::string RopaCsv(const std::vector<ProcessingActivity>& activities);
nlohmann::json RopaJson(const std::vector<ProcessingActivity>& activities,
                        std::string_view controller, std::string_view generated_at);

}  // namespace hcms::privacy
