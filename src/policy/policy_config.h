// The policy file: what the policy engine requires and how it weighs evidence.
//
// A TOML file named by `policy.file` in the server configuration (built-in defaults
// when empty), re-read on SIGHUP. An invalid file is refused as a whole: the server
// keeps the policy it had. Every key is optional:
//
//   [required]            # minimum trust score per resource class (0-100)
//   public = 30           # internal 50, confidential 70, patient_data 75,
//                         # research_data 80, critical_patient_data 85, financial 85
//   [weights]             # the eight factors; must add up to 100
//   auth_method = 30      # device 15, session_age 10, ip_reputation 10,
//                         # behaviour 10, resource 15, time_of_day 5, history 5
//   [network]
//   allow = ["10.0.0.0/8"]          # trusted networks: full IP score
//   deny = ["203.0.113.0/24"]       # always denied, whatever the score
//   [hours]                          # the practice's working hours, in its time zone
//   start = "07:00"
//   end = "20:00"
//   days = ["mon", "tue", "wed", "thu", "fri", "sat"]
//   [behaviour]
//   requests_per_minute = 120        # above: anomalous
//   [cache]
//   decision_seconds = 300           # decision cache per (user, session, class)
//   score_refresh_seconds = 900      # session trust refresh
//   [roles]                          # replaces a role's default grants
//   reviewer = ["read_content", "review_content", "read_audit"]

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/ip_address.h"
#include "core/resource_class.h"
#include "policy/permissions.h"

namespace hcms::policy {

enum Factor : int {
  kAuthMethod,
  kDevice,
  kSessionAge,
  kIpReputation,
  kBehaviour,
  kResource,
  kTimeOfDay,
  kHistory,
};
inline constexpr int kFactorCount = 8;
std::string_view FactorName(int factor);

struct PolicyConfig {
  std::array<int, 8> required = {30, 50, 70, 75, 80, 85, 85, 0};  // by ResourceClass - 1
  std::array<int, kFactorCount> weights = {30, 15, 10, 10, 10, 15, 5, 5};
  std::vector<Cidr> allow;
  std::vector<Cidr> deny;
  int work_start_minute = 6 * 60;  // local time of day
  int work_end_minute = 22 * 60;
  uint8_t work_days = 0x7f;  // bit 0 = Sunday
  int requests_per_minute = 120;
  int decision_cache_seconds = 300;
  int score_refresh_seconds = 900;
  std::array<PermissionSet, 7> grants{};  // by accounts::Role

  int Required(ResourceClass c) const;
  PermissionSet Grants(accounts::Role r) const { return grants[static_cast<size_t>(r)]; }
};

PolicyConfig DefaultPolicyConfig();
// kInvalidArgument "policy_invalid" naming the key.
Result<PolicyConfig> ParsePolicyConfig(std::string_view toml_text, std::string_view source);
Result<PolicyConfig> LoadPolicyConfig(const std::string& path);  // "" -> defaults

}  // namespace hcms::policy
