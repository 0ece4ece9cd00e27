#include "accounts/auth_service.h"

#include <nlohmann/json.hpp>

#include "accounts/amr.h"
#include "core/ip_address.h"
#include "core/log.h"
#include "core/random.h"
#include "crypto/sha256.h"

namespace hcms::accounts {

namespace {

std::unexpected<Error> Unauth(std::string code, std::string detail = {}) {
  return std::unexpected(Error(ErrorKind::kUnauthenticated, std::move(code), std::move(detail)));
}

constexpr std::string_view kInvalidCredentials = "E-mail ou senha incorretos.";

int64_t UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string CsrfHash(std::string_view csrf) {
  return crypto::Sha256Hex("csrf:" + std::string(csrf)).substr(0, 32);
}

}  // namespace

AuthService::AuthService(UserRepository& users, SessionRepository& sessions,
                         AppPasswordRepository& apps, LoginThrottle& throttle, SecretBox secrets,
                         crypto::KeyRing keys, AuthOptions options, const Clock& clock)
    : users_(users),
      sessions_(sessions),
      apps_(apps),
      throttle_(throttle),
      secrets_(std::move(secrets)),
      options_(std::move(options)),
      clock_(clock),
      keys_(std::make_shared<const crypto::KeyRing>(std::move(keys))) {
  dummy_hash_ = HashPassword(RandomHex(16), options_.password).value_or("");
}

void AuthService::SetKeyRing(crypto::KeyRing keys) {
  std::lock_guard lock(keys_mu_);
  keys_ = std::make_shared<const crypto::KeyRing>(std::move(keys));
}

std::shared_ptr<const crypto::KeyRing> AuthService::key_ring() const {
  std::lock_guard lock(keys_mu_);
  return keys_;
}

Result<std::string> AuthService::SignClaims(const nlohmann::json& claims) const {
  return crypto::SignJwt(*key_ring(), claims);
}

Result<IssuedTokens> AuthService::Issue(const User& user, const Session& session,
                                        std::string_view ip, bool browser,
                                        std::string refresh_token) {
  const TimePoint now = clock_.Now();
  IssuedTokens out;
  AccessClaims& c = out.claims;
  c.user_id = user.id;
  c.tenant_id = user.tenant_id;
  c.role = user.role;
  c.amr = AmrFromString(session.amr);
  c.session_id = session.id;
  c.device_known = session.device_known;
  HCMS_TRY(c.auth_time, ParseTimestamp(session.auth_at));
  c.jti = RandomToken(16);
  c.trust_score = scorer_ ? scorer_(user, c.amr, c.device_known, c.auth_time, session.id, ip) : 0;
  c.expires_at = UnixSeconds(now + options_.access_ttl);
  if (browser) {
    out.csrf_token = RandomToken(24);
    c.csrf_hash = CsrfHash(out.csrf_token);
  }
  nlohmann::json claims = {{"iss", options_.issuer},
                           {"typ", "access"},
                           {"sub", std::to_string(user.id)},
                           {"tenant", user.tenant_id},
                           {"role", RoleName(user.role)},
                           {"amr", AmrList(c.amr)},
                           {"trust_score", c.trust_score},
                           {"jti", c.jti},
                           {"sid", c.session_id},
                           {"auth_time", UnixSeconds(c.auth_time)},
                           {"dvk", c.device_known},
                           {"iat", UnixSeconds(now)},
                           {"nbf", UnixSeconds(now)},
                           {"exp", c.expires_at}};
  if (browser) claims["csrf"] = c.csrf_hash;
  HCMS_TRY(out.access_token, crypto::SignJwt(*key_ring(), claims));
  out.expires_in = options_.access_ttl;
  out.refresh_token = std::move(refresh_token);
  out.user = user;
  return out;
}

Result<IssuedTokens> AuthService::StartSession(const User& user, uint8_t amr,
                                               std::string_view device_id, std::string_view ip,
                                               bool browser) {
  HCMS_TRY(bool known, sessions_.IsKnownDevice(user.tenant_id, user.id, device_id));
  HCMS_TRY(auto created, sessions_.Create(user.tenant_id, {.user_id = user.id,
                                                           .amr = AmrToString(amr),
                                                           .device_known = known,
                                                           .client = browser ? "browser" : "api",
                                                           .ip_anon = AnonymizeIp(ip),
                                                           .lifetime = options_.refresh_ttl}));
  HCMS_CHECK(sessions_.RememberDevice(user.tenant_id, user.id, device_id));
  HCMS_CHECK(users_.RecordLogin(user.tenant_id, user.id));
  return Issue(user, created.session, ip, browser, std::move(created.refresh_token));
}

Result<bool> AuthService::CheckSecondFactor(int64_t tenant_id, int64_t user_id,
                                            const Credentials& cred, std::string_view otp,
                                            std::string_view recovery_code, uint8_t& amr) {
  if (!otp.empty() && cred.mfa_secret) {
    HCMS_TRY(std::string secret, secrets_.Open(*cred.mfa_secret));
    if (VerifyTotp(secret, otp, clock_.Now())) {
      amr |= kAmrOtp;
      return true;
    }
    return false;
  }
  if (!recovery_code.empty()) {
    HCMS_TRY(bool used,
             users_.UseRecoveryCode(tenant_id, user_id, HashRecoveryCode(recovery_code)));
    if (used) amr |= kAmrRecoveryCode;
    return used;
  }
  return false;
}

Result<LoginResult> AuthService::Login(const LoginRequest& req) {
  auto user = users_.FindByEmail(req.tenant_id, req.email);
  std::optional<Credentials> cred;
  if (user) {
    HCMS_TRY(Credentials c, users_.GetCredentials(req.tenant_id, user->id));
    cred = std::move(c);
  } else if (user.error().kind() != ErrorKind::kNotFound) {
    return std::unexpected(std::move(user).error());
  }
  const std::string& hash = cred && cred->password_hash ? *cred->password_hash : dummy_hash_;
  const bool password_ok =
      VerifyPassword(req.password, hash) && cred && cred->password_hash && cred->status == "active";
  if (!password_ok) {
    throttle_.RecordFailure(req.tenant_id, req.email, req.ip);
    return Unauth("invalid_credentials", std::string(kInvalidCredentials));
  }
  if (NeedsRehash(*cred->password_hash, options_.password)) {
    if (auto fresh = HashPassword(req.password, options_.password)) {
      (void)users_.SetPasswordHash(req.tenant_id, user->id, *fresh);
    }
  }
  uint8_t amr = kAmrPassword;
  LoginResult result;
  if (cred->mfa_enabled) {
    if (req.otp.empty() && req.recovery_code.empty()) {
      const TimePoint now = clock_.Now();
      HCMS_TRY(result.mfa_token,
               crypto::SignJwt(*key_ring(), {{"typ", "mfa"},
                                             {"sub", std::to_string(user->id)},
                                             {"tenant", req.tenant_id},
                                             {"jti", RandomToken(12)},
                                             {"iat", UnixSeconds(now)},
                                             {"exp", UnixSeconds(now + options_.mfa_token_ttl)}}));
      return result;
    }
    HCMS_TRY(bool ok,
             CheckSecondFactor(req.tenant_id, user->id, *cred, req.otp, req.recovery_code, amr));
    if (!ok) {
      throttle_.RecordFailure(req.tenant_id, req.email, req.ip);
      return Unauth("mfa_invalid", "Código de verificação incorreto.");
    }
  }
  throttle_.RecordSuccess(req.tenant_id, req.email);
  HCMS_TRY(result.tokens, StartSession(*user, amr, req.device_id, req.ip, req.browser));
  return result;
}

Result<IssuedTokens> AuthService::CompleteMfa(int64_t tenant_id, std::string_view mfa_token,
                                              std::string_view otp, std::string_view recovery_code,
                                              std::string_view device_id, std::string_view ip,
                                              bool browser) {
  auto claims = crypto::VerifyJwt(*key_ring(), mfa_token, clock_.Now());
  if (!claims || claims->value("typ", "") != "mfa" ||
      claims->value("tenant", int64_t{0}) != tenant_id)
    return Unauth("mfa_token_invalid");
  const int64_t user_id = std::stoll(claims->value("sub", "0"));
  HCMS_TRY(User user, users_.FindById(tenant_id, user_id));
  HCMS_TRY(Credentials cred, users_.GetCredentials(tenant_id, user_id));
  const std::string throttle_key = "mfa:" + std::to_string(user_id);
  if (throttle_.RetryAfter(tenant_id, throttle_key, ip).count() > 0) {
    return std::unexpected(Error(ErrorKind::kResourceExhausted, "login_throttled"));
  }
  uint8_t amr = kAmrPassword;
  HCMS_TRY(bool ok, CheckSecondFactor(tenant_id, user_id, cred, otp, recovery_code, amr));
  if (!ok || cred.status != "active") {
    throttle_.RecordFailure(tenant_id, throttle_key, ip);
    return Unauth("mfa_invalid", "Código de verificação incorreto.");
  }
  throttle_.RecordSuccess(tenant_id, throttle_key);
  return StartSession(user, amr, device_id, ip, browser);
}

Result<IssuedTokens> AuthService::Refresh(int64_t tenant_id, std::string_view refresh_token,
                                          std::string_view ip, bool browser) {
  HCMS_TRY(RotatedToken rotated, sessions_.Rotate(tenant_id, refresh_token));
  auto user = users_.FindById(tenant_id, rotated.session.user_id);
  if (!user || user->status != "active") {
    (void)sessions_.Revoke(tenant_id, rotated.session.id, "user_inactive");
    return Unauth("refresh_token_invalid");
  }
  return Issue(*user, rotated.session, ip, browser, std::move(rotated.refresh_token));
}

Result<IssuedTokens> AuthService::StepUp(const AccessClaims& claims, std::string_view otp,
                                         std::string_view ip) {
  HCMS_TRY(Credentials cred, users_.GetCredentials(claims.tenant_id, claims.user_id));
  if (!cred.mfa_enabled) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "mfa_not_enrolled",
                                 "Cadastre um autenticador antes."));
  }
  const std::string throttle_key = "mfa:" + std::to_string(claims.user_id);
  if (throttle_.RetryAfter(claims.tenant_id, throttle_key, ip).count() > 0) {
    return std::unexpected(Error(ErrorKind::kResourceExhausted, "login_throttled"));
  }
  uint8_t amr = claims.amr;
  HCMS_TRY(bool ok, CheckSecondFactor(claims.tenant_id, claims.user_id, cred, otp, {}, amr));
  if (!ok) {
    throttle_.RecordFailure(claims.tenant_id, throttle_key, ip);
    return Unauth("mfa_invalid", "Código de verificação incorreto.");
  }
  throttle_.RecordSuccess(claims.tenant_id, throttle_key);
  HCMS_CHECK(sessions_.StepUp(claims.tenant_id, claims.session_id, AmrToString(amr)));
  HCMS_TRY(Session session, sessions_.Find(claims.tenant_id, claims.session_id));
  HCMS_TRY(User user, users_.FindById(claims.tenant_id, claims.user_id));
  HCMS_TRY(IssuedTokens out, Issue(user, session, ip, !claims.csrf_hash.empty(), {}));
  return out;
}

Status AuthService::Logout(const AccessClaims& claims) {
  if (claims.session_id.empty()) return Ok();
  return sessions_.Revoke(claims.tenant_id, claims.session_id, "logout");
}

Result<AccessClaims> AuthService::VerifyAccess(std::string_view token, int64_t tenant_id) {
  HCMS_TRY(nlohmann::json j, crypto::VerifyJwt(*key_ring(), token, clock_.Now()));
  AccessClaims c;
  try {
    if (j.at("typ").get<std::string>() != "access") return Unauth("token_malformed");
    if (j.at("iss").get<std::string>() != options_.issuer) return Unauth("token_malformed");
    c.tenant_id = j.at("tenant").get<int64_t>();
    c.user_id = std::stoll(j.at("sub").get<std::string>());
    auto role = ParseRole(j.at("role").get<std::string>());
    if (!role) return Unauth("token_malformed");
    c.role = *role;
    for (const auto& a : j.at("amr")) c.amr |= AmrFromString(a.get<std::string>());
    c.trust_score = j.at("trust_score").get<int>();
    c.jti = j.at("jti").get<std::string>();
    c.session_id = j.at("sid").get<std::string>();
    c.auth_time = TimePoint(std::chrono::seconds(j.at("auth_time").get<int64_t>()));
    c.device_known = j.at("dvk").get<bool>();
    c.csrf_hash = j.value("csrf", "");
    c.expires_at = j.at("exp").get<int64_t>();
  } catch (const std::exception&) {
    return Unauth("token_malformed");
  }
  if (c.tenant_id != tenant_id) return Unauth("token_wrong_tenant");
  HCMS_TRY(bool active, sessions_.IsActive(tenant_id, c.session_id));
  if (!active) return Unauth("token_revoked");
  return c;
}

Result<AccessClaims> AuthService::VerifyBasic(int64_t tenant_id, std::string_view username,
                                              std::string_view password, std::string_view ip) {
  if (throttle_.RetryAfter(tenant_id, username, ip).count() > 0) {
    return std::unexpected(Error(ErrorKind::kResourceExhausted, "login_throttled"));
  }
  auto user = users_.FindByEmail(tenant_id, username);
  if (!user) {
    if (user.error().kind() != ErrorKind::kNotFound) return std::unexpected(user.error());
    throttle_.RecordFailure(tenant_id, username, ip);
    return Unauth("invalid_credentials", std::string(kInvalidCredentials));
  }
  HCMS_TRY(auto app, apps_.Verify(tenant_id, user->id, password));
  if (!app || user->status != "active") {
    throttle_.RecordFailure(tenant_id, username, ip);
    return Unauth("invalid_credentials", std::string(kInvalidCredentials));
  }
  AccessClaims c;
  c.user_id = user->id;
  c.tenant_id = tenant_id;
  c.role = user->role;
  c.amr = kAmrAppPassword;
  c.jti = app->id;
  c.auth_time = clock_.Now();
  c.device_known = true;
  c.trust_score = scorer_ ? scorer_(*user, c.amr, true, c.auth_time, {}, ip) : 0;
  return c;
}

Result<AuthService::Enrolment> AuthService::BeginMfa(int64_t tenant_id, int64_t user_id) {
  HCMS_TRY(User user, users_.FindById(tenant_id, user_id));
  Enrolment e;
  e.secret = NewTotpSecret();
  e.otpauth_uri = OtpAuthUri(options_.mfa_issuer, user.email, e.secret);
  HCMS_CHECK(users_.SetPendingMfaSecret(tenant_id, user_id, secrets_.Seal(e.secret)));
  return e;
}

Result<std::vector<std::string>> AuthService::ActivateMfa(int64_t tenant_id, int64_t user_id,
                                                          std::string_view otp) {
  HCMS_TRY(Credentials cred, users_.GetCredentials(tenant_id, user_id));
  if (!cred.mfa_pending_secret) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "mfa_not_enrolling",
                                 "Inicie o cadastro do autenticador primeiro."));
  }
  HCMS_TRY(std::string secret, secrets_.Open(*cred.mfa_pending_secret));
  if (!VerifyTotp(secret, otp, clock_.Now())) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "mfa_invalid", "Código de verificação incorreto."));
  }
  std::vector<std::string> codes = NewRecoveryCodes();
  std::vector<std::string> hashes;
  for (const auto& c : codes) hashes.push_back(HashRecoveryCode(c));
  HCMS_CHECK(users_.EnableMfa(tenant_id, user_id, hashes));
  return codes;
}

Status AuthService::DisableMfa(int64_t tenant_id, int64_t user_id, std::string_view otp) {
  HCMS_TRY(Credentials cred, users_.GetCredentials(tenant_id, user_id));
  if (!cred.mfa_enabled || !cred.mfa_secret) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "mfa_not_enrolled",
                                 "A verificação em duas etapas não está ativa."));
  }
  HCMS_TRY(std::string secret, secrets_.Open(*cred.mfa_secret));
  if (!VerifyTotp(secret, otp, clock_.Now())) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "mfa_invalid", "Código de verificação incorreto."));
  }
  return users_.DisableMfa(tenant_id, user_id);
}

}  // namespace hcms::accounts
