#include "api/site_routes.h"

#include <nlohmann/json.hpp>

#include "http/problem.h"

namespace hcms::api {

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
}

}  // namespace hcms::api
