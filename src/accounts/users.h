// Users of a tenant: the people who sign in (admins, doctors, reviewers, ...).
//
// E-mail addresses are stored lower-case and are unique per tenant. A user may
// carry a professional registration (registration.h) whose verification status an
// administrator sets, a specialty, and TOTP MFA state. Deleting a user is an LGPD
// soft delete: `deleted_at` is set and the personal fields are anonymised, while the
// id stays so that the audit trail keeps pointing somewhere.
//
// Every call takes the tenant id. Thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/registration.h"
#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::accounts {

enum class Role { kSuperAdmin, kPracticeAdmin, kEditor, kDoctor, kReviewer, kContributor, kReader };
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string email;
  std::string display_name;
  Role role = Role::kReader;
  std::string status;  // active | invited | locked | disabled | deleted
  std::optional<std::string> specialty;
  std::optional<Registration> registration;
  std::string registration_status = "none";  // none | pending | verified | rejected
  bool mfa_enabled = false;
  std::optional<std::string> last_login_at;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> deleted_at;
};

struct NewUser {
  std::string email;
  std::string display_name;
  Role role = Role::kReader;
  std::string password_hash;  // Argon2id PHC string; empty for invited users
  std::optional<std::string> specialty;
  std::optional<Registration> registration;  // validated (ValidateRegistration)
};

// Fields left nullopt are not changed. `clear_registration` removes it.
struct UserUpdate {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::string> status;  // active | locked | disabled
  std::optional<std::string> specialty;
  std::optional<Registration> registration;  // sets registration_status to pending
  bool clear_registration = false;
};

// What the sign-in path needs; never leaves the accounts module's callers.
struct Credentials {
  int64_t user_id = 0;
  std::string status;
  std::optional<std::string> password_hash;
  bool mfa_enabled = false;
  std::optional<std::string> mfa_secret;          // sealed (SecretBox)
  std::optional<std::string> mfa_pending_secret;  // sealed, during enrolment
};

// Lower-cases and trims; returns nullopt when it does not look like an address.
std::optional<std::string> NormalizeEmail(std::string_view email);

class UserRepository {
 public:
  UserRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidArgument "validation_failed"; kConflict "email_taken".
  Result<User> Create(int64_t tenant_id, const NewUser& user);
  // kNotFound "user_not_found" (deleted users are not found by e-mail).
  Result<User> FindByEmail(int64_t tenant_id, std::string_view email);
  Result<User> FindById(int64_t tenant_id, int64_t id);
  // Users of the tenant that are not deleted, by id; `after_id` pages.
  Result<std::vector<User>> List(int64_t tenant_id, int64_t after_id, int limit);
  // kNotFound "user_not_found"; kInvalidArgument "validation_failed".
  Result<User> Update(int64_t tenant_id, int64_t id, const UserUpdate& update);
  // kInvalidArgument "validation_failed" for an unknown status; kFailedPrecondition
  // "no_registration" when the user has none.
  Result<User> SetRegistrationStatus(int64_t tenant_id, int64_t id, std::string_view status);
  // LGPD soft delete; kNotFound when missing or already deleted.
  Status SoftDelete(int64_t tenant_id, int64_t id);
  // Users across every tenant (first-run detection).
  Result<int64_t> CountAll();

  Result<Credentials> GetCredentials(int64_t tenant_id, int64_t id);
  Status SetPasswordHash(int64_t tenant_id, int64_t id, const std::string& hash);
  Status RecordLogin(int64_t tenant_id, int64_t id);
  Status SetPendingMfaSecret(int64_t tenant_id, int64_t id, const std::string& sealed);
  // Moves the pending secret into place and stores the recovery-code hashes.
  Status EnableMfa(int64_t tenant_id, int64_t id, const std::vector<std::string>& code_hashes);
  Status DisableMfa(int64_t tenant_id, int64_t id);
  // Marks a recovery code used; false when no unused code has this hash.
  Result<bool> UseRecoveryCode(int64_t tenant_id, int64_t id, const std::string& code_hash);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::accounts
