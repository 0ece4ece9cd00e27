// The native content API, /api/v1/...: posts and pages (CRUD), workflow
// transitions (one route per action), revisions (list, diff, restore), terms, search, and the
// OpenAPI 3.1 description of all of it at /api/v1/openapi.json (docs/openapi.json).
//
// Reads without credentials see published, public content. Everything else
// needs the authenticated principal (the API layer, api/api.h), and each route
// declares the permission the policy engine checks; the content service and its
// workflow apply the editorial rules as a second wall.

#pragma once

#include <functional>
#include <string>

#include "api/api.h"
#include "content/service.h"
#include "policy/engine.h"

namespace hcms::api {

struct ContentRoutesDeps {
  content::ContentService& content;
  std::function<std::string()> public_url;
  const policy::PolicyEngine* policy = nullptr;  // grants for the workflow; null: defaults
};

void AddContentRoutes(Api& api, ContentRoutesDeps deps);

// The OpenAPI document served at /api/v1/openapi.json.
std::string_view OpenApiDocument();

}  // namespace hcms::api
