#include "api/pipeline_routes.h"

#include <algorithm>
#include <charconv>
#include <iterator>

#include <fmt/format.h>

#include "api/publication.h"
#include "content/personal_data.h"
#include "http/event_stream.h"
#include "lgpd/detector.h"
#include "lgpd/legal_basis.h"

namespace hcms::api {

namespace {

using http::Method;
using http::Response;
using nlohmann::json;

constexpr size_t kMaxUploadBody = 12u << 20;  // base64 of an 8 MiB module, plus the manifest

// {id} is an uploaded plugin's number or a plugin name (built-ins have no number).
Result<plugins::PluginRecord> FindPlugin(plugins::PluginRegistry& registry, int64_t tenant,
                                         std::string_view id) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec == std::errc() && p == id.data() + id.size() && n > 0) return registry.Get(tenant, n);
  HCMS_TRY(auto all, registry.List(tenant));
  const plugins::PluginRecord* found = nullptr;
  for (const auto& r : all) {
    if (r.manifest.name == id && (found == nullptr || (!found->builtin && r.id > found->id))) {
      if (found == nullptr || !r.builtin) found = &r;
    }
  }
  if (found == nullptr) return NotFound("plugin_not_found", "Plugin não encontrado.");
  return *found;
}

}  // namespace

Result<std::string> DecodeBase64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (c == '\n' || c == '\r' || c == ' ') continue;
    const int v = value(c);
    if (v < 0 || padding > 0) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "invalid_base64", "O conteúdo não está em base64."));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (padding > 2 || bits >= 6) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "invalid_base64", "O conteúdo não está em base64."));
  }
  return out;
}

void AddPipelineRoutes(Api& api, PipelineServices services) {
  // Held by the handlers (which outlive this call).
  auto held = std::make_shared<PipelineServices>(std::move(services));
  auto& registry = held->registry;
  auto& host = held->host;
  auto& orchestrator = held->orchestrator;

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/plugins",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .allow_app_passwords = false,
           .handler = [&registry](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto wasm64 = v.String("wasm_base64", Need::kRequired, kMaxUploadBody);
             if (!body.contains("manifest") || !body["manifest"].is_object()) {
               v.Fail("manifest", "required", "Envie o manifesto do plugin.");
             }
             HCMS_CHECK(v.Finish());
             HCMS_TRY(std::string wasm, DecodeBase64(*wasm64));
             HCMS_TRY(auto rec, registry.Upload(ctx.tenant.id, wasm, body["manifest"],
                                                ctx.principal->user_id));
             ctx.Audit("plugin.upload", "plugin:" + std::to_string(rec.id), "done",
                       {{"name", rec.manifest.name},
                        {"version", rec.manifest.version},
                        {"sha256", rec.sha256}});
             return Response::Json(201, plugins::PluginRecordToJson(rec));
           },
           .max_body_bytes = kMaxUploadBody});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/plugins",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .handler = [&registry](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto all, registry.List(ctx.tenant.id));
             json items = json::array();
             for (const auto& r : all) items.push_back(plugins::PluginRecordToJson(r));
             return Response::Json(200, {{"items", std::move(items)}});
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/plugins/status",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .handler = [&registry, &host](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto all, registry.List(ctx.tenant.id));
             const auto stats = host.Stats();
             json items = json::array();
             for (const auto& r : all) {
               json j = {{"id", r.id},
                         {"name", r.manifest.name},
                         {"version", r.manifest.version},
                         {"sha256", r.sha256},
                         {"enabled", r.enabled},
                         {"builtin", r.builtin},
                         {"calls", 0},
                         {"errors", 0},
                         {"timeouts", 0},
                         {"mean_ms", 0.0},
                         {"max_ms", 0.0}};
               // Counters are per module (shared by practices running the same bytes).
               if (auto it = stats.find(r.sha256); it != stats.end()) {
                 const auto& st = it->second;
                 j["calls"] = st.calls;
                 j["errors"] = st.errors;
                 j["timeouts"] = st.timeouts;
                 j["mean_ms"] =
                     st.calls ? static_cast<double>(st.total_us) / st.calls / 1000.0 : 0.0;
                 j["max_ms"] = static_cast<double>(st.max_us) / 1000.0;
               }
               items.push_back(std::move(j));
             }
             return Response::Json(200, {{"workers", host.worker_count()},
                                         {"workers_restarted", host.workers_restarted()},
                                         {"items", std::move(items)}});
           }});

  api.Add({.method = Method::kPatch,
           .pattern = "/api/v1/plugins/{id}",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .allow_app_passwords = false,
           .handler = [&registry](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto enabled = v.Bool("enabled", Need::kRequired);
             HCMS_CHECK(v.Finish());
             HCMS_CHECK(registry.SetEnabled(ctx.tenant.id, id, *enabled));
             ctx.Audit(*enabled ? "plugin.enable" : "plugin.disable",
                       "plugin:" + std::to_string(id));
             HCMS_TRY(auto rec, registry.Get(ctx.tenant.id, id));
             return Response::Json(200, plugins::PluginRecordToJson(rec));
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/plugins/{id}/execute",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .handler = [&registry, &host](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto function = v.String("function", Need::kRequired, 128);
             HCMS_CHECK(v.Finish());
             std::string input;
             if (auto it = body.find("input"); it != body.end()) {
               input = it->is_string() ? it->get<std::string>() : it->dump();
             }
             HCMS_TRY(auto rec, FindPlugin(registry, ctx.tenant.id, ctx.request.PathParam("id")));
             if (!rec.enabled) {
               return std::unexpected(Error(ErrorKind::kFailedPrecondition, "plugin_disabled",
                                            "O plugin está desativado."));
             }
             HCMS_TRY(auto loaded, registry.Load(rec));
             HCMS_TRY(auto out, host.Call(loaded, *function, input));
             json j = {{"plugin", rec.manifest.name},
                       {"version", rec.manifest.version},
                       {"function", *function},
                       {"duration_ms", static_cast<double>(out.duration.count()) / 1000.0}};
             auto parsed = json::parse(out.output, nullptr, false);
             if (!parsed.is_discarded()) {
               j["output"] = std::move(parsed);
             } else {
               j["output_text"] = out.output;
             }
             json logs = json::array();
             for (const auto& l : out.logs) logs.push_back({{"level", l.level}, {"text", l.text}});
             j["logs"] = std::move(logs);
             return Response::Json(200, j);
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/pipeline/settings",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(json settings, orchestrator.settings().Get(ctx.tenant.id));
             return Response::Json(200, settings);
           }});

  api.Add({.method = Method::kPut,
           .pattern = "/api/v1/pipeline/settings",
           .resource_class = ResourceClass::kConfidential,
           .permission = Permission::kManageSettings,
           .allow_app_passwords = false,
           .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             HCMS_TRY(json saved, orchestrator.settings().Put(ctx.tenant.id, body));
             ctx.Audit("pipeline.settings", "pipeline_settings");
             return Response::Json(200, saved);
           }});

  // A run is always of the stored post: the snapshot (title, text, excerpt, URL and
  // revision id) is taken here, so a completed run vouches for exactly what the
  // publish gate will find (api/publication.h).
  auto start = [&orchestrator, held](RequestContext& ctx, int64_t post_id) -> Result<Response> {
    PipelineServices& s = *held;
    HCMS_TRY(pipeline::PostSnapshot post,
             SnapshotPost(s.content, ctx.tenant.id, post_id, s.public_url ? s.public_url() : ""));
    HCMS_TRY(auto run, orchestrator.Start(ctx.tenant.id, post, ctx.principal->user_id));
    ctx.Audit("pipeline.start", "pipeline_run:" + run.id, "done",
              {{"post_id", post_id},
               {"revision_id", post.revision_id ? json(*post.revision_id) : json(nullptr)}});
    Response r = Response::Json(202, pipeline::RunToJson(run, false));
    r.Set("Location", "/api/v1/pipeline/runs/" + run.id);
    return r;
  };

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/pipeline/runs",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kCreateContent,
           .handler = [start](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto post_id = v.Int("post_id", Need::kRequired, 1, INT64_MAX);
             // The text comes from the stored post, never from the request.
             for (const char* key : {"title", "content", "excerpt", "url", "revision_id",
                                     "published_at", "modified_at"}) {
               if (body.contains(key)) {
                 v.Fail(key, "not_accepted",
                        "O pipeline lê o texto salvo da publicação; envie apenas post_id.");
               }
             }
             HCMS_CHECK(v.Finish());
             return start(ctx, *post_id);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/posts/{id}/pipeline",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kCreateContent,
           .handler = [start](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             return start(ctx, id);
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/posts/{id}/compliance",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReadContent,
           .handler = [held](RequestContext& ctx) -> Result<Response> {
             PipelineServices& s = *held;
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(json out, s.content.db().Run([&](store::Connection& c) -> Result<json> {
               HCMS_TRY(content::Post post, s.content.posts().Get(c, ctx.tenant.id, id));
               HCMS_TRY(json pipeline, PipelineStatus(c, ctx.tenant.id, id));
               HCMS_TRY(auto pd, content::PostStore::MetaValueIn(c, ctx.tenant.id, id,
                                                                 content::kPersonalDataMetaKey));
               HCMS_TRY(auto bases,
                        content::PostStore::MetaValueIn(c, ctx.tenant.id, id, kLegalBasesMetaKey));
               HCMS_TRY(auto package, content::PostStore::MetaValueIn(
                                          c, ctx.tenant.id, id, content::kPublicationMetaKey));
               json published = nullptr;
               if (package) {
                 auto pj = json::parse(*package, nullptr, false);
                 if (pj.is_object()) {
                   published = {{"run_id", pj.value("run_id", "")},
                                {"revision_id", pj.value("revision_id", int64_t{0})}};
                 }
               }
               json personal = pd ? json::parse(*pd, nullptr, false) : json(nullptr);
               if (personal.is_discarded()) personal = nullptr;
               json legal = bases ? json::parse(*bases, nullptr, false) : json::array();
               if (!legal.is_array()) legal = json::array();
               return json{{"post_id", post.id},
                           {"status", content::PostStatusName(post.status)},
                           {"pipeline", std::move(pipeline)},
                           {"personal_data", std::move(personal)},
                           {"legal_bases", std::move(legal)},
                           {"published_package", std::move(published)}};
             }));
             return Response::Json(200, out);
           }});

  api.Add({.method = Method::kPost,
           .pattern = "/api/v1/posts/{id}/legal-bases",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReviewContent,
           .allow_app_passwords = false,
           .handler = [held](RequestContext& ctx) -> Result<Response> {
             PipelineServices& s = *held;
             HCMS_TRY(int64_t id, PathId(ctx.request, "id"));
             HCMS_TRY(json body, ParseJsonBody(ctx.request));
             Validator v(body);
             auto basis_name = v.String("basis", Need::kRequired, 40);
             auto type_name = v.String("type", Need::kOptional, 40);
             std::optional<lgpd::LegalBasis> basis;
             if (basis_name) {
               basis = lgpd::ParseLegalBasis(*basis_name);
               if (!basis) {
                 v.Fail("basis", "invalid_value", "Base legal desconhecida.");
               } else if (!lgpd::AllowedForSensitive(*basis)) {
                 v.Fail("basis", "not_allowed_for_sensitive",
                        "Esta base legal não cobre dados sensíveis (LGPD art. 11).");
               }
             }
             if (type_name && !lgpd::ParsePiiType(*type_name)) {
               v.Fail("type", "invalid_value", "Tipo de dado pessoal desconhecido.");
             }
             HCMS_CHECK(v.Finish());
             const int64_t reviewer = ctx.principal->user_id;
             HCMS_TRY(json all, s.content.db().Transact([&](store::Connection& c) -> Result<json> {
               HCMS_TRY(content::Post post, s.content.posts().Get(c, ctx.tenant.id, id));
               HCMS_TRY(auto stored,
                        content::PostStore::MetaValueIn(c, ctx.tenant.id, id, kLegalBasesMetaKey));
               json list = stored ? json::parse(*stored, nullptr, false) : json::array();
               if (!list.is_array()) list = json::array();
               list.push_back({{"type", type_name ? json(*type_name) : json(nullptr)},
                               {"basis", lgpd::LegalBasisName(*basis)},
                               {"reviewer_id", reviewer},
                               {"recorded_at", FormatTimestamp(s.content.clock().Now())}});
               HCMS_CHECK(content::PostStore::SetMetaIn(c, ctx.tenant.id, post.id,
                                                        kLegalBasesMetaKey, list.dump()));
               return list;
             }));
             ctx.Audit("content.legal_basis", "post:" + std::to_string(id), "done",
                       {{"basis", lgpd::LegalBasisName(*basis)},
                        {"type", type_name ? json(*type_name) : json(nullptr)}});
             return Response::Json(201, {{"post_id", id}, {"legal_bases", std::move(all)}});
           }});

  // Recent compliance alerts (dashboard): posts whose last save had personal data,
  // newest first. Types and counts only: the values never leave the post.
  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/compliance/alerts",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReadContent,
           .handler = [held](RequestContext& ctx) -> Result<Response> {
             PipelineServices& s = *held;
             HCMS_TRY(auto rows, s.content.db().Run([&](store::Connection& c) {
               return c.Query(
                   "SELECT p.id, p.title, p.status, m.meta_value FROM post_meta m JOIN posts p "
                   "ON p.tenant_id = m.tenant_id AND p.id = m.post_id WHERE m.tenant_id = $1 "
                   "AND m.meta_key = $2 AND p.status <> 'trash' ORDER BY p.modified_gmt DESC, "
                   "p.id DESC LIMIT 20",
                   {ctx.tenant.id, content::kPersonalDataMetaKey});
             }));
             json items = json::array();
             for (const auto& r : rows) {
               json summary = json::parse(r.Text(3), nullptr, false);
               if (!summary.is_object()) continue;
               items.push_back({{"post_id", r.Int(0)},
                                {"title", r.Text(1)},
                                {"status", r.Text(2)},
                                {"risk_score", summary.value("risk_score", 0)},
                                {"risk_status", summary.value("status", "")},
                                {"types", summary.value("types", json::object())},
                                {"scanned_at", summary.value("scanned_at", "")}});
             }
             return Response::Json(200, {{"items", std::move(items)}});
           }});

  // The practice's newest runs (the dashboard: runs awaiting review, blocked runs).
  // Every author's titles: for those who review content, not for readers or
  // contributors.
  api.Add(
      {.method = Method::kGet,
       .pattern = "/api/v1/pipeline/runs",
       .resource_class = ResourceClass::kInternal,
       .permission = Permission::kReviewContent,
       .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
         std::string status;
         if (auto st = ctx.request.QueryParam("status")) {
           static constexpr std::string_view kStatuses[] = {
               "pending", "running", "needs_approval", "completed",
               "blocked", "failed",  "rejected"};
           if (std::find(std::begin(kStatuses), std::end(kStatuses), *st) == std::end(kStatuses)) {
             return InvalidArgument("invalid_query",
                                    "status: pending, running, needs_approval, completed, "
                                    "blocked, failed ou rejected");
           }
           status = *st;
         }
         int limit = 20;
         if (auto l = ctx.request.QueryParam("limit")) {
           if (l->empty() || l->size() > 3 ||
               l->find_first_not_of("0123456789") != std::string::npos) {
             return InvalidArgument("invalid_query", "limit: 1 a 100");
           }
           limit = std::clamp(std::stoi(std::string(*l)), 1, 100);
         }
         HCMS_TRY(auto runs, orchestrator.List(ctx.tenant.id, status, limit));
         json items = json::array();
         for (const auto& run : runs) {
           json j = pipeline::RunToJson(run, false);
           j["post_title"] = run.document.contains("post") ? run.document["post"].value("title", "")
                                                           : std::string();
           items.push_back(std::move(j));
         }
         return Response::Json(200, {{"items", std::move(items)}});
       }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/pipeline/runs/{id}",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReadContent,
           .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto run, orchestrator.Get(ctx.tenant.id, ctx.request.PathParam("id")));
             return Response::Json(200, pipeline::RunToJson(run, true));
           }});

  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/pipeline/runs/{id}/audit",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReviewContent,
           .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
             HCMS_TRY(auto rows, orchestrator.Audit(ctx.tenant.id, ctx.request.PathParam("id")));
             json items = json::array();
             for (const auto& r : rows) items.push_back(pipeline::AuditRowToJson(r));
             return Response::Json(200, {{"items", std::move(items)}});
           }});

  // Progress as Server-Sent Events: a "run" event with the current state, then the
  // orchestrator's events (step_started, step_finished, run_finished) as they happen;
  // the stream ends when the run is completed, blocked, failed or rejected.
  api.Add({.method = Method::kGet,
           .pattern = "/api/v1/pipeline/runs/{id}/events",
           .resource_class = ResourceClass::kInternal,
           .permission = Permission::kReadContent,
           .handler = [&orchestrator](RequestContext& ctx) -> Result<Response> {
             const std::string run_id(ctx.request.PathParam("id"));
             HCMS_TRY(auto exists, orchestrator.Get(ctx.tenant.id, run_id));
             (void)exists;
             auto events = std::make_shared<http::EventStream>();
             std::weak_ptr<http::EventStream> weak = events;
             auto terminal = [](std::string_view st) {
               return st == "completed" || st == "blocked" || st == "failed" || st == "rejected";
             };
             // Subscribe first, then read the state: no event falls in between.
             auto sub =
                 orchestrator.Subscribe(run_id, [weak, terminal](const pipeline::RunEvent& e) {
                   if (auto out = weak.lock()) {
                     out->PushEvent(e.type, e.ToJson().dump());
                     if (e.type == "run_finished" && terminal(e.status)) out->Close();
                   }
                 });
             events->Hold(std::shared_ptr<void>(std::move(sub)));
             HCMS_TRY(auto run, orchestrator.Get(ctx.tenant.id, run_id));
             events->PushEvent("run", pipeline::RunToJson(run, false).dump());
             if (terminal(run.status)) events->Close();
             Response r(200, "text/event-stream; charset=utf-8", "");
             r.stream = std::move(events);
             return r;
           }});

  for (const bool approve : {true, false}) {
    api.Add({.method = Method::kPost,
             .pattern = std::string("/api/v1/pipeline/runs/{id}/steps/{stage}/") +
                        (approve ? "approve" : "reject"),
             .resource_class = ResourceClass::kInternal,
             .permission = Permission::kReviewContent,
             .allow_app_passwords = false,
             .handler = [&orchestrator, approve](RequestContext& ctx) -> Result<Response> {
               std::string note;
               if (!ctx.request.body.empty()) {
                 HCMS_TRY(json body, ParseJsonBody(ctx.request));
                 Validator v(body);
                 note = v.String("note", Need::kOptional, 2000).value_or("");
                 HCMS_CHECK(v.Finish());
               }
               const std::string run_id(ctx.request.PathParam("id"));
               const std::string stage(ctx.request.PathParam("stage"));
               HCMS_TRY(auto run, orchestrator.Decide(ctx.tenant.id, run_id, stage,
                                                      ctx.principal->user_id, approve, note));
               ctx.Audit(approve ? "pipeline.approve" : "pipeline.reject", "pipeline_run:" + run_id,
                         "done", {{"stage", stage}});
               return Response::Json(200, pipeline::RunToJson(run, false));
             }});
  }
}

}  // namespace hcms::api
