#include "web/admin_routes.h"

#include "http/compression.h"
#include "http/problem.h"

namespace hcms::web {

namespace {

void SetSecurityHeaders(http::Response& r) {
  r.Set("Content-Security-Policy", std::string(kAdminCsp));
  r.Set("X-Frame-Options", "DENY");
  r.Set("Referrer-Policy", "no-referrer");
  r.Set("Cross-Origin-Opener-Policy", "same-origin");
  r.Set("Cross-Origin-Resource-Policy", "same-origin");
  r.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
}

// A client-side route: no file extension in the last segment, not under assets/.
bool IsAppRoute(std::string_view rel) {
  if (rel.starts_with("assets/") || rel == "assets") return false;
  const size_t slash = rel.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
  return last.find('.') == std::string_view::npos;
}

}  // namespace

http::Response ServeAdmin(const AdminAssets* assets, const http::Request& req,
                          std::string_view rel_path) {
  if (assets == nullptr) {
    http::Response r = http::Problem(
        req, 503, "admin_ui_unavailable",
        req.Language() == "en"
            ? "The admin UI was not built with this server; run `make` (see README)."
            : "A interface de administração não foi compilada com este servidor; rode `make` "
              "(veja o README).");
    r.Set("Retry-After", "60");
    SetSecurityHeaders(r);
    return r;
  }
  const Asset* asset = assets->Find(rel_path.empty() ? "index.html" : rel_path);
  if (asset == nullptr) {
    if (!IsAppRoute(rel_path)) {
      http::Response r = http::Problem(req, 404, "not_found");
      r.Set("Cache-Control", "no-store");
      SetSecurityHeaders(r);
      return r;
    }
    asset = &assets->index();
  }
  const bool gzip = !asset->gzip_body.empty() && http::AcceptsGzip(req.Header("Accept-Encoding"));
  const std::string& etag = gzip ? asset->gzip_etag : asset->etag;

  http::Response r;
  r.Set("ETag", etag);
  r.Set("Cache-Control", asset->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!asset->gzip_body.empty()) r.Set("Vary", "Accept-Encoding");
  SetSecurityHeaders(r);
  if (http::IfNoneMatchHits(req.Header("If-None-Match"), etag)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.Set("Content-Type", asset->content_type);
  if (gzip) {
    r.Set("Content-Encoding", "gzip");
    r.body = asset->gzip_body;
  } else {
    r.body = asset->body;
  }
  return r;
}

void AddAdminRoutes(http::Router& router, std::shared_ptr<const AdminAssets> assets) {
  router.Add({.method = http::Method::kGet,
              .pattern = "/admin",
              .resource_class = ResourceClass::kPublic,
              .handler = [assets](http::Request& req) { return ServeAdmin(assets.get(), req, ""); },
              .execution = http::Execution::kInline});
  router.Add({.method = http::Method::kGet,
              .pattern = "/admin/{path*}",
              .resource_class = ResourceClass::kPublic,
              .handler =
                  [assets](http::Request& req) {
                    return ServeAdmin(assets.get(), req, req.PathParam("path"));
                  },
              .execution = http::Execution::kInline});
}

}  // namespace hcms::web
