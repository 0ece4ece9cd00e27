// Application passwords (WordPress-compatible): per-user secrets for API clients
// such as the WordPress mobile app or publishing tools, usable only as HTTP Basic
// credentials (never at the login endpoint, never for the admin UI).
//
// A password is 24 characters from a 32-letter alphabet (120 bits), shown once at
// creation as "abcd efgh ijkl mnop qrst uvwx" (WordPress's format); spaces are
// ignored when it is presented. Only its SHA-256 is stored: at 120 bits a slow hash
// adds nothing and Basic authentication happens on every request. Each can be
// revoked on its own.
//
// Every call takes the tenant id. Thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::accounts {

struct AppPassword {
  std::string id;  // UUIDv7
  int64_t tenant_id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string created_at;
  std::optional<std::string> last_used_at;
};

struct CreatedAppPassword {
  AppPassword info;
  std::string password;  // clear text, shown once
};

class AppPasswordRepository {
 public:
  AppPasswordRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidArgument "validation_failed" (name 1-100 characters);
  // kResourceExhausted "too_many_app_passwords" beyond 50 per user.
  Result<CreatedAppPassword> Create(int64_t tenant_id, int64_t user_id, std::string_view name);
  Result<std::vector<AppPassword>> List(int64_t tenant_id, int64_t user_id);
  // kNotFound "app_password_not_found" (also when it belongs to someone else).
  Status Revoke(int64_t tenant_id, int64_t user_id, std::string_view id);
  // The matching, unrevoked app password of this user, or nullopt.
  Result<std::optional<AppPassword>> Verify(int64_t tenant_id, int64_t user_id,
                                            std::string_view password);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::accounts
