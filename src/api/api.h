// File: api/api.h — the one way to declare a native API route.
//
// Every route names its method, path pattern, resource class (Zero Trust
// sensitivity) and the permission it needs; the handler receives a typed context
// only after the pipeline below has run, and returns a Response or an Error:
//
//   tenant      Host header -> practice (404 tenant_not_found)
//   origin      only for `Upgrade: websocket` (browsers send cookies with a
//               cross-site WebSocket and cannot send Authorization): an Origin
//               header must be the site's public URL, the practice's own host or
//               the Host the request was sent to; otherwise 403
//               websocket_origin_denied, before authenticating or upgrading
//   authenticate  Authorization: Bearer <JWT>; or the browser session cookie
//                 (`hcms_access`, plus the `X-CSRF-Token` header on POST/PUT/PATCH/
//                 DELETE); or HTTP Basic with an application password (WordPress
//                 clients). Bad credentials: 401 token_* / invalid_credentials.
//   PEP         the policy engine decides allow / deny / challenge from the role's
//               permission and the trust score; deny -> 403 (role_not_permitted,
//               insufficient_trust, ip_denied), challenge -> 401 mfa_required;
//               the body carries reason, required_score and trust_score. Decisions
//               are audited (except cached allows of public resources).
//   handler     Result<Response>; an Error becomes application/problem+json.
//
// Permission::kPublic routes need no principal: anonymous callers get through with
// ctx.principal == nullptr, and a valid token still fills it (invalid credentials
// on a public route are ignored, so a stale cookie never breaks the public site).
//
//   void AddPostRoutes(api::Api& api, PostService& posts) {
//     api.Add({.method = http::Method::kPost,
//              .pattern = "/api/v1/posts/{id}/publish",
//              .resource_class = ResourceClass::kInternal,
//              .permission = api::Permission::kPublishContent,   // also needs trust >= 85
//              .handler = [&posts](api::RequestContext& ctx) -> Result<http::Response> {
//                HCMS_TRY(int64_t id, api::PathId(ctx.request, "id"));
//                HCMS_TRY(nlohmann::json body, api::ParseJsonBody(ctx.request));
//                api::Validator v(body);
//                auto when = v.String("publish_at", api::Need::kOptional, 40);
//                HCMS_CHECK(v.Finish());                       // 422 validation_failed
//                HCMS_TRY(Post p, posts.Publish(ctx.tenant.id, id, ctx.principal->user_id));
//                ctx.Audit("post.publish", "post:" + std::to_string(id));
//                return http::Response::Json(200, ToJson(p));
//              }});
//   }
//
// Thread safety: Add() before the server starts; the route table is then read-only.

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/auth_service.h"
#include "core/error.h"
#include "core/resource_class.h"
#include "http/router.h"
#include "policy/engine.h"
#include "policy/permissions.h"
#include "tenants/tenants.h"

namespace hcms::audit {
class AuditLog;
}
namespace hcms::tenants {
class TenantResolver;
}

namespace hcms::api {

class PublicCache;
using policy::Permission;

enum class AuthMethod : uint8_t { kBearer, kCookie, kBasic };
std::string_view AuthMethodName(AuthMethod m);

// Who is calling, once authenticated and authorised.
struct Principal {
  int64_t user_id = 0;
  int64_t tenant_id = 0;
  accounts::Role role = accounts::Role::kReader;
  std::vector<std::string> amr;  // "pwd", "otp", "app", "rec"
  int trust_score = 0;           // this request's decision score
  std::string session_id;        // empty for application passwords
  AuthMethod method = AuthMethod::kBearer;
  accounts::AccessClaims claims;  // everything the token said
};

class RequestContext {
 public:
  http::Request& request;
  const tenants::Tenant& tenant;  // the practice this request is for
  const Principal* principal;     // nullptr only on Permission::kPublic routes
  const policy::Decision& decision;

  // Writes an audit entry now (admin actions, security events): who, tenant,
  // request id and anonymised IP are filled in. No personal data in `details`.
  void Audit(std::string action, std::string resource, std::string outcome = "done",
             nlohmann::json details = nlohmann::json::object()) const;

  // Internal: built by the pipeline.
  RequestContext(http::Request& r, const tenants::Tenant& t, const Principal* p,
                 const policy::Decision& d, audit::AuditLog* audit)
      : request(r), tenant(t), principal(p), decision(d), audit_(audit) {}

 private:
  audit::AuditLog* audit_;
};

using Handler = std::function<Result<http::Response>(RequestContext&)>;

struct Route {
  http::Method method = http::Method::kGet;
  std::string pattern;
  ResourceClass resource_class = ResourceClass::kUnset;
  Permission permission = Permission::kAuthenticated;
  bool allow_app_passwords = true;  // accept HTTP Basic + application password
  Handler handler;
  // Keep kWorker: tenant resolution and session checks may read the database on a
  // cache miss, which must never happen on an I/O thread.
  http::Execution execution = http::Execution::kWorker;
  size_t max_body_bytes = 0;  // 0: the server's limit
  // Anonymous GET/HEAD answers are the same for every anonymous reader of the
  // practice: keep them in the PublicCache (api/public_cache.h) and answer
  // conditional requests. Only for Permission::kPublic routes whose answer
  // depends on nothing but the practice, the URL, the Accept header and content
  // the generation triggers cover.
  bool public_cache = false;
};

// What the authorization matrix (and `hcms routes`) sees of a route.
struct RouteInfo {
  http::Method method;
  std::string pattern;
  ResourceClass resource_class;
  Permission permission;
  bool allow_app_passwords;
};

struct ApiServices {
  tenants::TenantResolver& resolver;
  accounts::AuthService& auth;
  policy::PolicyEngine& policy;
  audit::AuditLog& audit;
  const Clock& clock;
  std::function<std::string()> public_url;  // server.public_url; empty function: none
  PublicCache* public_cache = nullptr;      // null: no anonymous response cache
};

// "https://Site.example:443/x" -> "https://site.example": scheme and host in lower
// case, the default port dropped, the path ignored; "" when `url` has no scheme.
std::string OriginOf(std::string_view url);

class Api {
 public:
  Api(http::Router& router, ApiServices services);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  void Add(Route route);
  const std::vector<RouteInfo>& routes() const { return infos_; }
  const ApiServices& services() const;

 private:
  struct State;
  http::Router& router_;
  std::shared_ptr<State> state_;
  std::vector<RouteInfo> infos_;
};

// --- Helpers for handlers -----------------------------------------------------

// The body as a JSON object. 415 unsupported_media_type unless Content-Type is
// application/json (or +json); 400 invalid_json when it does not parse or is not
// an object.
Result<nlohmann::json> ParseJsonBody(const http::Request& req);

// A positive integer path parameter; 404 not_found otherwise (ids are not
// guessable input errors).
Result<int64_t> PathId(const http::Request& req, std::string_view name);

enum class Need { kRequired, kOptional };

// Collects field errors while reading a JSON object; Finish() fails with 422
// validation_failed listing every bad field.
class Validator {
 public:
  explicit Validator(const nlohmann::json& body) : body_(body) {}
  std::optional<std::string> String(std::string_view field, Need need, size_t max_bytes = 1000);
  std::optional<int64_t> Int(std::string_view field, Need need, int64_t min, int64_t max);
  std::optional<bool> Bool(std::string_view field, Need need);
  void Fail(std::string field, std::string code, std::string message = {});
  bool ok() const { return errors_.empty(); }
  Status Finish() const;

 private:
  const nlohmann::json& body_;
  std::vector<FieldError> errors_;
};

// The problem+json answer for an error (the status comes from its kind and code).
http::Response ErrorResponse(const http::Request& req, const Error& error);

// Cookie value from the Cookie header, or "".
std::string_view CookieValue(const http::Request& req, std::string_view name);

}  // namespace hcms::api
