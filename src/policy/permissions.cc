#include "policy/permissions.h"
#include <utility>

#include <array>

namespace hcms::policy {

namespace {

constexpr std::array<std::pair<Permission, std::string_view>, kPermissionCount> kNames{{
    {Permission::kPublic, "public"},
    {Permission::kAuthenticated, "authenticated"},
    {Permission::kReadContent, "read_content"},
    {Permission::kCreateContent, "create_content"},
    {Permission::kEditContent, "edit_content"},
    {Permission::kReviewContent, "review_content"},
    {Permission::kPublishContent, "publish_content"},
    {Permission::kManagePatients, "manage_patients"},
    {Permission::kManagePrivacy, "manage_privacy"},
    {Permission::kManageUsers, "manage_users"},
    {Permission::kManageSettings, "manage_settings"},
    {Permission::kReadAudit, "read_audit"},
    {Permission::kSuperAdmin, "super_admin"},
}};

constexpr PermissionSet Of(std::initializer_list<Permission> ps) {
  PermissionSet s = 0;
  for (Permission p : ps) s |= Bit(p);
  return s;
}

}  // namespace

std::string_view PermissionName(Permission p) {
  for (const auto& [k, n] : kNames) {
    if (k == p) return n;
  }
  return "unknown";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (const auto& [k, n] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::vector<Permission> AllPermissions() {
  std::vector<Permission> out;
  for (const auto& [k, n] : kNames) out.push_back(k);
  return out;
}

int MinimumScore(Permission p) { return p == Permission::kPublishContent ? 85 : 0; }

PermissionSet DefaultGrants(accounts::Role role) {
  using P = Permission;
  constexpr PermissionSet kBase = Of({P::kPublic, P::kAuthenticated, P::kReadContent});
  switch (role) {
    case accounts::Role::kSuperAdmin:
      return ~PermissionSet{0};
    case accounts::Role::kPracticeAdmin:
      return ~PermissionSet{0} & ~Bit(P::kSuperAdmin);
    case accounts::Role::kEditor:
      return kBase |
             Of({P::kCreateContent, P::kEditContent, P::kReviewContent, P::kPublishContent});
    case accounts::Role::kDoctor:
      return kBase |
             Of({P::kCreateContent, P::kReviewContent, P::kPublishContent, P::kManagePatients});
    case accounts::Role::kReviewer:
      return kBase | Of({P::kReviewContent});
    case accounts::Role::kContributor:
      return kBase | Of({P::kCreateContent});
    case accounts::Role::kReader:
      return kBase;
  }
  return Of({P::kPublic});
}

}  // namespace hcms::policy
