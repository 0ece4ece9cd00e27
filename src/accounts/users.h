// Users of a tenant: the people who sign in (admins, doctors, reviewers, ...).
//
// E-mail addresses are stored lower-case and are unique per tenant. This is the
// foundation (issue #2): creating the first administrator from the CLI. The
// security core extends it (profiles, MFA, LGPD soft delete).
//
// Every call takes the tenant id. Thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  std::string status;
  std::string created_at;
};

struct NewUser {
  std::string email;
  std::string display_name;
  Role role = Role::kReader;
  std::string password_hash;  // Argon2id PHC string; empty for invited users
};

// Lower-cases and trims; returns nullopt when it does not look like an address.
std::optional<std::string> NormalizeEmail(std::string_view email);

class UserRepository {
 public:
  UserRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidArgument "validation_failed"; kConflict "email_taken".
  Result<User> Create(int64_t tenant_id, const NewUser& user);
  // kNotFound "user_not_found".
  Result<User> FindByEmail(int64_t tenant_id, std::string_view email);
  Result<User> FindById(int64_t tenant_id, int64_t id);
  // Users across every tenant (first-run detection).
  Result<int64_t> CountAll();

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::accounts
