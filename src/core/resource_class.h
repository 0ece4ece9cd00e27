// Resource classes (Zero Trust, NIST SP 800-207): every route declares one, and the
// policy engine requires a minimum trust score for each. A route left kUnset makes
// the router refuse to start.

#pragma once

#include <optional>
#include <string_view>

namespace hcms {

enum class ResourceClass {
  kUnset,
  kPublic,               // 30
  kInternal,             // 50
  kConfidential,         // 70
  kPatientData,          // 75
  kResearchData,         // 80
  kCriticalPatientData,  // 85, below: challenge (MFA step-up)
  kFinancial,            // 85
};

std::string_view ResourceClassName(ResourceClass c);
std::optional<ResourceClass> ParseResourceClass(std::string_view name);

}  // namespace hcms
