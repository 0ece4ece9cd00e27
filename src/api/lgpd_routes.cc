#include "api/lgpd_routes.h"

#include <map>

#include "core/random.h"
#include "lgpd/analysis_json.h"
#include "lgpd/anonymizer.h"
#include "lgpd/detector.h"

namespace hcms::api {

namespace {

constexpr size_t kMaxContentBytes = 4 << 20;  // 4 MiB of text per call

// {"content": ..., "types": [...], "min_confidence": 0.5} -> text + detector options.
struct ContentRequest {
  std::string content;
  lgpd::AnalyzeOptions options;
};

Result<ContentRequest> ParseContent(const nlohmann::json& body, Validator& v) {
  ContentRequest out;
  if (auto c = v.String("content", Need::kRequired, kMaxContentBytes)) out.content = *c;
  if (body.contains("types")) {
    if (!body["types"].is_array()) {
      v.Fail("types", "invalid_type", "lista de tipos / list of types");
    } else {
      for (const auto& t : body["types"]) {
        auto type = t.is_string() ? lgpd::ParsePiiType(t.get<std::string>()) : std::nullopt;
        if (!type) {
          v.Fail("types", "unknown_type");
          break;
        }
        out.options.types.push_back(*type);
      }
    }
  }
  if (body.contains("min_confidence")) {
    const auto& m = body["min_confidence"];
    if (!m.is_number() || m.get<double>() < 0 || m.get<double>() > 1) {
      v.Fail("min_confidence", "out_of_range", "0 a 1");
    } else {
      out.options.min_confidence = m.get<double>();
    }
  }
  return out;
}

Result<lgpd::OperatorConfig> ParseOperatorConfig(const nlohmann::json& j, const std::string& field,
                                                 Validator& v) {
  lgpd::OperatorConfig cfg;
  const nlohmann::json* name = nullptr;
  if (j.is_string()) {
    name = &j;
  } else if (j.is_object() && j.contains("operator") && j["operator"].is_string()) {
    name = &j["operator"];
    if (j.contains("keep_last")) {
      if (!j["keep_last"].is_number_integer() || j["keep_last"].get<int64_t>() < 0 ||
          j["keep_last"].get<int64_t>() > 64) {
        v.Fail(field + ".keep_last", "out_of_range", "0 a 64");
      } else {
        cfg.keep_last = static_cast<int>(j["keep_last"].get<int64_t>());
      }
    }
    if (j.contains("replacement")) {
      if (!j["replacement"].is_string() || j["replacement"].get<std::string>().size() > 200) {
        v.Fail(field + ".replacement", "invalid_type");
      } else {
        cfg.replacement = j["replacement"].get<std::string>();
      }
    }
  }
  auto op = name ? lgpd::ParseOperator(name->get<std::string>()) : std::nullopt;
  if (!op) {
    // "hash" is not offered: an unkeyed hash of a CPF is reversed by enumeration.
    v.Fail(field, "unknown_operator",
           "redact, mask, replace, pseudonymize, encrypt ou keep / or keep");
    return cfg;
  }
  cfg.op = *op;
  return cfg;
}

std::string_view PathParam(const http::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.path_params) {
    if (k == name) return v;
  }
  return {};
}

Result<std::string> UuidParam(const http::Request& req, std::string_view name) {
  const std::string_view v = PathParam(req, name);
  if (!IsUuid(v)) return NotFound("not_found");
  return std::string(v);
}

int64_t Actor(const RequestContext& ctx) { return ctx.principal ? ctx.principal->user_id : 0; }

Result<nlohmann::json> OptionalBody(const http::Request& req) {
  if (req.body.empty()) return nlohmann::json::object();
  return ParseJsonBody(req);
}

nlohmann::json SubjectJson(const privacy::DataSubject& s) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  return {{"id", s.id},
          {"kind", privacy::SubjectKindName(s.kind)},
          {"full_name", opt(s.full_name)},
          {"email", opt(s.email)},
          {"phone", opt(s.phone)},
          {"cpf", opt(s.cpf)},
          {"birth_date", opt(s.birth_date)},
          {"status", s.status},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

nlohmann::json ConsentJson(const privacy::Consent& c) {
  return {{"id", c.id},
          {"subject_id", c.subject_id},
          {"purpose", c.purpose},
          {"legal_basis", lgpd::LegalBasisName(c.legal_basis)},
          {"text_version", c.text_version},
          {"channel", c.channel},
          {"granted_at", c.granted_at},
          {"revoked_at", c.revoked_at ? nlohmann::json(*c.revoked_at) : nlohmann::json()},
          {"active", c.active()}};
}

void AddDetectorRoutes(Api& api, const LgpdRoutesDeps& deps) {
  api.Add({.method = http::Method::kPost,
           .pattern = "/api/v1/lgpd/analyze",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kCreateContent,
           .handler = [](RequestContext& ctx) -> Result<http::Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             HCMS_TRY(ContentRequest in, ParseContent(body, v));
             HCMS_CHECK(v.Finish());
             HCMS_TRY(lgpd::Analysis a, lgpd::Analyze(in.content, in.options));
             return http::Response::Json(200, lgpd::AnalysisToJson(a, ctx.request.Language()));
           }});

  const lgpd::MasterKey master = deps.master_key;
  api.Add({.method = http::Method::kPost,
           .pattern = "/api/v1/lgpd/anonymize",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kCreateContent,
           .handler = [master](RequestContext& ctx) -> Result<http::Response> {
             HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
             Validator v(body);
             HCMS_TRY(ContentRequest in, ParseContent(body, v));
             lgpd::AnonymizeOptions opts;
             if (body.contains("operators")) {
               if (!body["operators"].is_object()) {
                 v.Fail("operators", "invalid_type");
               } else {
                 for (auto it = body["operators"].begin(); it != body["operators"].end(); ++it) {
                   auto type = lgpd::ParsePiiType(it.key());
                   if (!type) {
                     v.Fail("operators." + it.key(), "unknown_type");
                     continue;
                   }
                   HCMS_TRY(auto cfg, ParseOperatorConfig(*it, "operators." + it.key(), v));
                   opts.operators[*type] = cfg;
                 }
               }
             }
             if (body.contains("default_operator")) {
               HCMS_TRY(auto cfg,
                        ParseOperatorConfig(body["default_operator"], "default_operator", v));
               opts.fallback = cfg;
             }
             if (auto keep = v.Bool("keep_professional", Need::kOptional)) {
               opts.keep_professional = *keep;
             }
             HCMS_CHECK(v.Finish());
             HCMS_TRY(lgpd::Analysis a, lgpd::Analyze(in.content, in.options));
             const lgpd::TenantKeys keys = lgpd::DeriveTenantKeys(master, ctx.tenant.id);
             HCMS_TRY(lgpd::Anonymized out, lgpd::Anonymize(in.content, a.detections, opts, &keys));
             nlohmann::json applied = nlohmann::json::array();
             std::map<std::string, int> counts;
             for (const auto& ap : out.applied) {
               applied.push_back({{"type", lgpd::PiiTypeName(ap.type)},
                                  {"operator", lgpd::OperatorName(ap.op)},
                                  {"start", ap.start},
                                  {"end", ap.end}});
               ++counts[std::string(lgpd::OperatorName(ap.op))];
             }
             ctx.Audit("lgpd.anonymize", "tenant:" + std::to_string(ctx.tenant.id), "done",
                       {{"operators", counts}, {"detections", a.detections.size()}});
             return http::Response::Json(
                 200, {{"content", out.text},
                       {"applied", applied},
                       {"analysis", lgpd::AnalysisToJson(a, ctx.request.Language())}});
           }});
}

Route PrivacyRoute(http::Method m, std::string pattern, Handler h) {
  return {.method = m,
          .pattern = std::move(pattern),
          .resource_class = ResourceClass::kPatientData,
          .permission = Permission::kManagePrivacy,
          .allow_app_passwords = false,
          .handler = std::move(h)};
}

void AddPrivacyRoutes(Api& api, privacy::Services& ps) {
  using http::Method;
  // Data subjects.
  api.Add(PrivacyRoute(
      Method::kPost, "/api/v1/privacy/subjects",
      [&ps](RequestContext& ctx) -> Result<http::Response> {
        HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
        Validator v(body);
        privacy::NewDataSubject s;
        auto kind = v.String("kind", Need::kRequired, 40);
        if (kind) {
          if (auto k = privacy::ParseSubjectKind(*kind)) {
            s.kind = *k;
          } else {
            v.Fail("kind", "invalid_value", "patient, reader ou newsletter_contact");
          }
        }
        s.full_name = v.String("full_name", Need::kOptional, 200);
        s.email = v.String("email", Need::kOptional, 254);
        s.phone = v.String("phone", Need::kOptional, 40);
        s.cpf = v.String("cpf", Need::kOptional, 20);
        s.birth_date = v.String("birth_date", Need::kOptional, 10);
        HCMS_CHECK(v.Finish());
        HCMS_TRY(auto created, ps.subjects.Create(ctx.tenant.id, s));
        HCMS_CHECK(ps.events.Record({.tenant_id = ctx.tenant.id,
                                     .event = std::string(privacy::event::kSubjectCreated),
                                     .subject_id = created.id,
                                     .actor_id = Actor(ctx),
                                     .detail = {{"kind", *kind}}}));
        return http::Response::Json(201, SubjectJson(created));
      }));
  api.Add(PrivacyRoute(Method::kGet, "/api/v1/privacy/subjects/{id}",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto s, ps.subjects.Find(ctx.tenant.id, id));
                         return http::Response::Json(200, SubjectJson(s));
                       }));
  // Consents.
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/subjects/{id}/consents",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
                         Validator v(body);
                         privacy::NewConsent c;
                         if (auto p = v.String("purpose", Need::kRequired, 64)) c.purpose = *p;
                         if (auto b = v.String("legal_basis", Need::kRequired, 40)) {
                           if (auto lb = lgpd::ParseLegalBasis(*b)) {
                             c.legal_basis = *lb;
                           } else {
                             v.Fail("legal_basis", "invalid_value");
                           }
                         }
                         if (auto t = v.String("text_version", Need::kRequired, 64))
                           c.text_version = *t;
                         if (auto ch = v.String("channel", Need::kOptional, 20)) c.channel = *ch;
                         HCMS_CHECK(v.Finish());
                         HCMS_TRY(auto granted,
                                  ps.consents.Grant(ctx.tenant.id, id, c, Actor(ctx)));
                         return http::Response::Json(201, ConsentJson(granted));
                       }));
  api.Add(PrivacyRoute(Method::kGet, "/api/v1/privacy/subjects/{id}/consents",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto s, ps.subjects.Find(ctx.tenant.id, id));
                         HCMS_TRY(auto history, ps.consents.History(ctx.tenant.id, s.id));
                         nlohmann::json items = nlohmann::json::array();
                         for (const auto& c : history) items.push_back(ConsentJson(c));
                         return http::Response::Json(200, {{"items", items}});
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/consents/{id}/revoke",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(nlohmann::json body, OptionalBody(ctx.request));
                         Validator v(body);
                         auto channel = v.String("channel", Need::kOptional, 20);
                         HCMS_CHECK(v.Finish());
                         HCMS_TRY(auto c, ps.consents.Revoke(ctx.tenant.id, id,
                                                             channel.value_or("web"), Actor(ctx)));
                         return http::Response::Json(200, ConsentJson(c));
                       }));
  // Data-subject requests.
  api.Add(PrivacyRoute(
      Method::kPost, "/api/v1/privacy/requests",
      [&ps](RequestContext& ctx) -> Result<http::Response> {
        HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
        Validator v(body);
        auto subject = v.String("subject_id", Need::kRequired, 36);
        std::optional<privacy::DsrKind> kind;
        if (auto k = v.String("kind", Need::kRequired, 20)) {
          kind = privacy::ParseDsrKind(*k);
          if (!kind)
            v.Fail("kind", "invalid_value", "access, portability, rectification, deletion");
        }
        auto channel = v.String("channel", Need::kOptional, 20);
        privacy::SubjectChanges changes;
        if (body.contains("changes")) {
          if (!body["changes"].is_object()) {
            v.Fail("changes", "invalid_type");
          } else {
            for (auto it = body["changes"].begin(); it != body["changes"].end(); ++it) {
              if (!it->is_string()) {
                v.Fail("changes." + it.key(), "invalid_type");
              } else {
                changes.emplace_back(it.key(), it->get<std::string>());
              }
            }
          }
        }
        if (subject && !IsUuid(*subject)) v.Fail("subject_id", "invalid_format");
        HCMS_CHECK(v.Finish());
        HCMS_TRY(auto r, ps.requests.Open(ctx.tenant.id, *subject, *kind, channel.value_or("web"),
                                          changes, Actor(ctx)));
        return http::Response::Json(201, privacy::DsrRequestToJson(r));
      }));
  api.Add(
      PrivacyRoute(Method::kGet, "/api/v1/privacy/requests",
                   [&ps](RequestContext& ctx) -> Result<http::Response> {
                     const auto which = ctx.request.QueryParam("status").value_or("open");
                     if (which != "open" && which != "overdue") {
                       return std::unexpected(Error(ErrorKind::kInvalidArgument,
                                                    "validation_failed", "status: open ou overdue.")
                                                  .WithField("status", "invalid_value"));
                     }
                     HCMS_TRY(auto list, which == "overdue" ? ps.requests.ListOverdue(ctx.tenant.id)
                                                            : ps.requests.ListOpen(ctx.tenant.id));
                     nlohmann::json items = nlohmann::json::array();
                     for (const auto& r : list) items.push_back(privacy::DsrRequestToJson(r));
                     return http::Response::Json(200, {{"items", items}});
                   }));
  api.Add(PrivacyRoute(Method::kGet, "/api/v1/privacy/requests/{id}",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto r, ps.requests.Get(ctx.tenant.id, id));
                         HCMS_TRY(auto events, ps.events.ForRequest(ctx.tenant.id, id));
                         nlohmann::json history = nlohmann::json::array();
                         for (const auto& e : events) {
                           history.push_back({{"event", e.event},
                                              {"actor_id", e.actor_id ? nlohmann::json(*e.actor_id)
                                                                      : nlohmann::json()},
                                              {"detail", e.detail},
                                              {"at", e.at}});
                         }
                         nlohmann::json out = privacy::DsrRequestToJson(r);
                         out["history"] = history;
                         return http::Response::Json(200, out);
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/requests/{id}/review",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto r, ps.requests.StartReview(ctx.tenant.id, id, Actor(ctx)));
                         return http::Response::Json(200, privacy::DsrRequestToJson(r));
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/requests/{id}/export",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(nlohmann::json body, OptionalBody(ctx.request));
                         Validator v(body);
                         auto format = v.String("format", Need::kOptional, 10).value_or("json");
                         if (format != "json" && format != "fhir")
                           v.Fail("format", "invalid_value", "json ou fhir");
                         HCMS_CHECK(v.Finish());
                         HCMS_TRY(auto out, ps.requests.Export(ctx.tenant.id, id,
                                                               format == "fhir"
                                                                   ? privacy::ExportFormat::kFhir
                                                                   : privacy::ExportFormat::kJson,
                                                               Actor(ctx)));
                         http::Response resp = http::Response::Json(200, out);
                         if (format == "fhir")
                           resp.Set("Content-Type", "application/fhir+json; charset=utf-8");
                         resp.Set("Cache-Control", "no-store");
                         return resp;
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/requests/{id}/approve",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto r,
                                  ps.requests.ApproveRectification(ctx.tenant.id, id, Actor(ctx)));
                         return http::Response::Json(200, privacy::DsrRequestToJson(r));
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/requests/{id}/reject",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(nlohmann::json body, ParseJsonBody(ctx.request));
                         Validator v(body);
                         auto reason = v.String("reason_code", Need::kRequired, 40);
                         HCMS_CHECK(v.Finish());
                         HCMS_TRY(auto r,
                                  ps.requests.Reject(ctx.tenant.id, id, Actor(ctx), *reason));
                         return http::Response::Json(200, privacy::DsrRequestToJson(r));
                       }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/requests/{id}/execute",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(std::string id, UuidParam(ctx.request, "id"));
                         HCMS_TRY(auto r,
                                  ps.requests.ExecuteDeletion(ctx.tenant.id, id, Actor(ctx)));
                         return http::Response::Json(200, privacy::DsrRequestToJson(r));
                       }));
  // Record of processing activities and retention.
  api.Add(PrivacyRoute(
      Method::kGet, "/api/v1/privacy/ropa", [&ps](RequestContext& ctx) -> Result<http::Response> {
        const auto format = ctx.request.QueryParam("format").value_or("json");
        if (format != "json" && format != "csv") {
          return std::unexpected(
              Error(ErrorKind::kInvalidArgument, "validation_failed", "format: json ou csv.")
                  .WithField("format", "invalid_value"));
        }
        HCMS_TRY(int added, ps.ropa.SeedDefaults(ctx.tenant.id));
        (void)added;
        HCMS_TRY(auto list, ps.ropa.List(ctx.tenant.id));
        if (format == "csv") {
          http::Response r = http::Response::Text(200, privacy::RopaCsv(list),
                                                  "text/csv; charset=utf-8; header=present");
          r.Set("Content-Disposition", "attachment; filename=\"ropa.csv\"");
          return r;
        }
        return http::Response::Json(
            200, privacy::RopaJson(list, ctx.tenant.name,
                                   FormatTimestamp(SystemClock::Instance().Now())));
      }));
  api.Add(PrivacyRoute(Method::kPost, "/api/v1/privacy/retention/run",
                       [&ps](RequestContext& ctx) -> Result<http::Response> {
                         HCMS_TRY(nlohmann::json body, OptionalBody(ctx.request));
                         Validator v(body);
                         const bool dry = v.Bool("dry_run", Need::kOptional).value_or(true);
                         HCMS_CHECK(v.Finish());
                         HCMS_TRY(auto report, ps.retention_job.Run(ctx.tenant.id, dry));
                         return http::Response::Json(200, privacy::RetentionReportToJson(report));
                       }));
}

}  // namespace

void AddLgpdRoutes(Api& api, const LgpdRoutesDeps& deps) {
  AddDetectorRoutes(api, deps);
  AddPrivacyRoutes(api, deps.privacy);
}

}  // namespace hcms::api
