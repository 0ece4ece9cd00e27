// Sign-in sessions and their rotating refresh tokens.
//
// A session is one sign-in (a refresh-token "family"). Each refresh token is used
// once: Rotate marks it used and issues its successor. Presenting a token that was
// already used means it leaked, so the whole session is revoked (reuse detection).
// Tokens are 256-bit random and stored as SHA-256. Revoked sessions end every access
// token that names them (IsActive), checked on every request through a short cache.
//
// Known devices: a device id (random, kept by the client in a cookie or header)
// becomes known for a user after a successful sign-in from it.
//
// Every call takes the tenant id. Thread-safe.

#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::accounts {

struct Session {
  std::string id;  // UUIDv7
  int64_t tenant_id = 0;
  int64_t user_id = 0;
  std::string amr;  // "pwd otp"
  bool device_known = false;
  std::string client;  // api | browser
  std::string created_at;
  std::string auth_at;  // last (step-up) authentication
  std::string last_seen_at;
  std::string expires_at;
  std::optional<std::string> revoked_at;
};

struct NewSession {
  int64_t user_id = 0;
  std::string amr;
  bool device_known = false;
  std::string client = "api";
  std::string ip_anon;
  std::chrono::seconds lifetime{30 * 24 * 3600};
};

struct RotatedToken {
  Session session;
  std::string refresh_token;  // the new one, in clear, returned once
};

class SessionRepository {
 public:
  SessionRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Creates a session and its first refresh token.
  Result<RotatedToken> Create(int64_t tenant_id, const NewSession& s);
  // Exchanges a refresh token for a new one. kUnauthenticated "refresh_token_invalid"
  // (unknown, expired, or session revoked/expired); "refresh_token_reused" after
  // revoking the session when the token had already been used.
  Result<RotatedToken> Rotate(int64_t tenant_id, std::string_view refresh_token);
  Result<Session> Find(int64_t tenant_id, std::string_view session_id);
  Result<std::vector<Session>> ListActive(int64_t tenant_id, int64_t user_id);
  // kNotFound "session_not_found" when missing or not the user's.
  Status Revoke(int64_t tenant_id, std::string_view session_id, std::string_view reason);
  Status RevokeAllForUser(int64_t tenant_id, int64_t user_id, std::string_view reason);
  // After an MFA step-up: the session's amr and auth time.
  Status StepUp(int64_t tenant_id, std::string_view session_id, std::string_view amr);
  // True while the session exists, is not revoked and not expired. Cached for
  // `cache_ttl`; revocations through this object take effect at once.
  Result<bool> IsActive(int64_t tenant_id, std::string_view session_id);

  Result<bool> IsKnownDevice(int64_t tenant_id, int64_t user_id, std::string_view device_id);
  Status RememberDevice(int64_t tenant_id, int64_t user_id, std::string_view device_id);

  std::chrono::milliseconds cache_ttl{2000};

 private:
  Result<std::string> InsertToken(store::Connection& c, int64_t tenant_id,
                                  const std::string& session_id, TimePoint expires);
  void Forget(std::string_view session_id);

  store::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  struct CacheEntry {
    bool active;
    TimePoint checked;
  };
  std::unordered_map<std::string, CacheEntry> active_cache_;  // guarded by mu_
};

}  // namespace hcms::accounts
