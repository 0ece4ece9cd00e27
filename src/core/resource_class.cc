#include "core/resource_class.h"
#include <utility>

#include <array>

namespace hcms {

namespace {
constexpr std::array<std::pair<ResourceClass, std::string_view>, 8> kNames{{
    {ResourceClass::kUnset, "unset"},
    {ResourceClass::kPublic, "public"},
    {ResourceClass::kInternal, "internal"},
    {ResourceClass::kConfidential, "confidential"},
    {ResourceClass::kPatientData, "patient_data"},
    {ResourceClass::kResearchData, "research_data"},
    {ResourceClass::kCriticalPatientData, "critical_patient_data"},
    {ResourceClass::kFinancial, "financial"},
}};
}  // namespace

std::string_view ResourceClassName(ResourceClass c) {
  for (const auto& [k, n] : kNames) {
    if (k == c) return n;
  }
  return "unset";
}

std::optional<ResourceClass> ParseResourceClass(std::string_view name) {
  for (const auto& [k, n] : kNames) {
    if (n == name && k != ResourceClass::kUnset) return k;
  }
  return std::nullopt;
}

}  // namespace hcms
