#include "api/ops_routes.h"

#include <nlohmann/json.hpp>

#include "http/problem.h"

namespace hcms::api {

void AddOpsRoutes(http::Router& router, OpsRoutesDeps deps) {
  auto shared = std::make_shared<OpsRoutesDeps>(std::move(deps));
  router.Add({.method = http::Method::kGet,
              .pattern = "/health",
              .resource_class = ResourceClass::kPublic,
              .handler = [shared](http::Request&) {
                ops::HealthReport report = shared->health.Run();
                report.body["version"] = shared->version;
                http::Response r = http::Response::Json(report.healthy ? 200 : 503, report.body);
                r.Set("Cache-Control", "no-store");
                return r;
              }});
  router.Add({.method = http::Method::kGet,
              .pattern = "/ready",
              .resource_class = ResourceClass::kPublic,
              .handler = [shared](http::Request& req) {
                if (!shared->ready()) {
                  http::Response r = http::Problem(req, 503, "not_ready");
                  r.Set("Retry-After", "1");
                  return r;
                }
                http::Response r = http::Response::Json(200, {{"status", "ready"}});
                r.Set("Cache-Control", "no-store");
                return r;
              }});
  router.Add({.method = http::Method::kGet,
              .pattern = "/metrics",
              .resource_class = ResourceClass::kInternal,
              .handler = [shared](http::Request&) {
                http::Response r = http::Response::Text(200, shared->metrics.Render(),
                                                        "text/plain; version=0.0.4; charset=utf-8");
                r.Set("Cache-Control", "no-store");
                return r;
              }});
}

}  // namespace hcms::api
