#include "api/public_site_routes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "api/public_cache.h"
#include "api/wp_routes.h"
#include "http/problem.h"

namespace hcms::api {

namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; img-src 'self' https: data:; media-src 'self' https:; "
    "style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";

// "a=1&b=2" -> map, decoded.
std::map<std::string, std::string> ParseQuery(std::string_view q) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < q.size()) {
    size_t amp = q.find('&', i);
    if (amp == std::string_view::npos) amp = q.size();
    const std::string_view pair = q.substr(i, amp - i);
    const size_t eq = pair.find('=');
    std::string key = http::PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1), true);
    if (!key.empty() && !out.contains(key)) out.emplace(std::move(key), std::move(value));
    i = amp + 1;
  }
  return out;
}

std::string_view MimeFor(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "pdf") return "application/pdf";
  if (ext == "mp4") return "video/mp4";
  if (ext == "mp3") return "audio/mpeg";
  return "application/octet-stream";
}

}  // namespace

void AddPublicSiteRoutes(Api& api, PublicSiteDeps deps) {
  auto d = std::make_shared<PublicSiteDeps>(std::move(deps));
  api.Add({.method = http::Method::kGet,
           .pattern = "/media/{path*}",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [d](RequestContext& rc) -> Result<http::Response> {
             http::Request& req = rc.request;
             const std::string rel(req.PathParam("path"));
             if (rel.empty() || rel.find("..") != std::string::npos ||
                 rel.find('\0') != std::string::npos || rel.front() == '/') {
               return http::Problem(req, 404, "not_found");
             }
             const std::filesystem::path file =
                 std::filesystem::path(d->media_dir) / std::to_string(rc.tenant.id) / rel;
             std::error_code ec;
             if (!std::filesystem::is_regular_file(file, ec)) {
               return http::Problem(req, 404, "not_found");
             }
             std::ifstream in(file, std::ios::binary);
             std::stringstream ss;
             ss << in.rdbuf();
             http::Response r(200, std::string(MimeFor(rel)), ss.str());
             r.Set("ETag", BodyEtag(r.body));
             r.Set("Cache-Control", "public, max-age=86400");
             if (NotModified(req, r.Get("ETag"), "")) return NotModifiedResponse(r);
             r.Set("X-Content-Type-Options", "nosniff");
             r.Set("Content-Security-Policy", "default-src 'none'; sandbox");
             return r;
           }});
  api.Add({.method = http::Method::kGet,
           .pattern = "/{path*}",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [d](RequestContext& rc) -> Result<http::Response> {
             http::Request& req = rc.request;
             const std::string path = http::PercentDecode(req.path, false);
             if (path.starts_with("/api/")) {
               req.route_template = "unmatched";  // one metrics label for every unknown path
               return http::Problem(req, 404, "not_found");
             }
             auto query = ParseQuery(req.query);
             if (auto rr = query.find("rest_route"); rr != query.end() && d->router != nullptr) {
               // WordPress's plain-permalink form of the REST API.
               const std::string target = "/wp-json" + rr->second;
               auto m = d->router->Find(http::Method::kGet, target);
               if (m.route != nullptr && m.route->pattern != "/{path*}") {
                 req.path = target;
                 req.path_params = std::move(m.params);
                 req.route_template = m.route->pattern;
                 return m.route->handler(req);
               }
             }
             site::SiteInfo info{rc.tenant.id, rc.tenant.name, rc.tenant.timezone,
                                 BaseUrlFor(rc.tenant, d->public_url())};
             auto page = d->site.Handle(info, {.path = path, .query = std::move(query)});
             if (!page) return std::unexpected(std::move(page).error());
             http::Response r(page->status, page->content_type, std::move(page->body));
             if (!page->location.empty()) {
               r.Set("Location", page->location);
               r.Set("Cache-Control", "public, max-age=300");
               return r;
             }
             r.Set("X-Content-Type-Options", "nosniff");
             if (page->content_type.starts_with("text/html")) {
               r.Set("Content-Security-Policy", std::string(kCsp));
               r.Set("Link", "<" + info.base_url + "/wp-json/>; rel=\"https://api.w.org/\"");
               r.Set("Referrer-Policy", "strict-origin-when-cross-origin");
             }
             if (page->status == 404) {
               req.route_template = "unmatched";
               // Browsers get the theme's page; API clients the usual problem+json.
               if (req.Header("Accept").find("text/html") == std::string_view::npos) {
                 return http::Problem(req, 404, "not_found");
               }
             }
             if (page->status != 200) {
               r.Set("Cache-Control", "public, max-age=" + std::to_string(page->max_age));
               return r;
             }
             // ETag and 304s: the API layer (public_cache), for cached and fresh answers alike.
             if (!page->last_modified.empty()) {
               r.Set("Last-Modified", site::HttpDate(page->last_modified));
             }
             r.Set("Cache-Control", "public, max-age=" + std::to_string(page->max_age));
             return r;
           },
           .public_cache = true});
}

}  // namespace hcms::api
