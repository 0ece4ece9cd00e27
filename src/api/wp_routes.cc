#include "api/wp_routes.h"

#include <chrono>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "content/sanitizer.h"
#include "content/text.h"
#include "core/log.h"
#include "core/time_zone.h"
#include "http/problem.h"

namespace hcms::api {

using content::Actor;
using content::ComplianceLevel;
using content::Post;
using content::PostQuery;
using content::PostStatus;
using content::PostType;
using json = nlohmann::ordered_json;

std::string BaseUrlFor(const tenants::Tenant& tenant, const std::string& public_url) {
  if (!tenant.host) return public_url;
  const size_t scheme = public_url.find("://");
  return (scheme == std::string::npos ? std::string("http") : public_url.substr(0, scheme)) +
         "://" + *tenant.host;
}

namespace {

constexpr std::string_view kJsonType = "application/json; charset=UTF-8";

// ---------------------------------------------------------------- errors

http::Response WpError(int status, std::string_view code, std::string_view message,
                       json extra = json::object()) {
  json data = {{"status", status}};
  for (auto& [k, v] : extra.items()) data[k] = v;
  http::Response r(status, std::string(kJsonType),
                   json({{"code", code}, {"message", message}, {"data", data}}).dump());
  r.Set("X-Content-Type-Options", "nosniff");
  if (status == 503 || status == 429) r.Set("Retry-After", "1");  // as http::Problem
  return r;
}

http::Response InvalidParam(std::string_view param, std::string_view why) {
  return WpError(400, "rest_invalid_param", fmt::format("Invalid parameter(s): {}", param),
                 {{"params", {{param, why}}}});
}

// Domain errors in WordPress's shape, with our stable code kept in data.hcms_code.
http::Response FromError(const Error& e) {
  int status = 500;
  std::string code = "rest_error";
  switch (e.kind()) {
    case ErrorKind::kInvalidArgument:
      status = 400;
      code = "rest_invalid_param";
      break;
    case ErrorKind::kUnauthenticated:
      status = 401;
      code = "rest_not_logged_in";
      break;
    case ErrorKind::kPermissionDenied:
      status = 403;
      code = "rest_forbidden";
      break;
    case ErrorKind::kNotFound:
      status = 404;
      code = "rest_post_invalid_id";
      break;
    case ErrorKind::kConflict:
    case ErrorKind::kFailedPrecondition:
      status = 409;
      code = "rest_conflict";
      break;
    case ErrorKind::kTooLarge:
      status = 413;
      code = "rest_too_large";
      break;
    case ErrorKind::kResourceExhausted:
      status = 429;
      code = "rest_too_many_requests";
      break;
    case ErrorKind::kUnavailable:
    case ErrorKind::kDeadlineExceeded:
      status = 503;
      code = "rest_unavailable";
      break;
    case ErrorKind::kInternal:
      break;
  }
  if (status >= 500) {
    log::Error("wp_request_failed", {{"error", e.ToLogString()}});
    return WpError(status, code, "Erro interno do servidor.");
  }
  json extra = {{"hcms_code", e.code()}};
  if (!e.fields().empty()) {
    json params = json::object();
    for (const auto& f : e.fields()) params[f.field] = f.code;
    extra["params"] = params;
  }
  return WpError(status, code, e.detail().empty() ? e.code() : e.detail(), extra);
}

// A JSON answer whose text is already made (serialised posts).
http::Response JsonText(int status, std::string body) {
  http::Response r(status, std::string(kJsonType), std::move(body));
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link");
  r.Set("Access-Control-Allow-Headers",
        "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type");
  r.Set("X-Robots-Tag", "noindex");
  return r;
}

http::Response JsonOk(int status, const json& body) { return JsonText(status, body.dump()); }

// ---------------------------------------------------------------- parameters

std::optional<int64_t> ParseInt(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "1,2" or a[]=1&a[]=2, as WordPress accepts.
std::optional<std::vector<int64_t>> IdList(const http::Request& req, std::string_view key) {
  std::vector<int64_t> out;
  for (const auto& v : req.QueryParams(key)) {
    size_t i = 0;
    while (i <= v.size()) {
      const size_t comma = v.find(',', i);
      const std::string item = v.substr(i, comma == std::string::npos ? v.size() - i : comma - i);
      if (!item.empty()) {
        auto n = ParseInt(item);
        if (!n) return std::nullopt;
        out.push_back(*n);
      }
      if (comma == std::string::npos) break;
      i = comma + 1;
    }
  }
  return out;
}

std::vector<std::string> StringList(const http::Request& req, std::string_view key) {
  std::vector<std::string> out;
  for (const auto& v : req.QueryParams(key)) {
    size_t i = 0;
    while (i <= v.size()) {
      const size_t comma = v.find(',', i);
      std::string item = v.substr(i, comma == std::string::npos ? v.size() - i : comma - i);
      if (!item.empty()) out.push_back(std::move(item));
      if (comma == std::string::npos) break;
      i = comma + 1;
    }
  }
  return out;
}

struct Paging {
  int64_t page = 1;
  int64_t per_page = 10;
};

// Fills paging or returns the error response.
std::optional<http::Response> ReadPaging(const http::Request& req, Paging& p) {
  if (auto v = req.QueryParam("page")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1) return InvalidParam("page", "page must be greater than or equal to 1");
    p.page = *n;
  }
  if (auto v = req.QueryParam("per_page")) {
    auto n = ParseInt(*v);
    if (!n || *n < 1 || *n > 100)
      return InvalidParam("per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)");
    p.per_page = *n;
  }
  return std::nullopt;
}

// Replaces (or adds) `page` in the request's query, for Link headers.
std::string PageLink(const std::string& base, const http::Request& req, int64_t page) {
  std::string query;
  size_t i = 0;
  const std::string& q = req.query;
  while (i < q.size()) {
    size_t amp = q.find('&', i);
    if (amp == std::string::npos) amp = q.size();
    const std::string pair = q.substr(i, amp - i);
    if (!pair.empty() && !pair.starts_with("page=") && pair != "page") {
      query += (query.empty() ? "" : "&") + pair;
    }
    i = amp + 1;
  }
  query += (query.empty() ? "" : "&") + std::string("page=") + std::to_string(page);
  return base + req.path + "?" + query;
}

void PaginationHeaders(http::Response& r, const std::string& base, const http::Request& req,
                       int64_t total, const Paging& p) {
  const int64_t pages = total == 0 ? 0 : (total + p.per_page - 1) / p.per_page;
  r.Set("X-WP-Total", std::to_string(total));
  r.Set("X-WP-TotalPages", std::to_string(pages));
  std::string link;
  if (p.page > 1 && pages > 0) {
    link = "<" + PageLink(base, req, std::min(p.page - 1, pages)) + ">; rel=\"prev\"";
  }
  if (p.page < pages) {
    link +=
        (link.empty() ? "" : ", ") + ("<" + PageLink(base, req, p.page + 1) + ">; rel=\"next\"");
  }
  if (!link.empty()) r.Set("Link", link);
}

// _fields=a,b: keeps only those top-level keys ("a.b" keeps "a").
json FilterFields(json item, const std::vector<std::string>& fields) {
  if (fields.empty() || !item.is_object()) return item;
  std::set<std::string> keep;
  for (const auto& f : fields) keep.insert(f.substr(0, f.find('.')));
  json out = json::object();
  for (auto& [k, v] : item.items()) {
    if (keep.contains(k)) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------- shapes

struct Ctx {
  tenants::Tenant tenant;
  std::string base;  // site base URL
  site::SiteInfo site;
  std::optional<Actor> actor;
  bool edit = false;  // context=edit in the query (EditContext: whether it is granted)
  // The practice's content generation, read before the posts: serialised posts
  // made at it may be reused (WpPostJsonCache). Unset: serialise everything.
  std::optional<int64_t> generation;

  std::string Api(std::string_view rest) const {
    return base + "/wp-json/wp/v2/" + std::string(rest);
  }
};

json Href(const std::string& href, bool embeddable = false) {
  json h = {{"href", href}};
  if (embeddable) h = {{"embeddable", true}, {"href", href}};
  return json::array({h});
}

json Curies() {
  return json::array({{{"name", "wp"}, {"href", "https://api.w.org/{rel}"}, {"templated", true}}});
}

std::string Gmt(const std::string& ts) { return ts.size() >= 19 ? ts.substr(0, 19) : ts; }

std::string Local(const std::string& ts, const std::string& tz) {
  auto t = ParseTimestamp(ts);
  if (!t) return Gmt(ts);
  auto l = FormatLocalTimestamp(*t, tz);
  return l ? *l : Gmt(ts);
}

std::string WpStatus(PostStatus s) {
  // WordPress knows no "approved": to its clients it still waits for publication.
  if (s == PostStatus::kApproved) return "pending";
  return std::string(content::PostStatusName(s));
}

std::string_view RestBase(PostType t) {
  switch (t) {
    case PostType::kPost:
      return "posts";
    case PostType::kPage:
      return "pages";
    case PostType::kAttachment:
      return "media";
  }
  return "posts";
}

// Escaped, with WordPress's "[&hellip;]" for a cut excerpt.
std::string WpExcerpt(const std::string& text) {
  std::string e = content::EscapeHtml(text);
  const std::string_view cut = " [\xE2\x80\xA6]";
  if (e.ends_with(cut)) e.replace(e.size() - cut.size(), cut.size(), " [&hellip;]");
  return e;
}

json AvatarUrls(const std::string& base) {
  const std::string a = base + "/theme/avatar.svg";
  return {{"24", a}, {"48", a}, {"96", a}};
}

struct TermIndex {
  std::unordered_map<int64_t, std::string> taxonomy;  // id -> taxonomy
  bool complete = true;                               // false: the read failed
};

// context=edit for this post: asked for, and the reader may read its source
// (content::ContentService::CanReadSource); otherwise the view context.
bool EditContext(const Ctx& c, const Post& p) {
  return c.edit && c.actor && content::ContentService::CanReadSource(*c.actor, p);
}

// `edit`: the edit context's raw fields too (EditContext decides per post).
json PostJson(content::ContentService& svc, const Ctx& c, const Post& p, bool edit,
              const std::unordered_map<int64_t, int64_t>& revisions, const TermIndex& terms) {
  const std::string base = std::string(RestBase(p.type));
  const std::string self = c.Api(base + "/" + std::to_string(p.id));
  const std::string link = site::Site::PostUrl(c.site, p);
  json j;
  j["id"] = p.id;
  j["date"] = Local(p.date_gmt, c.tenant.timezone);
  j["date_gmt"] = Gmt(p.date_gmt);
  j["guid"] = {{"rendered", p.guid.empty() ? c.base + "/?p=" + std::to_string(p.id) : p.guid}};
  j["modified"] = Local(p.modified_gmt, c.tenant.timezone);
  j["modified_gmt"] = Gmt(p.modified_gmt);
  if (edit) j["password"] = "";
  j["slug"] = p.slug;
  j["status"] = WpStatus(p.status);
  j["type"] = content::PostTypeName(p.type);
  j["link"] = link;
  j["title"] = {{"rendered", p.title}};
  if (edit) j["title"]["raw"] = p.title;
  if (p.type != PostType::kAttachment) {
    j["content"] = {{"rendered", svc.Rendered(p)}, {"protected", false}};
    j["excerpt"] = {{"rendered", "<p>" + WpExcerpt(svc.Excerpt(p)) + "</p>\n"},
                    {"protected", false}};
    if (edit) {
      j["content"]["raw"] = p.content;
      j["content"]["block_version"] = p.content.find("<!-- wp:") != std::string::npos ? 1 : 0;
      j["excerpt"]["raw"] = p.excerpt;
    }
  }
  j["author"] = p.author_id.value_or(0);
  if (p.type != PostType::kAttachment) j["featured_media"] = p.featured_media_id.value_or(0);
  if (p.type == PostType::kPage) {
    j["parent"] = p.parent_id.value_or(0);
    j["menu_order"] = p.menu_order;
  }
  j["comment_status"] = p.comments_open ? "open" : "closed";
  j["ping_status"] = p.pings_open ? "open" : "closed";
  if (p.type == PostType::kPost) j["sticky"] = p.sticky;
  j["template"] = "";
  if (p.type == PostType::kPost) j["format"] = "standard";
  j["meta"] = json::array();
  if (p.type == PostType::kPost) {
    json cats = json::array(), tags = json::array();
    for (int64_t t : p.term_ids) {
      auto it = terms.taxonomy.find(t);
      if (it == terms.taxonomy.end()) continue;
      if (it->second == content::kCategory) cats.push_back(t);
      if (it->second == content::kPostTag) tags.push_back(t);
    }
    j["categories"] = cats;
    j["tags"] = tags;
  }
  if (p.type == PostType::kAttachment) {
    j["description"] = {{"rendered", ""}};
    j["caption"] = {{"rendered", svc.Excerpt(p).empty()
                                     ? ""
                                     : "<p>" + content::EscapeHtml(svc.Excerpt(p)) + "</p>\n"}};
    j["alt_text"] = "";
    const std::string mime = p.mime_type;
    const std::string media_type = mime.starts_with("image/") ? "image" : "file";
    j["media_type"] = media_type;
    j["mime_type"] = mime;
    j["media_details"] = json::object();
    j["post"] = p.parent_id ? json(*p.parent_id) : json(nullptr);
    j["source_url"] = p.source_url.starts_with("/") ? c.base + p.source_url : p.source_url;
  }
  if (edit) j["compliance_level"] = content::ComplianceLevelName(p.compliance);
  json links;
  links["self"] = Href(self);
  links["collection"] = Href(c.Api(base));
  links["about"] = Href(c.Api("types/" + std::string(content::PostTypeName(p.type))));
  if (p.author_id) links["author"] = Href(c.Api("users/" + std::to_string(*p.author_id)), true);
  links["replies"] = Href(c.Api("comments?post=" + std::to_string(p.id)), true);
  if (p.type != PostType::kAttachment) {
    auto it = revisions.find(p.id);
    links["version-history"] = json::array(
        {{{"count", it == revisions.end() ? 0 : it->second}, {"href", self + "/revisions"}}});
  }
  if (p.type == PostType::kPage && p.parent_id) {
    links["up"] = Href(c.Api("pages/" + std::to_string(*p.parent_id)), true);
  }
  if (p.featured_media_id) {
    links["wp:featuredmedia"] = Href(c.Api("media/" + std::to_string(*p.featured_media_id)), true);
  }
  if (p.type != PostType::kAttachment) {
    links["wp:attachment"] = Href(c.Api("media?parent=" + std::to_string(p.id)));
  }
  if (p.type == PostType::kPost) {
    links["wp:term"] = json::array({{{"taxonomy", "category"},
                                     {"embeddable", true},
                                     {"href", c.Api("categories?post=" + std::to_string(p.id))}},
                                    {{"taxonomy", "post_tag"},
                                     {"embeddable", true},
                                     {"href", c.Api("tags?post=" + std::to_string(p.id))}}});
  }
  links["curies"] = Curies();
  j["_links"] = links;
  return j;
}

json TermJson(const Ctx& c, const content::Term& t) {
  const std::string base = t.taxonomy == content::kPostTag ? "tags" : "categories";
  json j = {{"id", t.id},
            {"count", t.count},
            {"description", t.description},
            {"link", site::Site::TermUrl(c.site, t)},
            {"name", t.name},
            {"slug", t.slug},
            {"taxonomy", t.taxonomy}};
  if (t.taxonomy == content::kCategory) j["parent"] = t.parent_id.value_or(0);
  j["meta"] = json::array();
  json links = {{"self", Href(c.Api(base + "/" + std::to_string(t.id)))},
                {"collection", Href(c.Api(base))},
                {"about", Href(c.Api("taxonomies/" + t.taxonomy))}};
  if (t.parent_id) links["up"] = Href(c.Api(base + "/" + std::to_string(*t.parent_id)), true);
  links["wp:post_type"] = Href(c.Api("posts?" + base + "=" + std::to_string(t.id)));
  links["curies"] = Curies();
  j["_links"] = links;
  return j;
}

json UserJson(const Ctx& c, const content::Author& a) {
  return {{"id", a.id},
          {"name", a.name},
          {"url", ""},
          {"description", a.bio},
          {"link", site::Site::AuthorUrl(c.site, a)},
          {"slug", a.slug},
          {"avatar_urls", AvatarUrls(c.base)},
          {"meta", json::array()},
          {"_links",
           {{"self", Href(c.Api("users/" + std::to_string(a.id)))},
            {"collection", Href(c.Api("users"))}}}};
}

json CommentJson(const Ctx& c, const content::Comment& m, const std::string& post_link) {
  json j = {{"id", m.id},
            {"post", m.post_id},
            {"parent", m.parent_id.value_or(0)},
            {"author", m.user_id.value_or(0)},
            {"author_name", m.author_name},
            {"author_url", m.author_url},
            {"date", Local(m.date_gmt, c.tenant.timezone)},
            {"date_gmt", Gmt(m.date_gmt)},
            {"content", {{"rendered", m.content + "\n"}}},
            {"link", post_link + "#comment-" + std::to_string(m.id)},
            {"status", m.status == content::CommentStatus::kApproved
                           ? "approved"
                           : std::string(content::CommentStatusName(m.status))},
            {"type", "comment"},
            {"author_avatar_urls", AvatarUrls(c.base)},
            {"meta", json::array()}};
  j["_links"] = {{"self", Href(c.Api("comments/" + std::to_string(m.id)))},
                 {"collection", Href(c.Api("comments"))},
                 {"up", json::array({{{"embeddable", true},
                                      {"post_type", "post"},
                                      {"href", c.Api("posts/" + std::to_string(m.post_id))}}})}};
  return j;
}

// ---------------------------------------------------------------- handlers

}  // namespace

content::Actor ActorFor(const Principal& p, const policy::PolicyEngine* policy) {
  content::Actor a = content::Actor::ForRole(p.user_id, p.role, p.trust_score);
  if (policy != nullptr) {
    a.can_create = policy->Permits(p.role, Permission::kCreateContent);
    a.can_edit_any = policy->Permits(p.role, Permission::kEditContent);
    a.can_review = policy->Permits(p.role, Permission::kReviewContent);
    a.can_publish = policy->Permits(p.role, Permission::kPublishContent);
  }
  return a;
}

namespace {

class Handlers {
 public:
  explicit Handlers(WpRoutesDeps deps) : d_(std::move(deps)) {}

  // The practice and the caller, as the API layer established them.
  Ctx Context(api::RequestContext& rc) {
    Ctx c;
    c.tenant = rc.tenant;
    c.base = BaseUrlFor(rc.tenant, d_.public_url());
    c.site = {rc.tenant.id, rc.tenant.name, rc.tenant.timezone, c.base};
    if (rc.principal != nullptr) c.actor = ActorFor(*rc.principal, d_.policy);
    auto context = rc.request.QueryParam("context");
    c.edit = context && *context == "edit";
    return c;
  }

  // Which taxonomy each term id belongs to, cached a couple of seconds per
  // practice (a term's taxonomy never changes; new terms show up shortly).
  std::shared_ptr<const TermIndex> Terms(int64_t tenant_id, const std::vector<const Post*>& posts) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(terms_mu_);
      auto it = terms_cache_.find(tenant_id);
      if (it != terms_cache_.end() && now - it->second.first < std::chrono::seconds(2)) {
        // A term created since the cache was filled: read them again.
        bool complete = true;
        for (const Post* p : posts) {
          for (int64_t t : p->term_ids)
            complete = complete && it->second.second->taxonomy.contains(t);
        }
        if (complete) return it->second.second;
      }
    }
    auto idx = std::make_shared<TermIndex>();
    auto rows = d_.content.db().Run([&](store::Connection& conn) {
      return conn.Query("SELECT id, taxonomy FROM content_terms WHERE tenant_id = $1", {tenant_id});
    });
    if (!rows) {
      log::Warn("wp_terms_unreadable", {{"error", rows.error().ToLogString()}});
      idx->complete = false;
      return idx;  // not remembered: the next request reads again
    }
    for (const auto& r : *rows) idx->taxonomy[r.Int(0)] = r.Text(1);
    std::lock_guard lock(terms_mu_);
    terms_cache_[tenant_id] = {now, idx};
    return idx;
  }
  std::mutex terms_mu_;
  std::map<int64_t,
           std::pair<std::chrono::steady_clock::time_point, std::shared_ptr<const TermIndex>>>
      terms_cache_;  // guarded by terms_mu_

  // Who may see a post through this API.
  static bool Visible(const Ctx& c, const Post& p) {
    if (p.status == PostStatus::kPublish && p.compliance == ComplianceLevel::kPublic) return true;
    if (p.type == PostType::kAttachment && p.status == PostStatus::kInherit &&
        p.compliance == ComplianceLevel::kPublic)
      return true;
    if (!c.actor) return false;
    // Authenticated: the policy engine (#3) decides per compliance level; here,
    // staff roles see everything of their tenant, others their own posts.
    using accounts::Role;
    const Role r = c.actor->role;
    if (r == Role::kReader) return false;
    if (r == Role::kContributor) return c.actor->user_id && p.author_id == c.actor->user_id;
    return true;
  }

  http::Response ListPosts(api::RequestContext& rc, PostType type) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (c.edit && !c.actor) {  // as WordPress: the edit context is for staff
      return WpError(401, "rest_forbidden_context",
                     "Sorry, you are not allowed to edit posts in this post type.");
    }
    ReadGeneration(c);
    Paging paging;
    if (auto bad = ReadPaging(req, paging)) return std::move(*bad);
    PostQuery q;
    q.types = {type};
    q.page = paging.page;
    q.per_page = paging.per_page;
    q.max_compliance = ComplianceLevel::kPublic;
    q.statuses = {type == PostType::kAttachment ? PostStatus::kInherit : PostStatus::kPublish};
    if (auto statuses = StringList(req, "status"); !statuses.empty()) {
      std::vector<PostStatus> wanted;
      for (const auto& s : statuses) {
        if (s == "any") {
          wanted = {PostStatus::kDraft,  PostStatus::kPending, PostStatus::kApproved,
                    PostStatus::kFuture, PostStatus::kPublish, PostStatus::kPrivate};
          continue;
        }
        auto st = content::ParsePostStatus(s);
        if (!st)
          return InvalidParam(
              "status",
              "status is not one of publish, future, draft, pending, private, trash, any.");
        wanted.push_back(*st);
        if (*st == PostStatus::kPending) wanted.push_back(PostStatus::kApproved);
      }
      const bool only_public = std::all_of(wanted.begin(), wanted.end(), [](PostStatus s) {
        return s == PostStatus::kPublish || s == PostStatus::kInherit;
      });
      if (!only_public && !c.actor) return InvalidParam("status", "Status is forbidden.");
      q.statuses = wanted;
      if (c.actor) q.max_compliance.reset();
    }
    q.search = req.QueryParam("search").value_or("");
    auto cats = IdList(req, "categories");
    auto tags = IdList(req, "tags");
    auto cats_ex = IdList(req, "categories_exclude");
    auto tags_ex = IdList(req, "tags_exclude");
    auto authors = IdList(req, "author");
    auto include = IdList(req, "include");
    auto exclude = IdList(req, "exclude");
    auto parent = IdList(req, "parent");
    if (!cats) return InvalidParam("categories", "categories[0] is not of type integer.");
    if (!tags) return InvalidParam("tags", "tags[0] is not of type integer.");
    if (!cats_ex || !tags_ex) return InvalidParam("categories_exclude", "not of type integer.");
    if (!authors) return InvalidParam("author", "author[0] is not of type integer.");
    if (!include) return InvalidParam("include", "include[0] is not of type integer.");
    if (!exclude) return InvalidParam("exclude", "exclude[0] is not of type integer.");
    if (!parent) return InvalidParam("parent", "parent[0] is not of type integer.");
    q.any_terms_a = *cats;
    q.any_terms_b = *tags;
    q.exclude_terms = *cats_ex;
    q.exclude_terms.insert(q.exclude_terms.end(), tags_ex->begin(), tags_ex->end());
    q.authors = *authors;
    q.include = *include;
    q.exclude = *exclude;
    if (!parent->empty()) q.parent = parent->front();
    q.slugs = StringList(req, "slug");
    for (const char* key : {"after", "before", "modified_after", "modified_before"}) {
      auto v = req.QueryParam(key);
      if (!v) continue;
      auto t = ParseTimestamp(*v);
      if (!t) t = FromLocalTimestamp(v->substr(0, 19), c.tenant.timezone);
      if (!t) return InvalidParam(key, std::string(key) + " is not a valid date.");
      const std::string ts = FormatTimestamp(*t);
      if (std::string_view(key) == "after") q.after = ts;
      if (std::string_view(key) == "before") q.before = ts;
    }
    if (auto sticky = req.QueryParam("sticky")) {
      if (*sticky == "true" || *sticky == "1")
        q.sticky = true;
      else if (*sticky == "false" || *sticky == "0")
        q.sticky = false;
      else
        return InvalidParam("sticky", "sticky is not of type boolean.");
    }
    if (auto order = req.QueryParam("order")) {
      if (*order != "asc" && *order != "desc")
        return InvalidParam("order", "order is not one of asc, desc.");
      q.ascending = *order == "asc";
    }
    if (auto orderby = req.QueryParam("orderby")) {
      static const std::map<std::string, content::PostOrder> kOrders = {
          {"date", content::PostOrder::kDate},
          {"modified", content::PostOrder::kModified},
          {"id", content::PostOrder::kId},
          {"title", content::PostOrder::kTitle},
          {"slug", content::PostOrder::kSlug},
          {"relevance", content::PostOrder::kRelevance},
          {"menu_order", content::PostOrder::kMenuOrder},
          {"include", content::PostOrder::kInclude},
          {"author", content::PostOrder::kDate},
          {"parent", content::PostOrder::kMenuOrder},
          {"include_slugs", content::PostOrder::kSlug}};
      auto it = kOrders.find(*orderby);
      if (it == kOrders.end())
        return InvalidParam("orderby",
                            "orderby is not one of author, date, id, include, modified, parent, "
                            "relevance, slug, include_slugs, title.");
      if (it->second == content::PostOrder::kRelevance && q.search.empty())
        return WpError(400, "rest_no_search_term_defined",
                       "You need to define a search term to order by relevance.");
      if (it->second == content::PostOrder::kInclude && q.include.empty())
        return WpError(400, "rest_orderby_include_missing_include",
                       "You need to define an include parameter to order by include.");
      q.order_by = it->second;
    } else if (type == PostType::kPage) {
      q.order_by = content::PostOrder::kDate;
    }
    // Totals and pages count only what this reader may see (Visible checks again).
    if (c.actor) q.public_or_author = c.actor->ListsLimitedTo();
    auto page = c.generation ? d_.content.List(c.tenant.id, q, *c.generation)
                             : d_.content.List(c.tenant.id, q);
    if (!page) return FromError(page.error());
    std::vector<Post> visible;
    for (auto& p : page->posts) {
      if (Visible(c, p)) visible.push_back(std::move(p));
    }
    const int64_t pages = (page->total + paging.per_page - 1) / paging.per_page;
    if (paging.page > pages && page->total > 0) {
      return WpError(400, "rest_post_invalid_page_number",
                     "The page number requested is larger than the number of pages available.");
    }
    http::Response r = JsonText(200, CollectionBody(c, req, visible));
    PaginationHeaders(r, c.base, req, page->total, paging);
    r.Set("Allow", c.actor ? "GET, POST" : "GET");
    return r;
  }

  json Collection(const Ctx& c, const http::Request& req, const std::vector<Post>& posts) {
    std::vector<const Post*> all;
    for (const auto& p : posts) all.push_back(&p);
    const Serialising s = ForSerialising(c, all);
    const auto fields = StringList(req, "_fields");
    const bool embed = req.QueryParam("_embed").has_value();
    json out = json::array();
    for (const auto& p : posts) {
      json j = PostJson(d_.content, c, p, EditContext(c, p), s.revisions, *s.terms);
      if (embed) j["_embedded"] = Embedded(c, p, *s.terms);
      out.push_back(FilterFields(std::move(j), fields));
    }
    return out;
  }

  // What PostJson needs besides the post: revision counts and term taxonomies.
  struct Serialising {
    std::unordered_map<int64_t, int64_t> revisions;
    std::shared_ptr<const TermIndex> terms;
    bool complete = true;  // false: a read failed, the JSON may lack links or terms
  };
  Serialising ForSerialising(const Ctx& c, const std::vector<const Post*>& posts) {
    Serialising s;
    std::vector<int64_t> ids;
    for (const Post* p : posts) ids.push_back(p->id);
    auto revisions = d_.content.db().Run([&](store::Connection& conn) {
      return d_.content.posts().RevisionCounts(conn, c.tenant.id, ids);
    });
    if (revisions) {
      s.revisions = std::move(*revisions);
    } else {
      log::Warn("wp_revision_counts_unreadable", {{"error", revisions.error().ToLogString()}});
      s.complete = false;
    }
    s.terms = Terms(c.tenant.id, posts);
    s.complete = s.complete && s.terms->complete;
    return s;
  }

  // Reads the practice's generation, under which serialised posts and list totals
  // are reused; before the posts are read, so nothing kept under a generation is
  // older than it.
  void ReadGeneration(Ctx& c) {
    if (auto g = d_.content.Generation(c.tenant.id)) c.generation = *g;
  }

  static std::string PostJsonKey(const Ctx& c, int64_t post_id, bool edit) {
    return fmt::format("{}:{}:{}:{}", c.tenant.id, post_id, edit ? "edit" : "view", c.base);
  }

  // Each post's JSON text, in order (what Collection would serialise without
  // _fields and _embed): kept ones when made at the practice's current generation,
  // the others serialised now and kept.
  std::vector<std::shared_ptr<const WpPostText>> PostTexts(const Ctx& c,
                                                           const std::vector<Post>& posts) {
    const bool caching = d_.post_json != nullptr && c.generation.has_value();
    std::vector<std::shared_ptr<const WpPostText>> out(posts.size());
    std::vector<std::string> keys(posts.size());
    std::vector<bool> edits(posts.size());
    std::vector<const Post*> missing;
    std::vector<size_t> slots;
    for (size_t i = 0; i < posts.size(); ++i) {
      edits[i] = EditContext(c, posts[i]);
      if (caching) {
        keys[i] = PostJsonKey(c, posts[i].id, edits[i]);
        const int64_t generation = *c.generation;
        auto kept = d_.post_json->Find(
            keys[i], [generation](const WpPostText& t) { return t.generation == generation; });
        if (kept) {
          out[i] = std::move(kept);
          continue;
        }
      }
      missing.push_back(&posts[i]);
      slots.push_back(i);
    }
    if (missing.empty()) return out;
    const Serialising s = ForSerialising(c, missing);
    for (size_t j = 0; j < missing.size(); ++j) {
      auto text = std::make_shared<WpPostText>();
      text->generation = c.generation.value_or(0);
      text->json =
          PostJson(d_.content, c, *missing[j], edits[slots[j]], s.revisions, *s.terms).dump();
      if (caching && s.complete) d_.post_json->Store(keys[slots[j]], text, text->json.size());
      out[slots[j]] = std::move(text);
    }
    return out;
  }

  // The body of a list: the posts' JSON texts joined into an array, or, with
  // _fields or _embed, the array built and serialised for this request.
  std::string CollectionBody(const Ctx& c, const http::Request& req,
                             const std::vector<Post>& posts) {
    if (req.QueryParam("_fields") || req.QueryParam("_embed"))
      return Collection(c, req, posts).dump();
    const auto texts = PostTexts(c, posts);
    size_t size = 2;
    for (const auto& t : texts) size += t->json.size() + 1;
    std::string body;
    body.reserve(size);
    body += '[';
    for (size_t i = 0; i < texts.size(); ++i) {
      if (i > 0) body += ',';
      body += texts[i]->json;
    }
    body += ']';
    return body;
  }

  json Embedded(const Ctx& c, const Post& p, const TermIndex&) {
    json e = json::object();
    if (p.author_id) {
      auto a = d_.content.db().Run([&](store::Connection& conn) {
        return d_.content.authors().Get(conn, c.tenant.id, *p.author_id);
      });
      if (a) e["author"] = json::array({UserJson(c, *a)});
    }
    if (p.featured_media_id) {
      auto m = d_.content.Get(c.tenant.id, *p.featured_media_id);
      if (m && Visible(c, *m))
        e["wp:featuredmedia"] =
            json::array({PostJson(d_.content, c, *m, EditContext(c, *m), {}, {})});
    }
    if (p.type == PostType::kPost) {
      json cats = json::array(), tags = json::array();
      d_.content.db().Run([&](store::Connection& conn) -> Status {
        for (int64_t t : p.term_ids) {
          auto term = d_.content.terms().Get(conn, c.tenant.id, t);
          if (!term) continue;
          if (term->taxonomy == content::kCategory) cats.push_back(TermJson(c, *term));
          if (term->taxonomy == content::kPostTag) tags.push_back(TermJson(c, *term));
        }
        return Ok();
      });
      e["wp:term"] = json::array({cats, tags});
    }
    return e;
  }

  http::Response GetPost(api::RequestContext& rc, PostType type) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto id = ParseInt(req.PathParam("id"));
    const char* invalid = type == PostType::kPage ? "rest_post_invalid_id" : "rest_post_invalid_id";
    if (!id) return WpError(404, invalid, "Invalid post ID.");
    ReadGeneration(c);
    auto p = d_.content.Get(c.tenant.id, *id);
    if (!p || p->type != type || (p->status == PostStatus::kTrash && !c.actor)) {
      return WpError(404, invalid, "Invalid post ID.");
    }
    if (!Visible(c, *p)) {
      return c.actor ? WpError(403, "rest_forbidden", "Sorry, you are not allowed to do that.")
                     : WpError(401, "rest_forbidden", "Sorry, you are not allowed to do that.");
    }
    if (c.edit && !EditContext(c, *p)) {
      // As WordPress: the edit context (the source as written) only for who may edit.
      return WpError(c.actor ? 403 : 401, "rest_forbidden_context",
                     "Sorry, you are not allowed to edit this post.");
    }
    std::vector<Post> one = {*p};
    http::Response r;
    if (req.QueryParam("_fields") || req.QueryParam("_embed")) {
      r = JsonOk(200, Collection(c, req, one)[0]);
    } else {
      // The kept text goes out as it is (no copy).
      auto text = PostTexts(c, one)[0];
      r = JsonText(200, "");
      r.shared_body = std::shared_ptr<const std::string>(text, &text->json);
    }
    if (type != PostType::kAttachment) {
      r.Set("Link", "<" + site::Site::PostUrl(c.site, *p) + ">; rel=\"alternate\"; type=text/html");
    }
    r.Set("Allow", c.actor ? "GET, POST, PUT, PATCH, DELETE" : "GET");
    return r;
  }

  http::Response ListTerms(api::RequestContext& rc, std::string taxonomy) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    Paging paging;
    if (auto bad = ReadPaging(req, paging)) return std::move(*bad);
    content::TermQuery q;
    q.taxonomy = taxonomy;
    q.page = paging.page;
    q.per_page = paging.per_page;
    q.search = req.QueryParam("search").value_or("");
    auto include = IdList(req, "include");
    auto exclude = IdList(req, "exclude");
    if (!include) return InvalidParam("include", "include[0] is not of type integer.");
    if (!exclude) return InvalidParam("exclude", "exclude[0] is not of type integer.");
    q.include = *include;
    q.exclude = *exclude;
    q.slugs = StringList(req, "slug");
    if (auto v = req.QueryParam("parent")) {
      auto n = ParseInt(*v);
      if (!n) return InvalidParam("parent", "parent is not of type integer.");
      q.parent = *n;
    }
    if (auto v = req.QueryParam("post")) {
      auto n = ParseInt(*v);
      if (!n) return InvalidParam("post", "post is not of type integer.");
      auto p = d_.content.Get(c.tenant.id, *n);
      if (!p || !Visible(c, *p)) return WpError(404, "rest_post_invalid_id", "Invalid post ID.");
      q.post_id = *n;
    }
    if (auto v = req.QueryParam("hide_empty")) q.hide_empty = *v == "true" || *v == "1";
    if (auto v = req.QueryParam("order")) {
      if (*v != "asc" && *v != "desc")
        return InvalidParam("order", "order is not one of asc, desc.");
      q.ascending = *v == "asc";
    }
    if (auto v = req.QueryParam("orderby")) {
      if (*v != "id" && *v != "include" && *v != "name" && *v != "slug" && *v != "include_slugs" &&
          *v != "term_group" && *v != "description" && *v != "count")
        return InvalidParam("orderby",
                            "orderby is not one of id, include, name, slug, include_slugs, "
                            "term_group, description, count.");
      q.order_by = *v == "include" ? "id" : *v == "include_slugs" ? "slug" : *v;
    }
    auto page = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.terms().List(conn, c.tenant.id, q); });
    if (!page) return FromError(page.error());
    const int64_t pages = (page->total + paging.per_page - 1) / paging.per_page;
    if (paging.page > pages && page->total > 0) {
      return WpError(400, "rest_term_invalid_page_number",
                     "The page number requested is larger than the number of pages available.");
    }
    const auto fields = StringList(req, "_fields");
    json out = json::array();
    for (const auto& t : page->terms) out.push_back(FilterFields(TermJson(c, t), fields));
    http::Response r = JsonOk(200, out);
    PaginationHeaders(r, c.base, req, page->total, paging);
    return r;
  }

  http::Response GetTerm(api::RequestContext& rc, std::string taxonomy) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_term_invalid", "Term does not exist.");
    auto t = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.terms().Get(conn, c.tenant.id, *id); });
    if (!t || t->taxonomy != taxonomy)
      return WpError(404, "rest_term_invalid", "Term does not exist.");
    return JsonOk(200, FilterFields(TermJson(c, *t), StringList(req, "_fields")));
  }

  http::Response ListUsers(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    Paging paging;
    if (auto bad = ReadPaging(req, paging)) return std::move(*bad);
    auto all = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.authors().List(conn, c.tenant.id); });
    if (!all) return FromError(all.error());
    const auto slugs = StringList(req, "slug");
    std::vector<content::Author> filtered;
    for (auto& a : *all) {
      if (!slugs.empty() && std::find(slugs.begin(), slugs.end(), a.slug) == slugs.end()) continue;
      filtered.push_back(std::move(a));
    }
    std::sort(filtered.begin(), filtered.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    const auto fields = StringList(req, "_fields");
    json out = json::array();
    const size_t from = static_cast<size_t>((paging.page - 1) * paging.per_page);
    for (size_t i = from; i < filtered.size() && i < from + static_cast<size_t>(paging.per_page);
         ++i)
      out.push_back(FilterFields(UserJson(c, filtered[i]), fields));
    http::Response r = JsonOk(200, out);
    PaginationHeaders(r, c.base, req, static_cast<int64_t>(filtered.size()), paging);
    return r;
  }

  http::Response GetUser(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_user_invalid_id", "Invalid user ID.");
    // Only people who published something are public, as in WordPress.
    auto authors = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.authors().List(conn, c.tenant.id); });
    if (!authors) return FromError(authors.error());
    for (const auto& a : *authors) {
      if (a.id == *id) return JsonOk(200, FilterFields(UserJson(c, a), StringList(req, "_fields")));
    }
    if (c.actor) {
      auto a = d_.content.db().Run([&](store::Connection& conn) {
        return d_.content.authors().Get(conn, c.tenant.id, *id);
      });
      if (a) return JsonOk(200, UserJson(c, *a));
    }
    return WpError(c.actor ? 404 : 401, c.actor ? "rest_user_invalid_id" : "rest_user_cannot_view",
                   c.actor ? "Invalid user ID." : "Sorry, you are not allowed to list users.");
  }

  http::Response Me(api::RequestContext& rc) {
    Ctx c = Context(rc);
    if (!c.actor || !c.actor->user_id) {
      return WpError(401, "rest_not_logged_in", "You are not currently logged in.");
    }
    auto a = d_.content.db().Run([&](store::Connection& conn) {
      return d_.content.authors().Get(conn, c.tenant.id, *c.actor->user_id);
    });
    if (!a) return FromError(a.error());
    return JsonOk(200, UserJson(c, *a));
  }

  http::Response ListComments(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    Paging paging;
    if (auto bad = ReadPaging(req, paging)) return std::move(*bad);
    auto posts = IdList(req, "post");
    if (!posts) return InvalidParam("post", "post[0] is not of type integer.");
    content::CommentQuery q{.posts = *posts, .page = paging.page, .per_page = paging.per_page};
    if (auto v = req.QueryParam("order")) q.ascending = *v == "asc";
    if (auto v = req.QueryParam("status"); v && *v != "approve" && *v != "approved") {
      if (!c.actor) return InvalidParam("status", "Query parameter not permitted: status");
      auto st = content::ParseCommentStatus(*v);
      if (!st) return InvalidParam("status", "invalid status");
      q.statuses = {*st};
    }
    // Only comments on content the caller can see.
    q.only_public_posts = !c.actor.has_value();
    auto page = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.comments().List(conn, c.tenant.id, q); });
    if (!page) return FromError(page.error());
    std::unordered_map<int64_t, std::string> links;
    json out = json::array();
    const auto fields = StringList(req, "_fields");
    for (const auto& m : page->comments) {
      if (!links.contains(m.post_id)) {
        auto p = d_.content.Get(c.tenant.id, m.post_id);
        links[m.post_id] = p ? site::Site::PostUrl(c.site, *p) : c.base + "/";
      }
      out.push_back(FilterFields(CommentJson(c, m, links[m.post_id]), fields));
    }
    http::Response r = JsonOk(200, out);
    PaginationHeaders(r, c.base, req, page->total, paging);
    return r;
  }

  http::Response GetComment(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_comment_invalid_id", "Invalid comment ID.");
    auto m = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.comments().Get(conn, c.tenant.id, *id); });
    if (!m) return WpError(404, "rest_comment_invalid_id", "Invalid comment ID.");
    auto p = d_.content.Get(c.tenant.id, m->post_id);
    if (!p || !Visible(c, *p) || (m->status != content::CommentStatus::kApproved && !c.actor)) {
      return WpError(404, "rest_comment_invalid_id", "Invalid comment ID.");
    }
    return JsonOk(200, CommentJson(c, *m, site::Site::PostUrl(c.site, *p)));
  }

  http::Response Search(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    Paging paging;
    if (auto bad = ReadPaging(req, paging)) return std::move(*bad);
    if (auto type = req.QueryParam("type"); type && *type != "post") {
      return InvalidParam("type", "type is not one of post.");
    }
    PostQuery q;
    q.types = {PostType::kPost, PostType::kPage};
    if (auto sub = req.QueryParam("subtype"); sub && *sub != "any") {
      auto t = content::ParsePostType(*sub);
      if (!t || *t == PostType::kAttachment)
        return InvalidParam("subtype", "subtype is not one of post, page, any.");
      q.types = {*t};
    }
    q.max_compliance = ComplianceLevel::kPublic;
    q.search = req.QueryParam("search").value_or("");
    q.order_by = q.search.empty() ? content::PostOrder::kDate : content::PostOrder::kRelevance;
    q.page = paging.page;
    q.per_page = paging.per_page;
    auto page = d_.content.List(c.tenant.id, q);
    if (!page) return FromError(page.error());
    json out = json::array();
    const auto fields = StringList(req, "_fields");
    for (const auto& p : page->posts) {
      const std::string base = std::string(RestBase(p.type));
      json j = {{"id", p.id},
                {"title", content::HtmlToText(p.title)},
                {"url", site::Site::PostUrl(c.site, p)},
                {"type", "post"},
                {"subtype", content::PostTypeName(p.type)},
                {"_links",
                 {{"self", Href(c.Api(base + "/" + std::to_string(p.id)), true)},
                  {"about", Href(c.Api("types/" + std::string(content::PostTypeName(p.type))))},
                  {"collection", Href(c.Api("search"))}}}};
      out.push_back(FilterFields(std::move(j), fields));
    }
    http::Response r = JsonOk(200, out);
    PaginationHeaders(r, c.base, req, page->total, paging);
    return r;
  }

  http::Response Index(api::RequestContext& rc) {
    Ctx c = Context(rc);
    json routes = json::object();
    auto route = [&](const std::string& path, std::vector<std::string> methods) {
      routes[path] = {
          {"namespace", path == "/" ? "" : "wp/v2"},
          {"methods", methods},
          {"endpoints", json::array({{{"methods", methods}, {"args", json::object()}}})}};
    };
    route("/", {"GET"});
    for (const char* base : {"posts", "pages", "media", "categories", "tags", "comments"}) {
      route(std::string("/wp/v2/") + base, {"GET", "POST"});
      route(std::string("/wp/v2/") + base + "/(?P<id>[\\d]+)",
            {"GET", "POST", "PUT", "PATCH", "DELETE"});
    }
    route("/wp/v2/users", {"GET"});
    route("/wp/v2/users/(?P<id>[\\d]+)", {"GET"});
    route("/wp/v2/users/me", {"GET"});
    route("/wp/v2/search", {"GET"});
    route("/wp/v2/posts/(?P<parent>[\\d]+)/revisions", {"GET"});
    auto now = ToLocalTime(d_.content.clock().Now(), c.tenant.timezone);
    json body = {
        {"name", c.tenant.name},
        {"description", ""},
        {"url", c.base},
        {"home", c.base},
        {"gmt_offset", now ? now->utc_offset_minutes / 60 : 0},
        {"timezone_string", c.tenant.timezone},
        {"namespaces", json::array({"wp/v2"})},
        {"authentication",
         {{"application-passwords",
           {{"endpoints", {{"authorization", c.base + "/wp-admin/authorize-application.php"}}}}}}},
        {"routes", routes},
        {"_links",
         {{"help", json::array({{{"href", "https://developer.wordpress.org/rest-api/"}}})}}}};
    return JsonOk(200, body);
  }

  http::Response Revisions(api::RequestContext& rc) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (!c.actor) {
      return WpError(401, "rest_cannot_read",
                     "Sorry, you are not allowed to view revisions of this post.");
    }
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_post_invalid_parent", "Invalid post parent ID.");
    auto p = d_.content.Get(c.tenant.id, *id);
    if (!p || !Visible(c, *p))
      return WpError(404, "rest_post_invalid_parent", "Invalid post parent ID.");
    auto revs = d_.content.Revisions(c.tenant.id, *id);
    if (!revs) return FromError(revs.error());
    json out = json::array();
    for (const auto& r : *revs) {
      out.push_back({{"author", r.author_id.value_or(0)},
                     {"date", Local(r.created_at, c.tenant.timezone)},
                     {"date_gmt", Gmt(r.created_at)},
                     {"id", r.id},
                     {"modified", Local(r.created_at, c.tenant.timezone)},
                     {"modified_gmt", Gmt(r.created_at)},
                     {"parent", *id},
                     {"slug", std::to_string(*id) + "-revision-v1"},
                     {"guid", {{"rendered", c.base + "/?p=" + std::to_string(r.id)}}},
                     {"title", {{"rendered", r.title}}},
                     {"content", {{"rendered", content::SanitizeHtml(r.content)}}},
                     {"excerpt", {{"rendered", r.excerpt}}}});
    }
    return JsonOk(200, out);
  }

  // ---------------------------------------------------------------- writes

  http::Response NeedAuth(const Ctx&) {
    return WpError(401, "rest_cannot_create",
                   "Sorry, you are not allowed to create posts as this user.");
  }

  // Reads a WordPress post body into our input; an error response on bad input.
  std::optional<http::Response> ReadPostBody(const json& b, content::PostInput& in,
                                             std::optional<std::string>& status, PostType type) {
    auto text = [&](const char* key, std::optional<std::string>& out) -> bool {
      if (!b.contains(key)) return true;
      const json& v = b[key];
      if (v.is_string()) {
        out = v.get<std::string>();
        return true;
      }
      if (v.is_object() && v.contains("raw") && v["raw"].is_string()) {
        out = v["raw"].get<std::string>();
        return true;
      }
      return false;
    };
    if (!text("title", in.title)) return InvalidParam("title", "title is not of type string.");
    if (!text("content", in.content))
      return InvalidParam("content", "content is not of type string.");
    if (!text("excerpt", in.excerpt))
      return InvalidParam("excerpt", "excerpt is not of type string.");
    if (b.contains("slug")) {
      if (!b["slug"].is_string()) return InvalidParam("slug", "slug is not of type string.");
      in.slug = b["slug"].get<std::string>();
    }
    if (b.contains("status")) {
      if (!b["status"].is_string()) return InvalidParam("status", "status is not of type string.");
      status = b["status"].get<std::string>();
      static const std::set<std::string> kAllowed = {"draft", "pending", "publish", "future",
                                                     "private"};
      if (!kAllowed.contains(*status)) {
        return InvalidParam("status",
                            "status is not one of publish, future, draft, pending, private.");
      }
    }
    for (const char* key : {"comment_status", "ping_status"}) {
      if (!b.contains(key)) continue;
      if (!b[key].is_string() || (b[key] != "open" && b[key] != "closed"))
        return InvalidParam(key, std::string(key) + " is not one of open, closed.");
      if (std::string_view(key) == "comment_status")
        in.comments_open = b[key] == "open";
      else
        in.pings_open = b[key] == "open";
    }
    if (b.contains("sticky")) {
      if (!b["sticky"].is_boolean())
        return InvalidParam("sticky", "sticky is not of type boolean.");
      in.sticky = b["sticky"].get<bool>();
    }
    auto int_field = [&](const char* key, auto setter) -> std::optional<http::Response> {
      if (!b.contains(key)) return std::nullopt;
      if (!b[key].is_number_integer() || b[key].get<int64_t>() < 0)
        return InvalidParam(key, std::string(key) + " is not of type integer.");
      setter(b[key].get<int64_t>());
      return std::nullopt;
    };
    if (auto e = int_field("author", [&](int64_t v) { in.author_id = v; })) return e;
    if (auto e = int_field("featured_media", [&](int64_t v) {
          in.featured_media_id = v == 0 ? std::optional<int64_t>() : std::optional<int64_t>(v);
        }))
      return e;
    if (type == PostType::kPage) {
      if (auto e = int_field("parent", [&](int64_t v) {
            in.parent_id = v == 0 ? std::optional<int64_t>() : std::optional<int64_t>(v);
          }))
        return e;
      if (auto e = int_field("menu_order", [&](int64_t v) { in.menu_order = v; })) return e;
    }
    for (const char* key : {"date_gmt", "date"}) {
      if (!b.contains(key) || b[key].is_null()) continue;
      if (!b[key].is_string())
        return InvalidParam(key, std::string(key) + " is not of type string.");
      std::string v = b[key].get<std::string>();
      auto t = ParseTimestamp(std::string_view(key) == "date_gmt" && v.size() == 19 ? v + "Z" : v);
      if (!t && std::string_view(key) == "date") t = FromLocalTimestamp(v.substr(0, 19), tz_);
      if (!t) return InvalidParam(key, "Invalid date.");
      in.date_gmt = FormatTimestamp(*t);
      break;
    }
    if (type == PostType::kPost) {
      std::vector<int64_t> terms;
      bool any = false;
      for (const char* key : {"categories", "tags"}) {
        if (!b.contains(key)) continue;
        any = true;
        if (!b[key].is_array())
          return InvalidParam(key, std::string(key) + " is not of type array.");
        for (const auto& v : b[key]) {
          if (!v.is_number_integer())
            return InvalidParam(key, std::string(key) + "[0] is not of type integer.");
          terms.push_back(v.get<int64_t>());
        }
      }
      if (any) terms_replace_ = std::move(terms);
    }
    return std::nullopt;
  }

  http::Response WritePost(api::RequestContext& rc, PostType type, bool create) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (!c.actor) {
      return create ? NeedAuth(c)
                    : WpError(401, "rest_cannot_edit",
                              "Sorry, you are not allowed to edit this post.");
    }
    json body;
    try {
      body = req.body.empty() ? json::object() : json::parse(req.body);
    } catch (const json::exception&) {
      return WpError(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    if (!body.is_object()) return WpError(400, "rest_invalid_json", "Invalid JSON body passed.");
    content::PostInput in;
    std::optional<std::string> status;
    tz_ = c.tenant.timezone;
    terms_replace_.reset();
    if (auto bad = ReadPostBody(body, in, status, type)) return std::move(*bad);
    const Actor& actor = *c.actor;
    Result<Post> saved = std::unexpected(Error(ErrorKind::kInternal, "unset"));
    std::optional<int64_t> existing_id;
    if (create) {
      if (body.contains("id")) return InvalidParam("id", "Cannot create existing post.");
      saved = d_.content.Create(c.tenant.id, type, in, actor);
    } else {
      existing_id = ParseInt(req.PathParam("id"));
      if (!existing_id) return WpError(404, "rest_post_invalid_id", "Invalid post ID.");
      auto current = d_.content.Get(c.tenant.id, *existing_id);
      if (!current || current->type != type)
        return WpError(404, "rest_post_invalid_id", "Invalid post ID.");
      if (!Visible(c, *current))
        return WpError(403, "rest_cannot_edit", "Sorry, you are not allowed to edit this post.");
      saved = d_.content.Update(c.tenant.id, *existing_id, in, actor);
    }
    if (!saved) return FromError(saved.error());
    if (terms_replace_) {
      auto tagged = d_.content.Update(c.tenant.id, saved->id, {.term_ids = *terms_replace_}, actor);
      if (!tagged) return FromError(tagged.error());
      saved = std::move(tagged);
    }
    if (status && *status != WpStatus(saved->status)) {
      auto moved = MoveTo(c, *saved, *status, in.date_gmt);
      if (!moved) {
        // A new post stays as the draft it is; say why the status was refused.
        return FromError(moved.error());
      }
      saved = std::move(moved);
    }
    std::vector<Post> one = {*saved};
    json arr = Collection(c, req, one);
    http::Response r = JsonOk(create ? 201 : 200, arr[0]);
    if (create)
      r.Set("Location", c.Api(std::string(RestBase(type)) + "/" + std::to_string(saved->id)));
    return r;
  }

  // WordPress statuses map onto workflow transitions; the workflow decides.
  Result<Post> MoveTo(const Ctx& c, const Post& p, const std::string& status,
                      const std::optional<std::string>& date) {
    auto& wf = d_.content.workflow();
    const Actor& a = *c.actor;
    using content::Action;
    if (status == "draft") {
      if (p.status == PostStatus::kPublish || p.status == PostStatus::kPrivate)
        return wf.Apply(c.tenant.id, p.id, Action::kUnpublish, a);
      if (p.status == PostStatus::kFuture) {
        HCMS_TRY(Post q, wf.Apply(c.tenant.id, p.id, Action::kUnschedule, a));
        return wf.Apply(c.tenant.id, q.id, Action::kReject, a, {.comment = "Voltou a rascunho."});
      }
      return wf.Apply(c.tenant.id, p.id, Action::kReject, a, {.comment = "Voltou a rascunho."});
    }
    if (status == "pending") return wf.Apply(c.tenant.id, p.id, Action::kSubmit, a);
    if (status == "private") return wf.Apply(c.tenant.id, p.id, Action::kMakePrivate, a);
    if (status == "future") {
      return wf.Apply(c.tenant.id, p.id, Action::kSchedule, a,
                      {.date_gmt = date ? date : std::optional<std::string>(p.date_gmt)});
    }
    if (status == "publish") {
      if (p.status != PostStatus::kApproved && p.status != PostStatus::kPrivate) {
        return std::unexpected(Error(ErrorKind::kPermissionDenied, "review_required",
                                     "Publicar exige revisão: envie para revisão (pending) e "
                                     "aguarde a aprovação de um revisor."));
      }
      return wf.Apply(c.tenant.id, p.id, Action::kPublish, a);
    }
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "invalid_status"));
  }

  http::Response DeletePost(api::RequestContext& rc, PostType type) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (!c.actor)
      return WpError(401, "rest_cannot_delete", "Sorry, you are not allowed to delete this post.");
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_post_invalid_id", "Invalid post ID.");
    auto p = d_.content.Get(c.tenant.id, *id);
    if (!p || p->type != type || !Visible(c, *p))
      return WpError(404, "rest_post_invalid_id", "Invalid post ID.");
    const auto force = req.QueryParam("force");
    const bool forced = force && (*force == "true" || *force == "1");
    std::vector<Post> one = {*p};
    json previous = Collection(c, req, one)[0];
    if (forced || type == PostType::kAttachment) {
      if (!forced) {
        return WpError(501, "rest_trash_not_supported",
                       "The post does not support trashing. Set 'force=true' to delete.");
      }
      auto s = d_.content.Delete(c.tenant.id, *id, *c.actor, true);
      if (!s) return FromError(s.error());
      return JsonOk(200, {{"deleted", true}, {"previous", previous}});
    }
    if (p->status == PostStatus::kTrash) {
      return WpError(410, "rest_already_trashed", "The post has already been deleted.");
    }
    auto trashed = d_.content.workflow().Apply(c.tenant.id, *id, content::Action::kTrash, *c.actor);
    if (!trashed) return FromError(trashed.error());
    one = {*trashed};
    return JsonOk(200, Collection(c, req, one)[0]);
  }

  http::Response WriteTerm(api::RequestContext& rc, std::string taxonomy, bool create) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (!c.actor || c.actor->role == accounts::Role::kReader ||
        c.actor->role == accounts::Role::kContributor) {
      return WpError(c.actor ? 403 : 401, "rest_cannot_create",
                     "Sorry, you are not allowed to create terms in this taxonomy.");
    }
    json b;
    try {
      b = req.body.empty() ? json::object() : json::parse(req.body);
    } catch (const json::exception&) {
      return WpError(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    if (!b.is_object()) return WpError(400, "rest_invalid_json", "Invalid JSON body passed.");
    content::TermInput in{.taxonomy = taxonomy};
    std::optional<content::Term> current;
    if (!create) {
      auto id = ParseInt(req.PathParam("id"));
      auto t = id ? d_.content.db().Run([&](store::Connection& conn) {
        return d_.content.terms().Get(conn, c.tenant.id, *id);
      })
                  : Result<content::Term>(std::unexpected(Error(ErrorKind::kNotFound, "x")));
      if (!t || t->taxonomy != taxonomy)
        return WpError(404, "rest_term_invalid", "Term does not exist.");
      current = *t;
      in.name = t->name;
      in.description = t->description;
      in.parent_id = t->parent_id;
    }
    if (b.contains("name")) {
      if (!b["name"].is_string()) return InvalidParam("name", "name is not of type string.");
      in.name = b["name"].get<std::string>();
    } else if (create) {
      return WpError(400, "rest_missing_callback_param", "Missing parameter(s): name",
                     {{"params", json::array({"name"})}});
    }
    if (b.contains("slug")) {
      if (!b["slug"].is_string()) return InvalidParam("slug", "slug is not of type string.");
      in.slug = b["slug"].get<std::string>();
    }
    if (b.contains("description")) {
      if (!b["description"].is_string())
        return InvalidParam("description", "description is not of type string.");
      in.description = b["description"].get<std::string>();
    }
    if (b.contains("parent") && taxonomy == content::kCategory) {
      if (!b["parent"].is_number_integer())
        return InvalidParam("parent", "parent is not of type integer.");
      const int64_t parent = b["parent"].get<int64_t>();
      in.parent_id = parent == 0 ? std::optional<int64_t>() : std::optional<int64_t>(parent);
    }
    auto saved = d_.content.db().Transact([&](store::Connection& conn) {
      return create ? d_.content.terms().Create(conn, c.tenant.id, in)
                    : d_.content.terms().Update(conn, c.tenant.id, current->id, in);
    });
    if (!saved) {
      if (saved.error().code() == "term_exists") {
        return WpError(400, "term_exists",
                       "A term with the name provided already exists with this parent.");
      }
      return FromError(saved.error());
    }
    return JsonOk(create ? 201 : 200, TermJson(c, *saved));
  }

  http::Response DeleteTerm(api::RequestContext& rc, std::string taxonomy) {
    const http::Request& req = rc.request;
    Ctx c = Context(rc);
    if (!c.actor || c.actor->role == accounts::Role::kReader ||
        c.actor->role == accounts::Role::kContributor) {
      return WpError(c.actor ? 403 : 401, "rest_cannot_delete",
                     "Sorry, you are not allowed to delete this term.");
    }
    auto id = ParseInt(req.PathParam("id"));
    if (!id) return WpError(404, "rest_term_invalid", "Term does not exist.");
    const auto force = req.QueryParam("force");
    if (!force || (*force != "true" && *force != "1")) {
      return WpError(501, "rest_trash_not_supported",
                     "Terms do not support trashing. Set 'force=true' to delete.");
    }
    auto previous = d_.content.db().Run(
        [&](store::Connection& conn) { return d_.content.terms().Get(conn, c.tenant.id, *id); });
    if (!previous || previous->taxonomy != taxonomy)
      return WpError(404, "rest_term_invalid", "Term does not exist.");
    auto s = d_.content.db().Transact([&](store::Connection& conn) -> Status {
      return d_.content.terms().Delete(conn, c.tenant.id, *id);
    });
    if (!s) return FromError(s.error());
    return JsonOk(200, {{"deleted", true}, {"previous", TermJson(c, *previous)}});
  }

  WpRoutesDeps d_;
  // Per-request scratch, only touched on the handling thread: each request
  // gets its own Api call sequence, so these are reset at the start of a write.
  static thread_local std::string tz_;
  static thread_local std::optional<std::vector<int64_t>> terms_replace_;
};

thread_local std::string Handlers::tz_;
thread_local std::optional<std::vector<int64_t>> Handlers::terms_replace_;

}  // namespace

void AddWpRoutes(api::Api& api, WpRoutesDeps deps) {
  auto h = std::make_shared<Handlers>(std::move(deps));
  using M = http::Method;
  using P = api::Permission;
  auto add = [&](M m, std::string pattern, P permission,
                 std::function<http::Response(api::RequestContext&)> fn) {
    // Anonymous reads are the same for every anonymous client (users/me is not a read
    // of content: it answers who is calling).
    const bool cacheable =
        m == M::kGet && permission == P::kPublic && pattern != "/wp-json/wp/v2/users/me";
    api.Add({.method = m,
             .pattern = std::move(pattern),
             .resource_class =
                 permission == P::kPublic ? ResourceClass::kPublic : ResourceClass::kInternal,
             .permission = permission,
             .handler = [fn = std::move(fn)](api::RequestContext& rc) -> Result<http::Response> {
               return fn(rc);
             },
             .public_cache = cacheable});
  };
  add(M::kGet, "/wp-json", P::kPublic, [h](api::RequestContext& r) { return h->Index(r); });
  add(M::kGet, "/wp-json/wp/v2", P::kPublic, [h](api::RequestContext& r) { return h->Index(r); });
  struct PostKind {
    const char* base;
    PostType type;
  };
  for (PostKind k : {PostKind{"posts", PostType::kPost}, PostKind{"pages", PostType::kPage},
                     PostKind{"media", PostType::kAttachment}}) {
    const std::string base = std::string("/wp-json/wp/v2/") + k.base;
    const PostType t = k.type;
    add(M::kGet, base, P::kPublic, [h, t](api::RequestContext& r) { return h->ListPosts(r, t); });
    add(M::kGet, base + "/{id}", P::kPublic,
        [h, t](api::RequestContext& r) { return h->GetPost(r, t); });
    if (t != PostType::kAttachment) {
      add(M::kPost, base, P::kCreateContent,
          [h, t](api::RequestContext& r) { return h->WritePost(r, t, true); });
      for (M m : {M::kPost, M::kPut, M::kPatch}) {
        add(m, base + "/{id}", P::kCreateContent,
            [h, t](api::RequestContext& r) { return h->WritePost(r, t, false); });
      }
      add(M::kGet, base + "/{id}/revisions", P::kReadContent,
          [h](api::RequestContext& r) { return h->Revisions(r); });
    }
    add(M::kDelete, base + "/{id}", P::kCreateContent,
        [h, t](api::RequestContext& r) { return h->DeletePost(r, t); });
  }
  struct TermKind {
    const char* base;
    std::string_view taxonomy;
  };
  for (TermKind k :
       {TermKind{"categories", content::kCategory}, TermKind{"tags", content::kPostTag}}) {
    const std::string base = std::string("/wp-json/wp/v2/") + k.base;
    const std::string tax(k.taxonomy);
    add(M::kGet, base, P::kPublic,
        [h, tax](api::RequestContext& r) { return h->ListTerms(r, tax); });
    add(M::kGet, base + "/{id}", P::kPublic,
        [h, tax](api::RequestContext& r) { return h->GetTerm(r, tax); });
    add(M::kPost, base, P::kEditContent,
        [h, tax](api::RequestContext& r) { return h->WriteTerm(r, tax, true); });
    for (M m : {M::kPost, M::kPut, M::kPatch}) {
      add(m, base + "/{id}", P::kEditContent,
          [h, tax](api::RequestContext& r) { return h->WriteTerm(r, tax, false); });
    }
    add(M::kDelete, base + "/{id}", P::kEditContent,
        [h, tax](api::RequestContext& r) { return h->DeleteTerm(r, tax); });
  }
  add(M::kGet, "/wp-json/wp/v2/comments", P::kPublic,
      [h](api::RequestContext& r) { return h->ListComments(r); });
  add(M::kGet, "/wp-json/wp/v2/comments/{id}", P::kPublic,
      [h](api::RequestContext& r) { return h->GetComment(r); });
  add(M::kGet, "/wp-json/wp/v2/users", P::kPublic,
      [h](api::RequestContext& r) { return h->ListUsers(r); });
  // users/me answers WordPress's own 401 for anonymous callers, so it is public here.
  add(M::kGet, "/wp-json/wp/v2/users/me", P::kPublic,
      [h](api::RequestContext& r) { return h->Me(r); });
  add(M::kGet, "/wp-json/wp/v2/users/{id}", P::kPublic,
      [h](api::RequestContext& r) { return h->GetUser(r); });
  add(M::kGet, "/wp-json/wp/v2/search", P::kPublic,
      [h](api::RequestContext& r) { return h->Search(r); });
  // Anything else under /wp-json: WordPress's "no route" error, not our problem+json.
  for (M m : {M::kGet, M::kPost, M::kPut, M::kPatch, M::kDelete}) {
    add(m, "/wp-json/{rest*}", P::kPublic, [h, m](api::RequestContext& r) {
      if (m == M::kGet && r.request.PathParam("rest").empty()) return h->Index(r);  // "/wp-json/"
      return WpError(404, "rest_no_route",
                     "No route was found matching the URL and request method.");
    });
  }
}

}  // namespace hcms::api
