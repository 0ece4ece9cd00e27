#include "api/auth_routes.h"

#include <fmt/format.h>

#include "audit/audit_log.h"
#include "core/ip_address.h"
#include "core/random.h"
#include "http/problem.h"

namespace hcms::api {

namespace {

using http::Method;
using http::Response;

std::string Cookie(std::string_view name, std::string_view value, std::string_view path,
                   int64_t max_age, bool http_only, bool secure, std::string_view same_site) {
  std::string c =
      fmt::format("{}={}; Path={}; Max-Age={}; SameSite={}", name, value, path, max_age, same_site);
  if (http_only) c += "; HttpOnly";
  if (secure) c += "; Secure";
  return c;
}

std::string DeviceId(const http::Request& req) {
  std::string_view d = CookieValue(req, "hcms_device");
  if (d.empty()) d = req.Header("X-Device-Id");
  if (d.size() < 16 || d.size() > 64) return {};
  for (char c : d) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return {};
  }
  return std::string(d);
}

audit::Entry AuthEntry(const RequestContext& ctx, std::string action, std::string outcome) {
  audit::Entry e;
  e.tenant_id = ctx.tenant.id;
  e.action = std::move(action);
  e.decision = std::move(outcome);
  e.ip_anon = AnonymizeIp(ctx.request.remote_ip);
  e.request_id = ctx.request.request_id;
  return e;
}

struct Deps {
  ApiServices services;
  accounts::UserRepository& users;
  accounts::SessionRepository& sessions;
  accounts::AppPasswordRepository& apps;
  AuthRoutesOptions options;
};

// Writes the answer for freshly issued tokens: JSON for API clients, cookies for
// browsers.
Response TokensResponse(const Deps& d, const accounts::IssuedTokens& t, bool browser,
                        const std::string& device_id, bool new_device) {
  nlohmann::json body = {{"token_type", "Bearer"},
                         {"expires_in", t.expires_in.count()},
                         {"trust_score", t.claims.trust_score},
                         {"amr", accounts::AmrList(t.claims.amr)},
                         {"session_id", t.claims.session_id},
                         {"user", UserJson(t.user)}};
  Response r;
  const bool secure = d.options.cookie_secure;
  if (browser) {
    body["csrf_token"] = t.csrf_token;
    r = Response::Json(200, body);
    r.Add("Set-Cookie",
          Cookie("hcms_access", t.access_token, "/", t.expires_in.count(), true, secure, "Strict"));
    if (!t.refresh_token.empty()) {
      r.Add("Set-Cookie",
            Cookie("hcms_refresh", t.refresh_token, "/api/v1/auth",
                   d.services.auth.options().refresh_ttl.count(), true, secure, "Strict"));
    }
    r.Add("Set-Cookie",
          Cookie("hcms_csrf", t.csrf_token, "/", d.services.auth.options().refresh_ttl.count(),
                 false, secure, "Strict"));
    if (new_device) {
      r.Add("Set-Cookie",
            Cookie("hcms_device", device_id, "/", 2 * 365 * 86400, true, secure, "Lax"));
    }
  } else {
    body["access_token"] = t.access_token;
    if (!t.refresh_token.empty()) body["refresh_token"] = t.refresh_token;
    if (new_device) body["device_id"] = device_id;
    r = Response::Json(200, body);
  }
  r.Set("Cache-Control", "no-store");
  return r;
}

Response Throttled(const http::Request& req, std::chrono::seconds wait) {
  Response r = http::Problem(req, 429, "login_throttled",
                             "Muitas tentativas. Aguarde antes de tentar de novo.");
  r.Set("Retry-After", std::to_string(std::max<int64_t>(1, wait.count())));
  return r;
}

}  // namespace

nlohmann::json UserJson(const accounts::User& u) {
  nlohmann::json j = {
      {"id", u.id},
      {"email", u.email},
      {"name", u.display_name},
      {"role", accounts::RoleName(u.role)},
      {"status", u.status},
      {"specialty", u.specialty ? nlohmann::json(*u.specialty) : nullptr},
      {"mfa_enabled", u.mfa_enabled},
      {"last_login_at", u.last_login_at ? nlohmann::json(*u.last_login_at) : nullptr},
      {"created_at", u.created_at}};
  if (u.registration) {
    j["registration"] = {
        {"kind", u.registration->kind},
        {"number", u.registration->number},
        {"uf", u.registration->uf},
        {"rqe", u.registration->rqe ? nlohmann::json(*u.registration->rqe) : nullptr},
        {"display", accounts::FormatRegistration(*u.registration)},
        {"status", u.registration_status}};
  } else {
    j["registration"] = nullptr;
  }
  return j;
}

void AddAuthRoutes(Api& api, accounts::UserRepository& users, accounts::SessionRepository& sessions,
                   accounts::AppPasswordRepository& app_passwords, AuthRoutesOptions options) {
  auto d = std::make_shared<Deps>(Deps{api.services(), users, sessions, app_passwords, options});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/login",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto email = v.String("email", Need::kRequired, 254);
             auto password = v.String("password", Need::kRequired, 1024);
             auto otp = v.String("otp", Need::kOptional, 16);
             auto recovery = v.String("recovery_code", Need::kOptional, 32);
             auto session = v.String("session", Need::kOptional, 16);
             if (session && *session != "cookie" && *session != "token")
               v.Fail("session", "invalid_value", "cookie ou token");
             HCMS_CHECK(v.Finish());
             const bool browser = session && *session == "cookie";
             auto& auth = d->services.auth;
             const auto wait =
                 auth.throttle().RetryAfter(ctx.tenant.id, *email, ctx.request.remote_ip);
             if (wait.count() > 0) {
               auto e = AuthEntry(ctx, "auth.login", "failure");
               e.details = {{"code", "login_throttled"}};
               d->services.audit.Enqueue(std::move(e));
               return Throttled(ctx.request, wait);
             }
             std::string device = DeviceId(ctx.request);
             const bool new_device = device.empty();
             if (new_device) device = RandomToken(24);
             auto result = auth.Login({.tenant_id = ctx.tenant.id,
                                       .email = *email,
                                       .password = *password,
                                       .otp = otp.value_or(""),
                                       .recovery_code = recovery.value_or(""),
                                       .device_id = device,
                                       .ip = ctx.request.remote_ip,
                                       .browser = browser});
             if (!result) {
               auto e = AuthEntry(ctx, "auth.login", "failure");
               e.details = {{"code", result.error().code()}};
               d->services.audit.Enqueue(std::move(e));
               return std::unexpected(result.error());
             }
             if (!result->tokens) {
               return Response::Json(200, {{"mfa_required", true},
                                           {"mfa_token", result->mfa_token},
                                           {"expires_in", auth.options().mfa_token_ttl.count()}});
             }
             const auto& t = *result->tokens;
             auto e = AuthEntry(ctx, "auth.login", "success");
             e.actor_user_id = t.user.id;
             e.trust_score = t.claims.trust_score;
             e.resource = "session:" + t.claims.session_id;
             e.details = {{"amr", accounts::AmrToString(t.claims.amr)},
                          {"client", browser ? "browser" : "api"},
                          {"device_known", t.claims.device_known}};
             HCMS_CHECK(d->services.audit.Append(std::move(e)));
             return TokensResponse(*d, t, browser, device, new_device);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/mfa",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto token = v.String("mfa_token", Need::kRequired, 4096);
             auto otp = v.String("otp", Need::kOptional, 16);
             auto recovery = v.String("recovery_code", Need::kOptional, 32);
             auto session = v.String("session", Need::kOptional, 16);
             if (!otp && !recovery) v.Fail("otp", "required");
             HCMS_CHECK(v.Finish());
             const bool browser = session && *session == "cookie";
             std::string device = DeviceId(ctx.request);
             const bool new_device = device.empty();
             if (new_device) device = RandomToken(24);
             auto t = d->services.auth.CompleteMfa(ctx.tenant.id, *token, otp.value_or(""),
                                                   recovery.value_or(""), device,
                                                   ctx.request.remote_ip, browser);
             if (!t) {
               auto e = AuthEntry(ctx, "auth.login", "failure");
               e.details = {{"code", t.error().code()}, {"step", "mfa"}};
               d->services.audit.Enqueue(std::move(e));
               if (t.error().kind() == ErrorKind::kResourceExhausted)
                 return Throttled(ctx.request, std::chrono::seconds(60));
               return std::unexpected(t.error());
             }
             auto e = AuthEntry(ctx, "auth.login", "success");
             e.actor_user_id = t->user.id;
             e.trust_score = t->claims.trust_score;
             e.resource = "session:" + t->claims.session_id;
             e.details = {{"amr", accounts::AmrToString(t->claims.amr)},
                          {"client", browser ? "browser" : "api"}};
             HCMS_CHECK(d->services.audit.Append(std::move(e)));
             return TokensResponse(*d, *t, browser, device, new_device);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/refresh",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             std::string token;
             bool browser = false;
             const std::string_view cookie = CookieValue(ctx.request, "hcms_refresh");
             if (!ctx.request.body.empty()) {
               HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
               Validator v(body);
               auto t = v.String("refresh_token", Need::kRequired, 512);
               HCMS_CHECK(v.Finish());
               token = *t;
             } else if (!cookie.empty()) {
               // Double submit: the page must echo the CSRF cookie in a header.
               const std::string_view csrf = CookieValue(ctx.request, "hcms_csrf");
               if (csrf.empty() || ctx.request.Header("X-CSRF-Token") != csrf) {
                 return std::unexpected(Error(ErrorKind::kPermissionDenied, "csrf_failed",
                                              "Token CSRF ausente ou inválido."));
               }
               token = std::string(cookie);
               browser = true;
             } else {
               return std::unexpected(Error(ErrorKind::kUnauthenticated, "refresh_token_invalid"));
             }
             auto t =
                 d->services.auth.Refresh(ctx.tenant.id, token, ctx.request.remote_ip, browser);
             if (!t) {
               auto e = AuthEntry(ctx, "auth.refresh", "failure");
               e.details = {{"code", t.error().code()}};
               if (t.error().code() == "refresh_token_reused") {
                 (void)d->services.audit.Append(std::move(e));
               } else {
                 d->services.audit.Enqueue(std::move(e));
               }
               return std::unexpected(t.error());
             }
             auto e = AuthEntry(ctx, "auth.refresh", "success");
             e.actor_user_id = t->user.id;
             e.trust_score = t->claims.trust_score;
             e.resource = "session:" + t->claims.session_id;
             HCMS_CHECK(d->services.audit.Append(std::move(e)));
             return TokensResponse(*d, *t, browser, {}, false);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/logout",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_CHECK(d->services.auth.Logout(ctx.principal->claims));
             ctx.Audit("auth.logout", "session:" + ctx.principal->session_id, "success");
             Response r = Response::NoContent();
             const bool secure = d->options.cookie_secure;
             r.Add("Set-Cookie", Cookie("hcms_access", "", "/", 0, true, secure, "Strict"));
             r.Add("Set-Cookie",
                   Cookie("hcms_refresh", "", "/api/v1/auth", 0, true, secure, "Strict"));
             r.Add("Set-Cookie", Cookie("hcms_csrf", "", "/", 0, false, secure, "Strict"));
             return r;
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/auth/me",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(accounts::User u, d->users.FindById(ctx.tenant.id, ctx.principal->user_id));
             const auto& p = *ctx.principal;
             return Response::Json(
                 200, {{"user", UserJson(u)},
                       {"tenant", {{"id", ctx.tenant.id}, {"slug", ctx.tenant.slug}}},
                       {"role", accounts::RoleName(p.role)},
                       {"amr", p.amr},
                       {"auth_method", AuthMethodName(p.method)},
                       {"trust_score", p.trust_score},
                       {"token_trust_score", p.claims.trust_score},
                       {"session_id", p.session_id.empty() ? nlohmann::json(nullptr)
                                                           : nlohmann::json(p.session_id)}});
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/step-up",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto otp = v.String("otp", Need::kRequired, 16);
             HCMS_CHECK(v.Finish());
             auto t = d->services.auth.StepUp(ctx.principal->claims, *otp, ctx.request.remote_ip);
             if (!t) {
               ctx.Audit("auth.step_up", "session:" + ctx.principal->session_id, "failure",
                         {{"code", t.error().code()}});
               if (t.error().kind() == ErrorKind::kResourceExhausted)
                 return Throttled(ctx.request, std::chrono::seconds(60));
               return std::unexpected(t.error());
             }
             ctx.Audit("auth.step_up", "session:" + ctx.principal->session_id, "success");
             return TokensResponse(*d, *t, ctx.principal->method == AuthMethod::kCookie, {}, false);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/mfa/enroll",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto e, d->services.auth.BeginMfa(ctx.tenant.id, ctx.principal->user_id));
             ctx.Audit("auth.mfa_enroll", "user:" + std::to_string(ctx.principal->user_id));
             return Response::Json(200, {{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}});
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/mfa/activate",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto otp = v.String("otp", Need::kRequired, 16);
             HCMS_CHECK(v.Finish());
             HCMS_TRY(auto codes,
                      d->services.auth.ActivateMfa(ctx.tenant.id, ctx.principal->user_id, *otp));
             ctx.Audit("auth.mfa_activate", "user:" + std::to_string(ctx.principal->user_id));
             return Response::Json(200, {{"mfa_enabled", true}, {"recovery_codes", codes}});
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/auth/mfa/disable",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto otp = v.String("otp", Need::kRequired, 16);
             HCMS_CHECK(v.Finish());
             HCMS_CHECK(d->services.auth.DisableMfa(ctx.tenant.id, ctx.principal->user_id, *otp));
             ctx.Audit("auth.mfa_disable", "user:" + std::to_string(ctx.principal->user_id));
             return Response::NoContent();
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/auth/sessions",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto list, d->sessions.ListActive(ctx.tenant.id, ctx.principal->user_id));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& s : list) {
               out.push_back({{"id", s.id},
                              {"client", s.client},
                              {"amr", s.amr},
                              {"created_at", s.created_at},
                              {"last_seen_at", s.last_seen_at},
                              {"current", s.id == ctx.principal->session_id}});
             }
             return Response::Json(200, {{"sessions", out}});
           }});

  api.Add({.method = Method::kDelete,
           .pattern = "/api/v1/auth/sessions/{id}",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             const std::string id(ctx.request.PathParam("id"));
             auto s = d->sessions.Find(ctx.tenant.id, id);
             if (!s || s->user_id != ctx.principal->user_id) return NotFound("session_not_found");
             HCMS_CHECK(d->sessions.Revoke(ctx.tenant.id, id, "revoked_by_user"));
             ctx.Audit("auth.session_revoke", "session:" + id);
             return Response::NoContent();
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/users/me/app-passwords",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kAuthenticated,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto list, d->apps.List(ctx.tenant.id, ctx.principal->user_id));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& a : list) {
               out.push_back(
                   {{"uuid", a.id},
                    {"name", a.name},
                    {"created", a.created_at},
                    {"last_used", a.last_used_at ? nlohmann::json(*a.last_used_at) : nullptr}});
             }
             return Response::Json(200, out);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/users/me/app-passwords",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto name = v.String("name", Need::kRequired, 100);
             HCMS_CHECK(v.Finish());
             HCMS_TRY(auto created, d->apps.Create(ctx.tenant.id, ctx.principal->user_id, *name));
             ctx.Audit("auth.app_password_create", "app_password:" + created.info.id);
             return Response::Json(201, {{"uuid", created.info.id},
                                         {"name", created.info.name},
                                         {"created", created.info.created_at},
                                         {"password", created.password}});
           }});

  api.Add({.method = Method::kDelete,
           .pattern = "/api/v1/users/me/app-passwords/{id}",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kAuthenticated,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             const std::string id(ctx.request.PathParam("id"));
             HCMS_CHECK(d->apps.Revoke(ctx.tenant.id, ctx.principal->user_id, id));
             ctx.Audit("auth.app_password_revoke", "app_password:" + id);
             return Response::NoContent();
           }});
}

}  // namespace hcms::api
