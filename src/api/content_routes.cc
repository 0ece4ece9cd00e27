#include "api/content_routes.h"

#include <nlohmann/json.hpp>

#include "api/wp_routes.h"
#include "content/personal_data.h"
#include "content/posts.h"
#include "content/text.h"
#include "http/problem.h"

namespace hcms::api {

using content::Actor;
using content::ComplianceLevel;
using content::Post;
using content::PostQuery;
using content::PostStatus;
using content::PostType;
using nlohmann::json;

namespace {

std::optional<int64_t> Id(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

http::Response Bad(const http::Request& req, std::string code, std::string detail) {
  return http::Problem(req, Error(ErrorKind::kInvalidArgument, std::move(code), std::move(detail)));
}

json PostJson(content::ContentService& svc, const Post& p, bool with_source) {
  json j = {{"id", p.id},
            {"type", content::PostTypeName(p.type)},
            {"status", content::PostStatusName(p.status)},
            {"title", p.title},
            {"slug", p.slug},
            {"excerpt", svc.Excerpt(p)},
            {"content_html", svc.Rendered(p)},
            {"format", content::ContentFormatName(p.format)},
            {"author_id", p.author_id ? json(*p.author_id) : json(nullptr)},
            {"parent_id", p.parent_id ? json(*p.parent_id) : json(nullptr)},
            {"menu_order", p.menu_order},
            {"comments_open", p.comments_open},
            {"sticky", p.sticky},
            {"featured_media_id", p.featured_media_id ? json(*p.featured_media_id) : json(nullptr)},
            {"compliance_level", content::ComplianceLevelName(p.compliance)},
            {"term_ids", p.term_ids},
            {"date_gmt", p.date_gmt},
            {"modified_gmt", p.modified_gmt},
            {"version", p.version}};
  if (p.trashed_status) j["trashed_status"] = content::PostStatusName(*p.trashed_status);
  if (with_source) j["content"] = p.content;
  if (p.type == PostType::kAttachment) {
    j["mime_type"] = p.mime_type;
    j["source_url"] = p.source_url;
  }
  return j;
}

// What the detector found in the text just saved (#5: "saving a draft returns the
// detections so the editor can warn"): the stored summary — types, counts, risk —
// never the values. {"flagged": false} when nothing was found.
json SavedPersonalData(content::ContentService& svc, int64_t tenant_id, int64_t post_id) {
  auto value = svc.db().Run([&](store::Connection& c) {
    return content::PostStore::MetaValueIn(c, tenant_id, post_id, content::kPersonalDataMetaKey);
  });
  if (!value || !*value) return {{"flagged", false}};
  json summary = json::parse(**value, nullptr, false);
  if (summary.is_discarded()) return {{"flagged", false}};
  summary["flagged"] = true;
  return summary;
}

json TermJson(const content::Term& t) {
  return {{"id", t.id},
          {"taxonomy", t.taxonomy},
          {"name", t.name},
          {"slug", t.slug},
          {"description", t.description},
          {"parent_id", t.parent_id ? json(*t.parent_id) : json(nullptr)},
          {"specialty", t.specialty ? json(*t.specialty) : json(nullptr)},
          {"count", t.count}};
}

class Routes {
 public:
  explicit Routes(ContentRoutesDeps d) : d_(std::move(d)) {}

  struct Ctx {
    int64_t tenant_id = 0;
    std::optional<Actor> actor;
  };

  Ctx Context(api::RequestContext& rc) {
    Ctx c{.tenant_id = rc.tenant.id};
    if (rc.principal != nullptr) c.actor = ActorFor(*rc.principal, d_.policy);
    return c;
  }

  static bool Visible(const Ctx& c, const Post& p) {
    if (p.status == PostStatus::kPublish && p.compliance == ComplianceLevel::kPublic) return true;
    if (!c.actor) return false;
    using accounts::Role;
    if (c.actor->role == Role::kReader) return false;
    if (c.actor->role == Role::kContributor)
      return c.actor->user_id && p.author_id == c.actor->user_id;
    return true;
  }

  http::Response List(api::RequestContext& rc, bool search_only) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    PostQuery q;
    q.max_compliance = ComplianceLevel::kPublic;
    if (auto v = req.QueryParam(search_only ? "q" : "search")) q.search = *v;
    if (search_only && q.search.empty())
      return Bad(req, "search_term_required", "Informe o parâmetro q.");
    if (search_only) {
      q.types = {PostType::kPost, PostType::kPage};
      q.order_by = content::PostOrder::kRelevance;
    }
    if (auto v = req.QueryParam("type")) {
      auto t = content::ParsePostType(*v);
      if (!t) return Bad(req, "invalid_type", "type: post, page ou attachment.");
      q.types = {*t};
      if (*t == PostType::kAttachment) q.statuses = {PostStatus::kInherit};
    }
    if (auto v = req.QueryParam("status")) {
      auto s = content::ParsePostStatus(*v);
      if (!s) return Bad(req, "invalid_status", "Estado desconhecido.");
      if (*s != PostStatus::kPublish && !c.actor) {
        return http::Problem(req, Error(ErrorKind::kUnauthenticated, "unauthenticated",
                                        "Entre com sua conta para ver conteúdo não publicado."));
      }
      q.statuses = {*s};
      if (c.actor) q.max_compliance.reset();
    }
    for (const char* key : {"page", "per_page", "category", "tag", "author"}) {
      auto v = req.QueryParam(key);
      if (!v) continue;
      auto n = Id(*v);
      if (!n || *n < 1)
        return Bad(req, "invalid_parameter", std::string(key) + ": número inteiro positivo.");
      const std::string_view k = key;
      if (k == "page") q.page = *n;
      if (k == "per_page") {
        if (*n > 100) return Bad(req, "invalid_parameter", "per_page: de 1 a 100.");
        q.per_page = *n;
      }
      if (k == "category") q.any_terms_a = {*n};
      if (k == "tag") q.any_terms_b = {*n};
      if (k == "author") q.authors = {*n};
    }
    if (auto v = req.QueryParam("order")) {
      if (*v != "asc" && *v != "desc") return Bad(req, "invalid_parameter", "order: asc ou desc.");
      q.ascending = *v == "asc";
    }
    // The total and the page count only what this reader may see (Visible checks
    // each post again).
    if (c.actor) q.public_or_author = c.actor->ListsLimitedTo();
    auto page = d_.content.List(c.tenant_id, q);
    if (!page) return http::Problem(req, page.error());
    json items = json::array();
    for (const auto& p : page->posts) {
      if (Visible(c, p)) items.push_back(PostJson(d_.content, p, false));
    }
    return http::Response::Json(
        200,
        {{"items", items}, {"total", page->total}, {"page", q.page}, {"per_page", q.per_page}});
  }

  Result<Post> Load(const http::Request& req, const Ctx& c) {
    auto id = Id(req.PathParam("id"));
    if (!id) return NotFound("post_not_found", "Conteúdo não encontrado.");
    auto p = d_.content.Get(c.tenant_id, *id);
    if (!p || !Visible(c, *p)) return NotFound("post_not_found", "Conteúdo não encontrado.");
    return p;
  }

  http::Response Get(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto p = Load(req, c);
    if (!p) return http::Problem(req, p.error());
    const bool source = c.actor && content::ContentService::CanReadSource(*c.actor, *p);
    return http::Response::Json(200, PostJson(d_.content, *p, source));
  }

  // Body -> PostInput; a problem response on bad input.
  std::optional<http::Response> ReadInput(const http::Request& req, content::PostInput& in,
                                          json& body) {
    try {
      body = json::parse(req.body);
    } catch (const json::exception&) {
      return http::Problem(req, 400, "invalid_json", "O corpo não é JSON válido.");
    }
    if (!body.is_object())
      return http::Problem(req, 400, "invalid_json", "Esperado um objeto JSON.");
    Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados do conteúdo inválidos.");
    auto str = [&](const char* k, std::optional<std::string>& out) {
      if (!body.contains(k)) return;
      if (body[k].is_string())
        out = body[k].get<std::string>();
      else
        e.WithField(k, "invalid_type", "texto");
    };
    str("title", in.title);
    str("content", in.content);
    str("excerpt", in.excerpt);
    str("slug", in.slug);
    str("date_gmt", in.date_gmt);
    if (body.contains("format")) {
      auto f = body["format"].is_string()
                   ? content::ParseContentFormat(body["format"].get<std::string>())
                   : std::nullopt;
      if (f)
        in.format = *f;
      else
        e.WithField("format", "invalid_value", "html ou markdown");
    }
    if (body.contains("compliance_level")) {
      auto l = body["compliance_level"].is_string()
                   ? content::ParseComplianceLevel(body["compliance_level"].get<std::string>())
                   : std::nullopt;
      if (l)
        in.compliance = *l;
      else
        e.WithField("compliance_level", "invalid_value", "public, professional, restricted ou phi");
    }
    for (const char* k : {"sticky", "comments_open"}) {
      if (!body.contains(k)) continue;
      if (!body[k].is_boolean()) {
        e.WithField(k, "invalid_type", "verdadeiro ou falso");
        continue;
      }
      if (std::string_view(k) == "sticky")
        in.sticky = body[k].get<bool>();
      else
        in.comments_open = body[k].get<bool>();
    }
    if (body.contains("term_ids")) {
      std::vector<int64_t> ids;
      if (!body["term_ids"].is_array())
        e.WithField("term_ids", "invalid_type", "lista de ids");
      else
        for (const auto& v : body["term_ids"]) {
          if (v.is_number_integer())
            ids.push_back(v.get<int64_t>());
          else
            e.WithField("term_ids", "invalid_type", "lista de ids");
        }
      in.term_ids = ids;
    }
    for (const char* k : {"parent_id", "featured_media_id"}) {
      if (!body.contains(k)) continue;
      if (body[k].is_null()) {
        (std::string_view(k) == "parent_id" ? in.parent_id : in.featured_media_id) =
            std::optional<int64_t>();
      } else if (body[k].is_number_integer()) {
        (std::string_view(k) == "parent_id" ? in.parent_id : in.featured_media_id) =
            std::optional<int64_t>(body[k].get<int64_t>());
      } else {
        e.WithField(k, "invalid_type", "id ou null");
      }
    }
    if (body.contains("version")) {
      if (body["version"].is_number_integer())
        in.expected_version = body["version"].get<int64_t>();
      else
        e.WithField("version", "invalid_type", "inteiro");
    }
    if (!e.fields().empty()) return http::Problem(req, e);
    return std::nullopt;
  }

  http::Response Create(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    content::PostInput in;
    json body;
    if (auto bad = ReadInput(req, in, body)) return std::move(*bad);
    PostType type = PostType::kPost;
    if (body.contains("type")) {
      auto t = body["type"].is_string() ? content::ParsePostType(body["type"].get<std::string>())
                                        : std::nullopt;
      if (!t || *t == PostType::kAttachment) return Bad(req, "invalid_type", "type: post ou page.");
      type = *t;
    }
    auto p = d_.content.Create(c.tenant_id, type, in, *c.actor);
    if (!p) return http::Problem(req, p.error());
    json out = PostJson(d_.content, *p, true);
    out["personal_data"] = SavedPersonalData(d_.content, c.tenant_id, p->id);
    http::Response r = http::Response::Json(201, out);
    r.Set("Location", "/api/v1/posts/" + std::to_string(p->id));
    return r;
  }

  http::Response Update(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    content::PostInput in;
    json body;
    if (auto bad = ReadInput(req, in, body)) return std::move(*bad);
    auto p = d_.content.Update(c.tenant_id, current->id, in, *c.actor);
    if (!p) return http::Problem(req, p.error());
    json out = PostJson(d_.content, *p, true);
    out["personal_data"] = SavedPersonalData(d_.content, c.tenant_id, p->id);
    return http::Response::Json(200, out);
  }

  http::Response Delete(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    auto s = d_.content.Delete(c.tenant_id, current->id, *c.actor, false);
    if (!s) return http::Problem(req, s.error());
    return http::Response::NoContent();
  }

  http::Response Transition(api::RequestContext& rc, content::Action action) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    content::TransitionOptions o;
    if (!req.body.empty()) {
      auto body = ParseJsonBody(req);
      if (!body) return ErrorResponse(req, body.error());
      Validator v(*body);
      if (auto comment = v.String("comment", Need::kOptional, 10000)) o.comment = *comment;
      o.date_gmt = v.String("date_gmt", Need::kOptional, 40);
      if (auto s = v.Finish(); !s) return ErrorResponse(req, s.error());
    }
    auto p = d_.content.workflow().Apply(c.tenant_id, current->id, action, *c.actor, o);
    if (!p) return http::Problem(req, p.error());
    rc.Audit(std::string("content.") + std::string(content::ActionName(action)),
             "post:" + std::to_string(p->id), "done", {{"to", content::PostStatusName(p->status)}});
    return http::Response::Json(200, PostJson(d_.content, *p, true));
  }

  http::Response History(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    auto h = d_.content.workflow().History(c.tenant_id, current->id);
    if (!h) return http::Problem(req, h.error());
    json items = json::array();
    for (const auto& t : *h) {
      items.push_back({{"id", t.id},
                       {"from", content::PostStatusName(t.from)},
                       {"to", content::PostStatusName(t.to)},
                       {"action", content::ActionName(t.action)},
                       {"actor_id", t.actor_id ? json(*t.actor_id) : json(nullptr)},
                       {"comment", t.comment},
                       {"created_at", t.created_at}});
    }
    return http::Response::Json(200, {{"items", items}});
  }

  http::Response Revisions(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    auto revs = d_.content.Revisions(c.tenant_id, current->id);
    if (!revs) return http::Problem(req, revs.error());
    json items = json::array();
    for (const auto& r : *revs) {
      items.push_back({{"id", r.id},
                       {"author_id", r.author_id ? json(*r.author_id) : json(nullptr)},
                       {"title", r.title},
                       {"format", content::ContentFormatName(r.format)},
                       {"created_at", r.created_at}});
    }
    return http::Response::Json(200, {{"items", items}});
  }

  http::Response Diff(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    auto from = Id(req.PathParam("rev"));
    auto to = Id(req.PathParam("to"));
    if (!from || !to) return http::Problem(req, Error(ErrorKind::kNotFound, "revision_not_found"));
    auto a = d_.content.GetRevision(c.tenant_id, current->id, *from);
    auto b = d_.content.GetRevision(c.tenant_id, current->id, *to);
    if (!a) return http::Problem(req, a.error());
    if (!b) return http::Problem(req, b.error());
    json lines = json::array();
    for (const auto& l : content::DiffLines(a->content, b->content)) {
      lines.push_back({{"op", std::string(1, l.op)}, {"text", l.text}});
    }
    return http::Response::Json(
        200,
        {{"from", *from}, {"to", *to}, {"title_changed", a->title != b->title}, {"lines", lines}});
  }

  http::Response Restore(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto current = Load(req, c);
    if (!current) return http::Problem(req, current.error());
    auto rid = Id(req.PathParam("rev"));
    if (!rid) return http::Problem(req, Error(ErrorKind::kNotFound, "revision_not_found"));
    auto p = d_.content.RestoreRevision(c.tenant_id, current->id, *rid, *c.actor);
    if (!p) return http::Problem(req, p.error());
    return http::Response::Json(200, PostJson(d_.content, *p, true));
  }

  http::Response Terms(api::RequestContext& rc) {
    http::Request& req = rc.request;
    Ctx c = Context(rc);
    content::TermQuery q;
    q.per_page = 1000;
    if (auto v = req.QueryParam("taxonomy")) {
      if (v->empty() || v->size() > 32) return Bad(req, "invalid_parameter", "taxonomy inválida.");
      q.taxonomy = *v;
    }
    auto page = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.terms().List(conn, c.tenant_id, q); });
    if (!page) return http::Problem(req, page.error());
    json items = json::array();
    for (const auto& t : page->terms) items.push_back(TermJson(t));
    return http::Response::Json(200, {{"items", items}, {"total", page->total}});
  }

  ContentRoutesDeps d_;
};

}  // namespace

void AddContentRoutes(Api& api, ContentRoutesDeps deps) {
  auto r = std::make_shared<Routes>(std::move(deps));
  using M = http::Method;
  using P = Permission;
  auto add = [&](M m, std::string pattern, P permission,
                 std::function<http::Response(RequestContext&)> fn) {
    api.Add({.method = m,
             .pattern = std::move(pattern),
             .resource_class =
                 permission == P::kPublic ? ResourceClass::kPublic : ResourceClass::kInternal,
             .permission = permission,
             .handler = [fn = std::move(fn)](RequestContext& rc) -> Result<http::Response> {
               return fn(rc);
             }});
  };
  add(M::kGet, "/api/v1/openapi.json", P::kPublic, [](RequestContext&) {
    http::Response resp(200, "application/json; charset=utf-8", std::string(OpenApiDocument()));
    resp.Set("Cache-Control", "public, max-age=3600");
    return resp;
  });
  add(M::kGet, "/api/v1/posts", P::kPublic, [r](RequestContext& q) { return r->List(q, false); });
  add(M::kGet, "/api/v1/search", P::kPublic, [r](RequestContext& q) { return r->List(q, true); });
  add(M::kGet, "/api/v1/terms", P::kPublic, [r](RequestContext& q) { return r->Terms(q); });
  add(M::kGet, "/api/v1/posts/{id}", P::kPublic, [r](RequestContext& q) { return r->Get(q); });
  add(M::kPost, "/api/v1/posts", P::kCreateContent,
      [r](RequestContext& q) { return r->Create(q); });
  add(M::kPatch, "/api/v1/posts/{id}", P::kCreateContent,
      [r](RequestContext& q) { return r->Update(q); });
  add(M::kDelete, "/api/v1/posts/{id}", P::kCreateContent,
      [r](RequestContext& q) { return r->Delete(q); });
  // One route per transition, so the policy engine gates each with its permission
  // (publishing: publish_content and trust >= 85); the workflow checks again.
  struct Step {
    const char* path;
    content::Action action;
    P permission;
  };
  for (Step s : {Step{"submit", content::Action::kSubmit, P::kCreateContent},
                 Step{"approve", content::Action::kApprove, P::kReviewContent},
                 Step{"reject", content::Action::kReject, P::kReviewContent},
                 Step{"publish", content::Action::kPublish, P::kPublishContent},
                 Step{"schedule", content::Action::kSchedule, P::kPublishContent},
                 Step{"unschedule", content::Action::kUnschedule, P::kPublishContent},
                 Step{"make-private", content::Action::kMakePrivate, P::kPublishContent},
                 Step{"unpublish", content::Action::kUnpublish, P::kPublishContent},
                 Step{"trash", content::Action::kTrash, P::kCreateContent},
                 Step{"restore", content::Action::kRestore, P::kCreateContent}}) {
    const content::Action action = s.action;
    add(M::kPost, std::string("/api/v1/posts/{id}/") + s.path, s.permission,
        [r, action](RequestContext& q) { return r->Transition(q, action); });
  }
  add(M::kGet, "/api/v1/posts/{id}/transitions", P::kReadContent,
      [r](RequestContext& q) { return r->History(q); });
  add(M::kGet, "/api/v1/posts/{id}/revisions", P::kReadContent,
      [r](RequestContext& q) { return r->Revisions(q); });
  add(M::kGet, "/api/v1/posts/{id}/revisions/{rev}/diff/{to}", P::kReadContent,
      [r](RequestContext& q) { return r->Diff(q); });
  add(M::kPost, "/api/v1/posts/{id}/revisions/{rev}/restore", P::kCreateContent,
      [r](RequestContext& q) { return r->Restore(q); });
}

}  // namespace hcms::api

namespace hcms::api {

const std::map<std::string, std::string_view>& ApiDocFiles();  // generated from docs/api/

std::string_view OpenApiDocument() { return ApiDocFiles().at("openapi.json"); }

}  // namespace hcms::api
