#include "accounts/sessions.h"

#include "core/random.h"
#include "crypto/sha256.h"

namespace hcms::accounts {

namespace {

#define COLS                                                                               \
  "id, tenant_id, user_id, amr, device_known, client, created_at, auth_at, last_seen_at, " \
  "expires_at, revoked_at"

Session FromRow(const store::Row& r) {
  Session s;
  s.id = r.Text("id");
  s.tenant_id = r.Int("tenant_id");
  s.user_id = r.Int("user_id");
  s.amr = r.Text("amr");
  s.device_known = r.Bool("device_known");
  s.client = r.Text("client");
  s.created_at = r.Text("created_at");
  s.auth_at = r.Text("auth_at");
  s.last_seen_at = r.Text("last_seen_at");
  s.expires_at = r.Text("expires_at");
  s.revoked_at = r.OptText("revoked_at");
  return s;
}

std::string TokenHash(std::string_view token) { return crypto::Sha256Hex(token); }
std::string DeviceHash(std::string_view device) {
  return crypto::Sha256Hex("device:" + std::string(device));
}

Error Unauthenticated(std::string code) {
  return Error(ErrorKind::kUnauthenticated, std::move(code));
}

}  // namespace

Result<std::string> SessionRepository::InsertToken(store::Connection& c, int64_t tenant_id,
                                                   const std::string& session_id,
                                                   TimePoint expires) {
  std::string token = RandomToken(32);
  HCMS_TRY(int64_t n, c.Execute("INSERT INTO refresh_tokens (tenant_id, session_id, token_hash, "
                                "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                                {tenant_id, session_id, TokenHash(token),
                                 FormatTimestamp(clock_.Now()), FormatTimestamp(expires)}));
  (void)n;
  return token;
}

Result<RotatedToken> SessionRepository::Create(int64_t tenant_id, const NewSession& ns) {
  const TimePoint now = clock_.Now();
  const std::string at = FormatTimestamp(now);
  const TimePoint expires = now + ns.lifetime;
  return db_.Transact([&](store::Connection& c) -> Result<RotatedToken> {
    RotatedToken out;
    Session& s = out.session;
    s.id = NewUuidV7(now);
    HCMS_TRY(auto rows, c.Query("INSERT INTO auth_sessions (id, tenant_id, user_id, amr, "
                                "device_known, client, ip_anon, created_at, auth_at, last_seen_at, "
                                "expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9) "
                                "RETURNING " COLS,
                                {s.id, tenant_id, ns.user_id, ns.amr, ns.device_known, ns.client,
                                 ns.ip_anon, at, FormatTimestamp(expires)}));
    out.session = FromRow(rows[0]);
    HCMS_TRY(out.refresh_token, InsertToken(c, tenant_id, out.session.id, expires));
    return out;
  });
}

Result<RotatedToken> SessionRepository::Rotate(int64_t tenant_id, std::string_view token) {
  const TimePoint now = clock_.Now();
  const std::string at = FormatTimestamp(now);
  std::optional<std::string> reused_session;
  auto result = db_.Transact([&](store::Connection& c) -> Result<RotatedToken> {
    HCMS_TRY(auto tok, c.QueryOne("SELECT id, session_id, expires_at, used_at FROM refresh_tokens "
                                  "WHERE tenant_id = $1 AND token_hash = $2",
                                  {tenant_id, TokenHash(token)}));
    if (!tok) return std::unexpected(Unauthenticated("refresh_token_invalid"));
    const std::string session_id = tok->Text("session_id");
    if (!tok->IsNull("used_at")) {
      reused_session = session_id;
      return std::unexpected(Unauthenticated("refresh_token_reused"));
    }
    if (tok->Text("expires_at") <= at)
      return std::unexpected(Unauthenticated("refresh_token_invalid"));
    HCMS_TRY(auto srow,
             c.QueryOne("SELECT " COLS " FROM auth_sessions WHERE tenant_id = $1 AND id = $2",
                        {tenant_id, session_id}));
    if (!srow) return std::unexpected(Unauthenticated("refresh_token_invalid"));
    Session s = FromRow(*srow);
    if (s.revoked_at || s.expires_at <= at)
      return std::unexpected(Unauthenticated("refresh_token_invalid"));
    // Only one concurrent exchange wins; the loser looks like reuse.
    HCMS_TRY(int64_t n, c.Execute("UPDATE refresh_tokens SET used_at = $2 WHERE id = $1 AND "
                                  "used_at IS NULL",
                                  {tok->Int("id"), at}));
    if (n != 1) {
      reused_session = session_id;
      return std::unexpected(Unauthenticated("refresh_token_reused"));
    }
    HCMS_TRY(int64_t m, c.Execute("UPDATE auth_sessions SET last_seen_at = $2 WHERE id = $1",
                                  {session_id, at}));
    (void)m;
    s.last_seen_at = at;
    HCMS_TRY(auto expires, ParseTimestamp(s.expires_at));
    RotatedToken out;
    out.session = std::move(s);
    HCMS_TRY(out.refresh_token, InsertToken(c, tenant_id, session_id, expires));
    return out;
  });
  if (!result && reused_session) {
    // Outside the failed transaction: the family ends.
    (void)Revoke(tenant_id, *reused_session, "refresh_token_reused");
  }
  return result;
}

Result<Session> SessionRepository::Find(int64_t tenant_id, std::string_view session_id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne("SELECT " COLS " FROM auth_sessions WHERE tenant_id = $1 AND id = $2",
                      {tenant_id, session_id});
  }));
  if (!row) return NotFound("session_not_found");
  return FromRow(*row);
}

Result<std::vector<Session>> SessionRepository::ListActive(int64_t tenant_id, int64_t user_id) {
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query("SELECT " COLS
                   " FROM auth_sessions WHERE tenant_id = $1 AND user_id = $2 AND revoked_at "
                   "IS NULL AND expires_at > $3 ORDER BY created_at DESC LIMIT 100",
                   {tenant_id, user_id, now});
  }));
  std::vector<Session> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

void SessionRepository::Forget(std::string_view session_id) {
  std::lock_guard lock(mu_);
  active_cache_.erase(std::string(session_id));
}

Status SessionRepository::Revoke(int64_t tenant_id, std::string_view session_id,
                                 std::string_view reason) {
  Forget(session_id);
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE auth_sessions SET revoked_at = $3, revoke_reason = $4 WHERE "
        "tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
        {tenant_id, session_id, FormatTimestamp(clock_.Now()), reason});
  }));
  (void)n;
  return Ok();
}

Status SessionRepository::RevokeAllForUser(int64_t tenant_id, int64_t user_id,
                                           std::string_view reason) {
  {
    std::lock_guard lock(mu_);
    active_cache_.clear();
  }
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE auth_sessions SET revoked_at = $3, revoke_reason = $4 WHERE "
        "tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL",
        {tenant_id, user_id, FormatTimestamp(clock_.Now()), reason});
  }));
  (void)n;
  return Ok();
}

Status SessionRepository::StepUp(int64_t tenant_id, std::string_view session_id,
                                 std::string_view amr) {
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "UPDATE auth_sessions SET amr = $3, auth_at = $4 WHERE tenant_id = $1 AND "
        "id = $2 AND revoked_at IS NULL",
        {tenant_id, session_id, amr, FormatTimestamp(clock_.Now())});
  }));
  if (n == 0) return NotFound("session_not_found");
  return Ok();
}

Result<bool> SessionRepository::IsActive(int64_t tenant_id, std::string_view session_id) {
  const TimePoint now = clock_.Now();
  const std::string key(session_id);
  {
    std::lock_guard lock(mu_);
    if (auto it = active_cache_.find(key);
        it != active_cache_.end() && now - it->second.checked < cache_ttl) {
      return it->second.active;
    }
  }
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(
        "SELECT revoked_at, expires_at FROM auth_sessions WHERE tenant_id = $1 AND "
        "id = $2",
        {tenant_id, session_id});
  }));
  const bool active =
      row && row->IsNull("revoked_at") && row->Text("expires_at") > FormatTimestamp(now);
  std::lock_guard lock(mu_);
  if (active_cache_.size() > 50000) active_cache_.clear();
  active_cache_[key] = {active, now};
  return active;
}

Result<bool> SessionRepository::IsKnownDevice(int64_t tenant_id, int64_t user_id,
                                              std::string_view device_id) {
  if (device_id.empty()) return false;
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(
        "SELECT 1 FROM user_devices WHERE tenant_id = $1 AND user_id = $2 AND "
        "device_hash = $3",
        {tenant_id, user_id, DeviceHash(device_id)});
  }));
  return row.has_value();
}

Status SessionRepository::RememberDevice(int64_t tenant_id, int64_t user_id,
                                         std::string_view device_id) {
  if (device_id.empty()) return Ok();
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(int64_t n, db_.Run([&](store::Connection& c) {
    return c.Execute(
        "INSERT INTO user_devices (tenant_id, user_id, device_hash, first_seen_at, "
        "last_seen_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (tenant_id, user_id, "
        "device_hash) DO UPDATE SET last_seen_at = $4",
        {tenant_id, user_id, DeviceHash(device_id), now});
  }));
  (void)n;
  return Ok();
}

}  // namespace hcms::accounts
