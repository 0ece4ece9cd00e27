#include "api/user_routes.h"

#include "api/auth_routes.h"
#include "audit/audit_log.h"
#include "core/clock.h"

namespace hcms::api {

namespace {

using accounts::Role;
using http::Method;
using http::Response;

// Lower number = more power.
int Rank(Role r) { return static_cast<int>(r); }

// Reads an optional "registration" object; sets `clear` when it is null.
std::optional<accounts::Registration> ReadRegistration(const nlohmann::json& body, Validator& v,
                                                       bool& clear) {
  const auto it = body.find("registration");
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) {
    clear = true;
    return std::nullopt;
  }
  if (!it->is_object()) {
    v.Fail("registration", "invalid_type", "objeto");
    return std::nullopt;
  }
  Validator rv(*it);
  auto kind = rv.String("kind", Need::kRequired, 8);
  auto number = rv.String("number", Need::kRequired, 20);
  auto uf = rv.String("uf", Need::kRequired, 2);
  auto rqe = rv.String("rqe", Need::kOptional, 12);
  if (!rv.ok()) {
    v.Fail("registration", "invalid_value");
    return std::nullopt;
  }
  auto reg = accounts::ValidateRegistration(
      *kind, *number, *uf, rqe ? std::optional<std::string_view>(*rqe) : std::nullopt);
  if (!reg) {
    for (const auto& f : reg.error().fields()) v.Fail(f.field, f.code, f.message);
    return std::nullopt;
  }
  return *reg;
}

struct Deps {
  accounts::UserRepository& users;
  accounts::SessionRepository& sessions;
  accounts::PasswordParams password;
};

}  // namespace

void AddUserRoutes(Api& api, accounts::UserRepository& users, accounts::SessionRepository& sessions,
                   accounts::PasswordParams password_params) {
  auto d = std::make_shared<Deps>(Deps{users, sessions, password_params});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/users",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             int64_t after = 0;
             int limit = 50;
             if (auto a = ctx.request.QueryParam("after")) {
               if (a->empty() || a->size() > 18 ||
                   a->find_first_not_of("0123456789") != std::string::npos)
                 return InvalidArgument("invalid_query", "after: número inteiro");
               after = std::stoll(*a);
             }
             if (auto l = ctx.request.QueryParam("limit")) {
               if (l->empty() || l->size() > 3 ||
                   l->find_first_not_of("0123456789") != std::string::npos)
                 return InvalidArgument("invalid_query", "limit: 1 a 200");
               limit = std::clamp(std::stoi(*l), 1, 200);
             }
             HCMS_TRY(auto list, d->users.List(ctx.tenant.id, after, limit));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& u : list) out.push_back(UserJson(u));
             nlohmann::json body = {{"users", out}};
             if (static_cast<int>(list.size()) == limit) body["next_after"] = list.back().id;
             return Response::Json(200, body);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/users",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto email = v.String("email", Need::kRequired, 254);
             auto name = v.String("name", Need::kRequired, 200);
             auto role_name = v.String("role", Need::kRequired, 32);
             auto password = v.String("password", Need::kOptional, 1024);
             auto specialty = v.String("specialty", Need::kOptional, 120);
             bool clear = false;
             auto reg = ReadRegistration(body, v, clear);
             std::optional<Role> role;
             if (role_name) {
               role = accounts::ParseRole(*role_name);
               if (!role) v.Fail("role", "invalid_value");
             }
             if (password) {
               if (auto s = accounts::CheckPasswordPolicy(*password); !s) {
                 for (const auto& f : s.error().fields()) v.Fail(f.field, f.code, f.message);
               }
             }
             HCMS_CHECK(v.Finish());
             if (Rank(*role) < Rank(ctx.principal->role)) {
               return std::unexpected(Error(ErrorKind::kPermissionDenied, "role_too_high",
                                            "Você não pode conceder um papel acima do seu."));
             }
             const bool generated = !password;
             const std::string pw = password.value_or(accounts::GeneratePassword(20));
             HCMS_TRY(std::string hash, accounts::HashPassword(pw, d->password));
             HCMS_TRY(accounts::User u, d->users.Create(ctx.tenant.id, {.email = *email,
                                                                        .display_name = *name,
                                                                        .role = *role,
                                                                        .password_hash = hash,
                                                                        .specialty = specialty,
                                                                        .registration = reg}));
             ctx.Audit("user.create", "user:" + std::to_string(u.id), "done",
                       {{"role", accounts::RoleName(u.role)}});
             nlohmann::json out = UserJson(u);
             if (generated) out["password"] = pw;  // shown once
             Response r = Response::Json(201, out);
             r.Set("Location", "/api/v1/users/" + std::to_string(u.id));
             return r;
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/users/{id}",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(accounts::User u, d->users.FindById(ctx.tenant.id, id));
             if (u.deleted_at) return NotFound("user_not_found");
             return Response::Json(200, UserJson(u));
           }});

  api.Add({.method = Method::kPatch,
           .pattern = "/api/v1/users/{id}",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             accounts::UserUpdate up;
             up.display_name = v.String("name", Need::kOptional, 200);
             auto role_name = v.String("role", Need::kOptional, 32);
             up.status = v.String("status", Need::kOptional, 16);
             up.specialty = v.String("specialty", Need::kOptional, 120);
             up.registration = ReadRegistration(body, v, up.clear_registration);
             if (role_name) {
               up.role = accounts::ParseRole(*role_name);
               if (!up.role) v.Fail("role", "invalid_value");
             }
             HCMS_CHECK(v.Finish());
             HCMS_TRY(accounts::User current, d->users.FindById(ctx.tenant.id, id));
             if (current.deleted_at) return NotFound("user_not_found");
             if (Rank(current.role) < Rank(ctx.principal->role) ||
                 (up.role && Rank(*up.role) < Rank(ctx.principal->role))) {
               return std::unexpected(Error(ErrorKind::kPermissionDenied, "role_too_high",
                                            "Você não pode alterar um papel acima do seu."));
             }
             if (id == ctx.principal->user_id && (up.role || up.status)) {
               return std::unexpected(Error(ErrorKind::kFailedPrecondition, "cannot_change_self",
                                            "Você não pode mudar o próprio papel ou situação."));
             }
             HCMS_TRY(accounts::User u, d->users.Update(ctx.tenant.id, id, up));
             if ((up.role && *up.role != current.role) || (up.status && *up.status != "active")) {
               HCMS_CHECK(d->sessions.RevokeAllForUser(ctx.tenant.id, id, "account_changed"));
             }
             nlohmann::json details = nlohmann::json::object();
             if (up.role) details["role"] = accounts::RoleName(*up.role);
             if (up.status) details["status"] = *up.status;
             ctx.Audit("user.update", "user:" + std::to_string(id), "done", details);
             return Response::Json(200, UserJson(u));
           }});

  api.Add({.method = Method::kDelete,
           .pattern = "/api/v1/users/{id}",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             if (id == ctx.principal->user_id) {
               return std::unexpected(Error(ErrorKind::kFailedPrecondition, "cannot_change_self",
                                            "Você não pode remover a própria conta."));
             }
             HCMS_TRY(accounts::User current, d->users.FindById(ctx.tenant.id, id));
             if (current.deleted_at) return NotFound("user_not_found");
             if (Rank(current.role) < Rank(ctx.principal->role)) {
               return std::unexpected(Error(ErrorKind::kPermissionDenied, "role_too_high",
                                            "Você não pode remover um papel acima do seu."));
             }
             HCMS_CHECK(d->users.SoftDelete(ctx.tenant.id, id));
             HCMS_CHECK(d->sessions.RevokeAllForUser(ctx.tenant.id, id, "user_deleted"));
             ctx.Audit("user.delete", "user:" + std::to_string(id));
             return Response::NoContent();
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/users/{id}/registration/verify",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageUsers,
           .allow_app_passwords = false,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto status = v.String("status", Need::kRequired, 16);
             HCMS_CHECK(v.Finish());
             HCMS_TRY(accounts::User u, d->users.SetRegistrationStatus(ctx.tenant.id, id, *status));
             ctx.Audit("user.registration_verify", "user:" + std::to_string(id), "done",
                       {{"status", *status}});
             return Response::Json(200, UserJson(u));
           }});

  api.Add({.method = Method::kPatch,
           .pattern = "/api/v1/users/me",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kAuthenticated,
           .handler = [d](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             for (const char* forbidden : {"role", "status", "email"}) {
               if (body.contains(forbidden)) v.Fail(forbidden, "read_only");
             }
             accounts::UserUpdate up;
             up.display_name = v.String("name", Need::kOptional, 200);
             up.specialty = v.String("specialty", Need::kOptional, 120);
             up.registration = ReadRegistration(body, v, up.clear_registration);
             HCMS_CHECK(v.Finish());
             HCMS_TRY(accounts::User u, d->users.Update(ctx.tenant.id, ctx.principal->user_id, up));
             ctx.Audit("user.update_self", "user:" + std::to_string(u.id));
             return Response::Json(200, UserJson(u));
           }});
}

void AddAuditRoutes(Api& api) {
  audit::AuditLog* log = &api.services().audit;
  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/audit",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kReadAudit,
           .handler = [log](RequestContext& ctx) -> Result<Response> {
             audit::ListFilter f;
             f.tenant_id = ctx.tenant.id;
             Error bad(ErrorKind::kInvalidArgument, "invalid_query", "Filtro inválido.");
             auto int_param = [&](const char* name, int64_t max) -> std::optional<int64_t> {
               auto v = ctx.request.QueryParam(name);
               if (!v) return std::nullopt;
               if (v->empty() || v->size() > 18 ||
                   v->find_first_not_of("0123456789") != std::string::npos ||
                   std::stoll(*v) > max || std::stoll(*v) < 1) {
                 bad.WithField(name, "invalid_value");
                 return std::nullopt;
               }
               return std::stoll(*v);
             };
             auto time_param = [&](const char* name) -> std::optional<std::string> {
               auto v = ctx.request.QueryParam(name);
               if (!v) return std::nullopt;
               auto t = ParseTimestamp(*v);
               if (!t) {
                 bad.WithField(name, "invalid_timestamp");
                 return std::nullopt;
               }
               return FormatTimestamp(*t);
             };
             if (auto a = ctx.request.QueryParam("action")) {
               if (a->empty() || a->size() > 64) bad.WithField("action", "invalid_value");
               f.action = *a;
             }
             if (auto dd = ctx.request.QueryParam("decision")) {
               if (dd->empty() || dd->size() > 16) bad.WithField("decision", "invalid_value");
               f.decision = *dd;
             }
             f.actor_user_id = int_param("actor", int64_t{1} << 60);
             f.before_seq = int_param("before", int64_t{1} << 60);
             f.limit = static_cast<int>(int_param("limit", 500).value_or(50));
             f.since = time_param("since");
             f.until = time_param("until");
             if (!bad.fields().empty()) return std::unexpected(std::move(bad));
             HCMS_TRY(auto entries, log->List(f));
             nlohmann::json out = nlohmann::json::array();
             for (const auto& e : entries) {
               out.push_back(
                   {{"seq", e.seq},
                    {"id", e.id},
                    {"at", e.at},
                    {"actor_user_id",
                     e.entry.actor_user_id ? nlohmann::json(*e.entry.actor_user_id) : nullptr},
                    {"action", e.entry.action},
                    {"resource", e.entry.resource},
                    {"decision", e.entry.decision},
                    {"trust_score",
                     e.entry.trust_score ? nlohmann::json(*e.entry.trust_score) : nullptr},
                    {"ip", e.entry.ip_anon},
                    {"request_id", e.entry.request_id},
                    {"details", e.entry.details},
                    {"hash", e.hash}});
             }
             nlohmann::json body = {{"entries", out}};
             if (static_cast<int>(entries.size()) == f.limit && !entries.empty())
               body["next_before"] = entries.back().seq;
             return Response::Json(200, body);
           }});
}

}  // namespace hcms::api
