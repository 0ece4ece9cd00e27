#include "api/api.h"

#include <sodium.h>

#include "api/public_cache.h"
#include "audit/audit_log.h"
#include "core/ip_address.h"
#include "core/log.h"
#include "http/problem.h"
#include "tenants/resolver.h"

namespace hcms::api {

namespace {

bool IsUnsafe(http::Method m) {
  return m == http::Method::kPost || m == http::Method::kPut || m == http::Method::kPatch ||
         m == http::Method::kDelete;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (sodium_init() < 0) return Internal("sodium_init failed");
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::unexpected(Error(ErrorKind::kUnauthenticated, "invalid_credentials"));
  }
  out.resize(len);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::HeaderNameEquals(s.substr(0, prefix.size()), prefix);
}

std::string Sha256Prefix(std::string_view s);

}  // namespace

std::string OriginOf(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  std::string scheme(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  std::string host(rest.substr(0, rest.find_first_of("/?#")));
  for (auto* part : {&scheme, &host}) {
    for (char& c : *part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (host.empty()) return {};
  if ((scheme == "http" && host.ends_with(":80")) ||
      (scheme == "https" && host.ends_with(":443"))) {
    host.resize(host.rfind(':'));
  }
  return scheme + "://" + host;
}

std::string_view AuthMethodName(AuthMethod m) {
  switch (m) {
    case AuthMethod::kBearer:
      return "bearer";
    case AuthMethod::kCookie:
      return "cookie";
    case AuthMethod::kBasic:
      return "basic";
  }
  return "bearer";
}

std::string_view CookieValue(const http::Request& req, std::string_view name) {
  for (const auto& h : req.headers) {
    if (!http::HeaderNameEquals(h.name, "Cookie")) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      const size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
  }
  return {};
}

http::Response ErrorResponse(const http::Request& req, const Error& error) {
  int status = http::HttpStatusFor(error);
  if (error.code() == "unsupported_media_type") status = 415;
  if (status == 415) return http::Problem(req, status, error.code(), error.detail());
  return http::Problem(req, error);  // with WWW-Authenticate on a 401
}

void RequestContext::Audit(std::string action, std::string resource, std::string outcome,
                           nlohmann::json details) const {
  if (audit_ == nullptr) return;
  audit::Entry e;
  e.tenant_id = tenant.id;
  if (principal != nullptr) {
    e.actor_user_id = principal->user_id;
    e.trust_score = principal->trust_score;
  }
  e.action = std::move(action);
  e.resource = std::move(resource);
  e.decision = std::move(outcome);
  e.ip_anon = AnonymizeIp(request.remote_ip);
  e.request_id = request.request_id;
  e.details = std::move(details);
  if (auto s = audit_->Append(std::move(e)); !s) {
    log::Error("audit_write_failed",
               {{"request_id", request.request_id}, {"error", s.error().ToLogString()}});
  }
}

struct Api::State {
  ApiServices services;
};

Api::Api(http::Router& router, ApiServices services)
    : router_(router), state_(std::make_shared<State>(State{services})) {}
Api::~Api() = default;

const ApiServices& Api::services() const { return state_->services; }

namespace {

// Cross-site WebSocket hijacking: a page on another site can open a WebSocket to
// us and the browser attaches our cookies. Browsers always send Origin on a
// WebSocket handshake; clients that are not browsers may leave it out.
Status CheckWebSocketOrigin(const ApiServices& s, const http::Request& req,
                            const tenants::Tenant& tenant) {
  const std::string_view origin_header = req.Header("Origin");
  if (origin_header.empty()) return Ok();
  const std::string origin = OriginOf(origin_header);
  const std::string public_url = s.public_url ? s.public_url() : std::string();
  const std::string site = OriginOf(public_url);
  if (!origin.empty()) {
    if (origin == site) return Ok();
    const std::string site_scheme = site.empty() ? "http" : site.substr(0, site.find("://"));
    if (tenant.host && origin == OriginOf(site_scheme + "://" + *tenant.host)) return Ok();
    // The address the browser connected to, under the site's scheme.
    if (origin == OriginOf(site_scheme + "://" + std::string(req.Header("Host")))) return Ok();
  }
  return std::unexpected(Error(ErrorKind::kPermissionDenied, "websocket_origin_denied",
                               "Origem não permitida para esta conexão WebSocket."));
}

struct Authenticated {
  std::optional<Principal> principal;
  std::optional<Error> error;  // credentials were presented and are bad
};

Authenticated Authenticate(const ApiServices& s, const http::Request& req,
                           const tenants::Tenant& tenant, bool allow_basic) {
  Authenticated out;
  const std::string_view authz = req.Header("Authorization");
  auto fill = [&](const accounts::AccessClaims& c, AuthMethod m) {
    Principal p;
    p.user_id = c.user_id;
    p.tenant_id = c.tenant_id;
    p.role = c.role;
    p.amr = accounts::AmrList(c.amr);
    p.trust_score = c.trust_score;
    p.session_id = c.session_id;
    p.method = m;
    p.claims = c;
    out.principal = std::move(p);
  };
  if (StartsWithNoCase(authz, "Bearer ")) {
    auto claims = s.auth.VerifyAccess(Trim(authz.substr(7)), tenant.id);
    if (!claims) {
      out.error = claims.error();
    } else {
      fill(*claims, AuthMethod::kBearer);
    }
    return out;
  }
  if (StartsWithNoCase(authz, "Basic ")) {
    if (!allow_basic) {
      out.error = Error(ErrorKind::kUnauthenticated, "app_password_not_allowed",
                        "Senhas de aplicativo não são aceitas neste recurso.");
      return out;
    }
    auto decoded = Base64Decode(Trim(authz.substr(6)));
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (!decoded || colon == std::string::npos) {
      out.error = Error(ErrorKind::kUnauthenticated, "invalid_credentials");
      return out;
    }
    auto claims = s.auth.VerifyBasic(tenant.id, decoded->substr(0, colon),
                                     decoded->substr(colon + 1), req.remote_ip);
    if (!claims) {
      out.error = claims.error();
    } else {
      fill(*claims, AuthMethod::kBasic);
    }
    return out;
  }
  if (!authz.empty()) {
    out.error = Error(ErrorKind::kUnauthenticated, "unsupported_authorization");
    return out;
  }
  const std::string_view cookie = CookieValue(req, "hcms_access");
  if (cookie.empty()) return out;
  auto claims = s.auth.VerifyAccess(cookie, tenant.id);
  if (!claims) {
    out.error = claims.error();
    return out;
  }
  if (claims->csrf_hash.empty()) {
    out.error = Error(ErrorKind::kUnauthenticated, "token_malformed");
    return out;
  }
  if (IsUnsafe(req.method)) {
    const std::string_view header = req.Header("X-CSRF-Token");
    if (header.empty() || Sha256Prefix(header) != claims->csrf_hash) {
      out.error =
          Error(ErrorKind::kPermissionDenied, "csrf_failed", "Token CSRF ausente ou inválido.");
      return out;
    }
  }
  fill(*claims, AuthMethod::kCookie);
  return out;
}

void AuditDecision(const ApiServices& s, const http::Request& req, const tenants::Tenant& tenant,
                   const Principal* p, const RouteInfo& route, const policy::Decision& d) {
  audit::Entry e;
  e.tenant_id = tenant.id;
  if (p != nullptr) e.actor_user_id = p->user_id;
  e.action = "policy.decision";
  e.resource = "route:" + std::string(http::MethodName(route.method)) + " " + route.pattern;
  e.decision = std::string(policy::EffectName(d.effect));
  e.trust_score = d.score;
  e.ip_anon = AnonymizeIp(req.remote_ip);
  e.request_id = req.request_id;
  e.details = {{"reason", d.reason},
               {"required", d.required},
               {"class", ResourceClassName(route.resource_class)},
               {"permission", policy::PermissionName(route.permission)},
               {"cached", d.cached}};
  if (p != nullptr) {
    e.details["role"] = accounts::RoleName(p->role);
    e.details["auth"] = AuthMethodName(p->method);
    if (!p->session_id.empty()) e.details["session"] = p->session_id;
  }
  s.audit.Enqueue(std::move(e));
}

http::Response DecisionProblem(const http::Request& req, const policy::Decision& d,
                               bool anonymous) {
  int status = 403;
  std::string code = "forbidden";
  if (d.reason == "anonymous") {
    status = 401;
    code = "unauthenticated";
  } else if (d.effect == policy::Effect::kChallenge) {
    status = 401;
    code = "mfa_required";
  } else if (d.reason == "insufficient_trust") {
    code = "insufficient_trust";
  } else if (d.reason == "ip_denied") {
    code = "ip_denied";
  }
  http::Response r = http::Problem(req, status, code);
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(r.body);
  body["decision"] = policy::EffectName(d.effect);
  body["reason"] = d.reason;
  if (!anonymous) {
    body["required_score"] = d.required;
    body["trust_score"] = d.score;
  }
  r.body = body.dump();  // WWW-Authenticate on a 401: http::Problem
  return r;
}

std::string Sha256Prefix(std::string_view s);

bool IsConditionalHeader(std::string_view name) {
  return http::HeaderNameEquals(name, "If-None-Match") ||
         http::HeaderNameEquals(name, "If-Modified-Since");
}

// The answer for the client: 304 when its copy is current, and whether it came
// from the cache (X-Hcms-Cache: hit, miss or bypass).
http::Response ConditionalAnswer(const http::Request& req, http::Response res,
                                 std::string_view cache_state) {
  if (res.status == 200 && NotModified(req, res.Get("ETag"), res.Get("Last-Modified"))) {
    res = NotModifiedResponse(res);
  }
  res.Set("X-Hcms-Cache", std::string(cache_state));
  return res;
}

// An anonymous GET/HEAD on a route with public_cache (see api/public_cache.h).
http::Response ServeAnonymousCacheable(const ApiServices& s, http::Request& req,
                                       const tenants::Tenant& tenant,
                                       const policy::Decision& decision, const Handler& handler) {
  PublicCache* cache = s.public_cache;
  std::optional<int64_t> generation;
  std::string key;
  if (cache != nullptr && cache->options().max_bytes > 0) {
    if (auto g = cache->Generation(tenant.id)) {
      generation = *g;
      key = PublicCache::Key(tenant.id, req);
      if (auto hit = cache->Find(key, *generation)) {
        req.route_template = hit->route_template;
        return ConditionalAnswer(req, hit->For(req), "hit");
      }
    } else {
      log::Warn("public_cache_generation_failed",
                {{"request_id", req.request_id}, {"error", g.error().ToLogString()}});
    }
  }
  // The handler renders the full answer; conditionals are answered against it.
  std::vector<http::HeaderField> conditionals;
  std::erase_if(req.headers, [&](const http::HeaderField& h) {
    if (!IsConditionalHeader(h.name)) return false;
    conditionals.push_back(h);
    return true;
  });
  RequestContext ctx(req, tenant, nullptr, decision, &s.audit);
  Result<http::Response> res = handler(ctx);
  req.headers.insert(req.headers.end(), conditionals.begin(), conditionals.end());
  if (!res) return ErrorResponse(req, res.error());
  if (PublicCache::Storable(*res)) {
    // Shared caches and browsers may keep it, but must ask again (and get a 304).
    if (res->Get("Cache-Control").empty()) res->Set("Cache-Control", "no-cache");
    if (res->status == 200 && res->Get("ETag").empty()) res->Set("ETag", BodyEtag(res->Body()));
  }
  if (generation) {
    if (auto stored = cache->Store(key, *generation, *res, req.route_template)) {
      return ConditionalAnswer(req, stored->For(req), "miss");
    }
  }
  return ConditionalAnswer(req, std::move(*res), "bypass");
}

// The I/O-thread half of the above: a cache hit that needs no database and no
// worker thread, or nullopt (the worker path then does everything, including the
// audit of a refused decision).
std::optional<http::Response> AnonymousCacheHit(const ApiServices& s, const RouteInfo& info,
                                                http::Request& req) {
  PublicCache* cache = s.public_cache;
  if (cache == nullptr) return std::nullopt;
  if (req.method != http::Method::kGet && req.method != http::Method::kHead) return std::nullopt;
  if (!req.Header("Authorization").empty() || !CookieValue(req, "hcms_access").empty() ||
      req.WantsWebSocket()) {
    return std::nullopt;
  }
  std::optional<tenants::Tenant> tenant = s.resolver.Peek(req.Header("Host"));
  if (!tenant) return std::nullopt;
  const std::optional<int64_t> generation = cache->KnownGeneration(tenant->id);
  if (!generation) return std::nullopt;
  const std::string action = std::string(http::MethodName(info.method)) + " " + info.pattern;
  const policy::Decision decision =
      s.policy.EvaluateAnonymous({.resource_class = info.resource_class,
                                  .permission = info.permission,
                                  .action = action,
                                  .ip = req.remote_ip,
                                  .timezone = tenant->timezone,
                                  .now = s.clock.Now()});
  if (decision.effect != policy::Effect::kAllow) return std::nullopt;
  auto hit = cache->Find(PublicCache::Key(tenant->id, req), *generation, /*count_miss=*/false);
  if (!hit) return std::nullopt;
  req.route_template = hit->route_template;
  return ConditionalAnswer(req, hit->For(req), "hit");
}

}  // namespace

void Api::Add(Route route) {
  RouteInfo info{route.method, route.pattern, route.resource_class, route.permission,
                 route.allow_app_passwords};
  infos_.push_back(info);
  auto state = state_;
  auto handler = std::make_shared<Handler>(std::move(route.handler));
  const bool public_cache = route.public_cache && route.permission == Permission::kPublic;
  router_.Add(
      {.method = route.method,
       .pattern = route.pattern,
       .resource_class = route.resource_class,
       .handler = [state, handler, info, public_cache](http::Request& req) -> http::Response {
         const ApiServices& s = state->services;
         auto tenant = s.resolver.Resolve(req.Header("Host"));
         if (!tenant) return ErrorResponse(req, tenant.error());
         if (req.WantsWebSocket()) {
           if (auto origin = CheckWebSocketOrigin(s, req, *tenant); !origin) {
             audit::Entry e;
             e.tenant_id = tenant->id;
             e.action = "websocket.origin_denied";
             e.resource =
                 "route:" + std::string(http::MethodName(info.method)) + " " + info.pattern;
             e.decision = "deny";
             e.ip_anon = AnonymizeIp(req.remote_ip);
             e.request_id = req.request_id;
             s.audit.Enqueue(std::move(e));
             return ErrorResponse(req, origin.error());
           }
         }
         Authenticated auth = Authenticate(s, req, *tenant, info.allow_app_passwords);
         const bool is_public = info.permission == Permission::kPublic;
         if (auth.error && !is_public) {
           if (auth.error->kind() == ErrorKind::kUnauthenticated ||
               auth.error->kind() == ErrorKind::kPermissionDenied) {
             audit::Entry e;
             e.tenant_id = tenant->id;
             e.action = "auth.rejected";
             e.resource =
                 "route:" + std::string(http::MethodName(info.method)) + " " + info.pattern;
             e.decision = "deny";
             e.ip_anon = AnonymizeIp(req.remote_ip);
             e.request_id = req.request_id;
             e.details = {{"code", auth.error->code()}};
             s.audit.Enqueue(std::move(e));
           }
           return ErrorResponse(req, *auth.error);
         }
         const Principal* principal = auth.principal ? &*auth.principal : nullptr;
         policy::Request preq{.resource_class = info.resource_class,
                              .permission = info.permission,
                              .action = req.route_template,
                              .ip = req.remote_ip,
                              .timezone = tenant->timezone,
                              .now = s.clock.Now()};
         const std::string action = std::string(http::MethodName(info.method)) + " " + info.pattern;
         preq.action = action;
         policy::Decision decision;
         if (principal == nullptr) {
           decision = s.policy.EvaluateAnonymous(preq);
           if (decision.effect != policy::Effect::kAllow) {
             AuditDecision(s, req, *tenant, nullptr, info, decision);
             return DecisionProblem(req, decision, true);
           }
         } else {
           const auto& c = principal->claims;
           const std::string session_key = c.session_id.empty() ? "app:" + c.jti : c.session_id;
           policy::Subject subject{.user_id = c.user_id,
                                   .tenant_id = c.tenant_id,
                                   .role = c.role,
                                   .amr = c.amr,
                                   .session_id = session_key,
                                   .authenticated_at = c.auth_time,
                                   .device_known = c.device_known};
           decision = s.policy.Evaluate(subject, preq);
           auth.principal->trust_score = decision.score;
           if (!(decision.cached && decision.effect == policy::Effect::kAllow &&
                 info.resource_class == ResourceClass::kPublic)) {
             AuditDecision(s, req, *tenant, principal, info, decision);
           }
           if (decision.effect != policy::Effect::kAllow) {
             return DecisionProblem(req, decision, false);
           }
         }
         if (public_cache && principal == nullptr &&
             (req.method == http::Method::kGet || req.method == http::Method::kHead) &&
             !req.WantsWebSocket()) {
           return ServeAnonymousCacheable(s, req, *tenant, decision, *handler);
         }
         RequestContext ctx(req, *tenant, principal, decision, &s.audit);
         Result<http::Response> res = (*handler)(ctx);
         if (!res) return ErrorResponse(req, res.error());
         if (principal != nullptr && res->Get("Cache-Control").empty()) {
           res->Set("Cache-Control", "no-store");
         }
         return std::move(*res);
       },
       .execution = route.execution,
       .max_body_bytes = route.max_body_bytes,
       .fast = public_cache ? std::function<std::optional<http::Response>(http::Request&)>(
                                  [state, info](http::Request& req) {
                                    return AnonymousCacheHit(state->services, info, req);
                                  })
                            : nullptr});
}

// --- Helpers ----------------------------------------------------------------------

Result<nlohmann::json> ParseJsonBody(const http::Request& req) {
  std::string_view ct = req.Header("Content-Type");
  ct = ct.substr(0, ct.find(';'));
  ct = Trim(ct);
  const bool json = http::HeaderNameEquals(ct, "application/json") ||
                    (ct.size() > 5 && http::HeaderNameEquals(ct.substr(ct.size() - 5), "+json"));
  if (!json) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "unsupported_media_type",
                                 "Envie o corpo como application/json."));
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "invalid_json",
                                 "O corpo deve ser um objeto JSON válido."));
  }
  return body;
}

Result<int64_t> PathId(const http::Request& req, std::string_view name) {
  const std::string_view v = req.PathParam(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string_view::npos)
    return NotFound();
  const int64_t id = std::stoll(std::string(v));
  if (id <= 0) return NotFound();
  return id;
}

std::optional<std::string> Validator::String(std::string_view field, Need need, size_t max_bytes) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    if (need == Need::kRequired) Fail(std::string(field), "required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    Fail(std::string(field), "invalid_type", "texto");
    return std::nullopt;
  }
  std::string s = it->get<std::string>();
  if (s.size() > max_bytes) {
    Fail(std::string(field), "too_long");
    return std::nullopt;
  }
  if (need == Need::kRequired && s.empty()) {
    Fail(std::string(field), "required");
    return std::nullopt;
  }
  return s;
}

std::optional<int64_t> Validator::Int(std::string_view field, Need need, int64_t min, int64_t max) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    if (need == Need::kRequired) Fail(std::string(field), "required");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    Fail(std::string(field), "invalid_type", "número inteiro");
    return std::nullopt;
  }
  const int64_t v = it->get<int64_t>();
  if (v < min || v > max) {
    Fail(std::string(field), "out_of_range");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Validator::Bool(std::string_view field, Need need) {
  const auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    if (need == Need::kRequired) Fail(std::string(field), "required");
    return std::nullopt;
  }
  if (!it->is_boolean()) {
    Fail(std::string(field), "invalid_type", "true ou false");
    return std::nullopt;
  }
  return it->get<bool>();
}

void Validator::Fail(std::string field, std::string code, std::string message) {
  errors_.push_back({std::move(field), std::move(code), std::move(message)});
}

Status Validator::Finish() const {
  if (errors_.empty()) return Ok();
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados inválidos.");
  for (const auto& f : errors_) e.WithField(f.field, f.code, f.message);
  return std::unexpected(std::move(e));
}

namespace {
std::string Sha256Prefix(std::string_view s) {
  unsigned char out[crypto_hash_sha256_BYTES];
  const std::string msg = "csrf:" + std::string(s);
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 15];
  }
  return hex;
}
}  // namespace

}  // namespace hcms::api
