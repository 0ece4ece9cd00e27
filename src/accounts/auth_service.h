// Sign-in and tokens: passwords (+ TOTP), short-lived JWT access tokens, rotating
// refresh tokens, MFA enrolment and step-up, application passwords over Basic.
//
// Access token claims: iss, sub (user id), tenant (tenant id), role, amr,
// trust_score, jti, sid (session), auth_time, dvk (device known), csrf (hash of the
// browser session's CSRF token, browser sessions only), typ = "access", iat, nbf,
// exp. Tokens are HS256 with a key id (crypto/jwt.h); VerifyAccess also rejects a
// token of another tenant and one whose session was revoked.
//
// Sign-in never tells whether an e-mail exists: unknown address, wrong password,
// disabled account all answer kUnauthenticated "invalid_credentials", and an unknown
// address still costs one Argon2id verification. Throttling (throttle.h) is the
// caller's first step: LoginThrottle::RetryAfter.
//
// Thread-safe.

#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "accounts/app_passwords.h"
#include "accounts/password.h"
#include "accounts/sessions.h"
#include "accounts/throttle.h"
#include "accounts/totp.h"
#include "accounts/users.h"
#include "core/clock.h"
#include "core/error.h"
#include "crypto/jwt.h"

namespace hcms::accounts {

struct AuthOptions {
  std::chrono::seconds access_ttl{900};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  std::chrono::seconds mfa_token_ttl{300};
  std::string issuer = "hcms";
  std::string mfa_issuer = "hcms";  // shown by authenticator apps
  PasswordParams password;
};

struct AccessClaims {
  int64_t user_id = 0;
  int64_t tenant_id = 0;
  Role role = Role::kReader;
  uint8_t amr = 0;
  int trust_score = 0;
  std::string jti;
  std::string session_id;
  TimePoint auth_time{};
  bool device_known = false;
  std::string csrf_hash;   // empty for API (non-browser) sessions
  int64_t expires_at = 0;  // Unix seconds
};

struct LoginRequest {
  int64_t tenant_id = 0;
  std::string email;
  std::string password;
  std::string otp;            // optional: one-step MFA
  std::string recovery_code;  // optional, instead of otp
  std::string device_id;      // the client's device id, if it has one
  std::string ip;             // raw; only for the throttle and anonymised copies
  bool browser = false;       // cookie session (adds a CSRF token)
};

struct IssuedTokens {
  std::string access_token;
  std::chrono::seconds expires_in{0};
  std::string refresh_token;
  std::string csrf_token;  // browser sessions
  AccessClaims claims;
  User user;
};

struct LoginResult {
  std::optional<IssuedTokens> tokens;  // set when signed in
  std::string mfa_token;               // set when a TOTP code is still needed
};

// Computes the trust score put in new tokens (the policy engine's session score).
using TrustScorer =
    std::function<int(const User& user, uint8_t amr, bool device_known, TimePoint auth_time,
                      std::string_view session_id, std::string_view ip)>;

class AuthService {
 public:
  AuthService(UserRepository& users, SessionRepository& sessions, AppPasswordRepository& apps,
              LoginThrottle& throttle, SecretBox secrets, crypto::KeyRing keys, AuthOptions options,
              const Clock& clock);

  void SetTrustScorer(TrustScorer scorer) { scorer_ = std::move(scorer); }
  // Replaces the key ring (SIGHUP after `hcms auth rotate-keys`).
  void SetKeyRing(crypto::KeyRing keys);
  std::shared_ptr<const crypto::KeyRing> key_ring() const;

  // kUnauthenticated invalid_credentials | mfa_invalid.
  Result<LoginResult> Login(const LoginRequest& request);
  // Second step: kUnauthenticated mfa_token_invalid | mfa_invalid.
  Result<IssuedTokens> CompleteMfa(int64_t tenant_id, std::string_view mfa_token,
                                   std::string_view otp, std::string_view recovery_code,
                                   std::string_view device_id, std::string_view ip, bool browser);
  // kUnauthenticated refresh_token_invalid | refresh_token_reused.
  Result<IssuedTokens> Refresh(int64_t tenant_id, std::string_view refresh_token,
                               std::string_view ip, bool browser);
  // MFA step-up of the caller's session: a new access token with amr + otp.
  Result<IssuedTokens> StepUp(const AccessClaims& claims, std::string_view otp,
                              std::string_view ip);
  Status Logout(const AccessClaims& claims);

  // kUnauthenticated token_* (crypto/jwt.h), token_wrong_tenant, token_revoked,
  // token_malformed.
  Result<AccessClaims> VerifyAccess(std::string_view token, int64_t tenant_id);
  // HTTP Basic with an application password. kUnauthenticated invalid_credentials.
  Result<AccessClaims> VerifyBasic(int64_t tenant_id, std::string_view username,
                                   std::string_view password, std::string_view ip);

  struct Enrolment {
    std::string secret;  // base32
    std::string otpauth_uri;
  };
  Result<Enrolment> BeginMfa(int64_t tenant_id, int64_t user_id);
  // kInvalidArgument mfa_invalid; returns the recovery codes (shown once).
  Result<std::vector<std::string>> ActivateMfa(int64_t tenant_id, int64_t user_id,
                                               std::string_view otp);
  Status DisableMfa(int64_t tenant_id, int64_t user_id, std::string_view otp);

  LoginThrottle& throttle() { return throttle_; }
  const AuthOptions& options() const { return options_; }

  // Signs arbitrary claims with the active key (tests and the benchmark).
  Result<std::string> SignClaims(const nlohmann::json& claims) const;

 private:
  Result<IssuedTokens> Issue(const User& user, const Session& session, std::string_view ip,
                             bool browser, std::string refresh_token);
  Result<bool> CheckSecondFactor(int64_t tenant_id, int64_t user_id, const Credentials& cred,
                                 std::string_view otp, std::string_view recovery_code,
                                 uint8_t& amr);
  Result<IssuedTokens> StartSession(const User& user, uint8_t amr, std::string_view device_id,
                                    std::string_view ip, bool browser);

  UserRepository& users_;
  SessionRepository& sessions_;
  AppPasswordRepository& apps_;
  LoginThrottle& throttle_;
  SecretBox secrets_;
  AuthOptions options_;
  const Clock& clock_;
  TrustScorer scorer_;
  std::string dummy_hash_;  // equalises the cost of unknown addresses
  mutable std::mutex keys_mu_;
  std::shared_ptr<const crypto::KeyRing> keys_;  // guarded by keys_mu_
};

}  // namespace hcms::accounts
