// Operations endpoints: GET /health, GET /ready, GET /metrics.

#pragma once

#include <functional>

#include "http/router.h"
#include "ops/health.h"
#include "ops/metrics.h"

namespace hcms::api {

struct OpsRoutesDeps {
  ops::HealthRegistry& health;
  ops::MetricsRegistry& metrics;
  // Ready to take traffic: started, not draining, dependencies reachable.
  std::function<bool()> ready;
  std::string version;
};

void AddOpsRoutes(http::Router& router, OpsRoutesDeps deps);

}  // namespace hcms::api
