// Sign-in and account-security routes (native API, /api/v1/auth/...):
//   POST /api/v1/auth/login        {email, password, otp?, recovery_code?, session?: "cookie"}
//   POST /api/v1/auth/mfa          {mfa_token, otp | recovery_code}  (second step)
//   POST /api/v1/auth/refresh      {refresh_token} or the refresh cookie (+ X-CSRF-Token)
//   POST /api/v1/auth/logout
//   GET  /api/v1/auth/me
//   POST /api/v1/auth/step-up      {otp}: MFA step-up of the current session
//   POST /api/v1/auth/mfa/enroll, POST /api/v1/auth/mfa/activate {otp},
//   POST /api/v1/auth/mfa/disable {otp}
//   GET|POST /api/v1/users/me/app-passwords, DELETE /api/v1/users/me/app-passwords/{id}
//   GET /api/v1/auth/sessions, DELETE /api/v1/auth/sessions/{id}
// Browser sessions use cookies: hcms_access (HttpOnly), hcms_refresh (HttpOnly, path
// /api/v1/auth), hcms_csrf (readable by the page, sent back as X-CSRF-Token),
// hcms_device; all Secure and SameSite=Strict (hcms_device: Lax).

#pragma once

#include "api/api.h"

namespace hcms::api {

struct AuthRoutesOptions {
  bool cookie_secure = true;
};

void AddAuthRoutes(Api& api, accounts::UserRepository& users, accounts::SessionRepository& sessions,
                   accounts::AppPasswordRepository& app_passwords, AuthRoutesOptions options);

// The JSON form of a user (no secrets).
nlohmann::json UserJson(const accounts::User& u);

}  // namespace hcms::api
