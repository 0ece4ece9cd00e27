#include "api/site_routes.h"

#include <nlohmann/json.hpp>

#include "http/problem.h"

namespace hcms::api {

void AddSiteRoutes(http::Router& router, SiteRoutesDeps deps) {
  auto shared = std::make_shared<SiteRoutesDeps>(std::move(deps));
  router.Add({.method = http::Method::kGet,
              .pattern = "/api/v1/site",
              .resource_class = ResourceClass::kPublic,
              .handler = [shared](http::Request& req) {
                auto tenant = shared->resolver.Resolve(req.Header("Host"));
                if (!tenant) return http::Problem(req, tenant.error());
                return http::Response::Json(200, {{"name", tenant->name},
                                                  {"slug", tenant->slug},
                                                  {"url", shared->public_url()},
                                                  {"timezone", tenant->timezone},
                                                  {"locale", tenant->locale}});
              }});
}

}  // namespace hcms::api
