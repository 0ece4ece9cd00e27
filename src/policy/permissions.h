// What a role may do: the role-based half of every policy decision.
//
// Each API route declares one Permission. The policy engine checks the caller's
// role against the grants below (overridable per role in the policy file) before
// it looks at the trust score, so a reader never publishes, whatever the score.
// Publishing additionally needs a trust score of 85 (MinimumScore).
//
// Adding a permission: append an enumerator (never reorder), give it a name in
// permissions.cc and default grants in DefaultGrants. The authorization matrix test
// picks it up from the route table.

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "accounts/users.h"

namespace hcms::policy {

enum class Permission : uint8_t {
  kPublic,          // anyone, signed in or not (the principal is optional)
  kAuthenticated,   // any signed-in user of the practice: own profile, sessions, app passwords
  kReadContent,     // drafts, private and professional content in the admin
  kCreateContent,   // write own drafts, upload media
  kEditContent,     // edit anyone's content, taxonomy, comments moderation
  kReviewContent,   // medical / legal review, approve pipeline stages
  kPublishContent,  // publish or schedule (also needs trust >= 85)
  kManagePatients,  // patient records and consultations
  kManagePrivacy,   // LGPD: data-subject requests, consents, retention, exports
  kManageUsers,     // users, roles, professional-registration verification
  kManageSettings,  // practice settings, plugins
  kReadAudit,       // the audit trail (compliance officer / administrators)
  kSuperAdmin,      // operations across practices
};
inline constexpr int kPermissionCount = 13;

std::string_view PermissionName(Permission p);
std::optional<Permission> ParsePermission(std::string_view name);
std::vector<Permission> AllPermissions();

// A permission's own minimum trust score (publishing: 85), or 0.
int MinimumScore(Permission p);

// Bit set of permissions.
using PermissionSet = uint32_t;
constexpr PermissionSet Bit(Permission p) { return PermissionSet{1} << static_cast<int>(p); }

// The built-in grants of a role.
PermissionSet DefaultGrants(accounts::Role role);

}  // namespace hcms::policy
