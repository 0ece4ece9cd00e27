#include "api/site_routes.h"

#include <nlohmann/json.hpp>

#include "http/problem.h"

namespace hcms::api {

namespace {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

void AddSiteRoutes(Api& api, SiteRoutesDeps deps) {
  auto shared = std::make_shared<SiteRoutesDeps>(std::move(deps));
  api.Add({.method = http::Method::kGet,
           .pattern = "/api/v1/site",
           .resource_class = ResourceClass::kPublic,
           .permission = Permission::kPublic,
           .handler = [shared](RequestContext& ctx) -> Result<http::Response> {
             const auto& tenant = ctx.tenant;
             return http::Response::Json(200, {{"name", tenant.name},
                                               {"slug", tenant.slug},
                                               {"url", shared->public_url()},
                                               {"timezone", tenant.timezone},
                                               {"locale", tenant.locale}});
           }});
  api.Add(
      {.method = http::Method::kGet,
       .pattern = "/",
       .resource_class = ResourceClass::kPublic,
       .permission = Permission::kPublic,
       .handler = [shared](RequestContext& ctx) -> Result<http::Response> {
         const std::string name = HtmlEscape(ctx.tenant.name);
         std::string html =
             "<!doctype html>\n<html lang=\"pt-BR\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             "<title>" +
             name +
             "</title></head><body>"
             "<main><h1>" +
             name +
             "</h1>"
             "<p>O hcms está no ar. <span lang=\"en\">hcms is running.</span></p>"
             "<ul><li><a href=\"/health\">Saúde do servidor / health</a></li>"
             "<li><a href=\"/api/v1/site\">API</a></li></ul></main></body></html>\n";
         http::Response r = http::Response::Text(200, std::move(html), "text/html; charset=utf-8");
         r.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'");
         return r;
       }});
}

}  // namespace hcms::api
