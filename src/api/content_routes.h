// The native content API, /api/v1/...: posts and pages (CRUD), workflow
// transitions, revisions (list, diff, restore), terms, search, and the OpenAPI
// 3.1 description of all of it at /api/v1/openapi.json (docs/openapi.json).
//
// Reads without credentials see published, public content. Everything else
// needs the authenticated principal (`authenticate`, the API layer of #3); the
// content service and its workflow apply the editorial rules.

#pragma once

#include <functional>
#include <optional>
#include <string>

#include "content/service.h"
#include "http/router.h"
#include "tenants/resolver.h"

namespace hcms::api {

// nullopt: anonymous; an error: credentials given but not valid.
using ContentAuthenticator =
    std::function<Result<std::optional<content::Actor>>(const http::Request&, int64_t tenant_id)>;

struct ContentRoutesDeps {
  tenants::TenantResolver& resolver;
  content::ContentService& content;
  std::function<std::string()> public_url;
  ContentAuthenticator authenticate;  // may be empty: everyone is anonymous
};

void AddContentRoutes(http::Router& router, ContentRoutesDeps deps);

// The OpenAPI document served at /api/v1/openapi.json.
std::string_view OpenApiDocument();

}  // namespace hcms::api
