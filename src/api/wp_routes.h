// WordPress REST API v2 compatibility: /wp-json/ and /wp-json/wp/v2/...
//
// Posts, pages, media, categories, tags, comments, users (and users/me),
// search and the discovery document, with WordPress's query parameters
// (page, per_page <= 100, search, categories, tags, status, author, orderby,
// order, slug, include, exclude, after, before, _fields, _embed), response
// fields (see ../shared/research/wordpress.md and tests/data/wp/), the
// X-WP-Total / X-WP-TotalPages / Link headers and WordPress's error shape
// {"code", "message", "data": {"status"}}. ?rest_route=/wp/v2/... works too.
//
// Reads without credentials see published, public content only. Writes go
// through `authenticate` (Application Passwords over HTTP Basic, provided by the
// accounts module) and the content service's workflow: a WordPress client that
// asks for status "publish" gets it only through the publish transition.

#pragma once

#include <functional>
#include <optional>
#include <string>

#include "content/service.h"
#include "content/workflow.h"
#include "http/router.h"
#include "site/site.h"
#include "tenants/resolver.h"

namespace hcms::api {

// nullopt: anonymous. An error: the credentials were given and are wrong.
using WpAuthenticator =
    std::function<Result<std::optional<content::Actor>>(const http::Request&, int64_t tenant_id)>;

struct WpRoutesDeps {
  tenants::TenantResolver& resolver;
  content::ContentService& content;
  std::function<std::string()> public_url;
  WpAuthenticator authenticate;  // may be empty: everyone is anonymous
};

void AddWpRoutes(http::Router& router, WpRoutesDeps deps);

// The site's base URL for a tenant: its own host when it has one, else the
// server's public URL.
std::string BaseUrlFor(const tenants::Tenant& tenant, const std::string& public_url);

}  // namespace hcms::api
