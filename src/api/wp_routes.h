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
// Reads without credentials see published, public content only. Writes need a
// principal (Application Passwords over HTTP Basic, from the API layer) and go
// through the content service's workflow: a WordPress client that asks for
// status "publish" gets it only through the publish transition.

#pragma once

#include <functional>
#include <string>

#include "api/api.h"
#include "content/service.h"
#include "content/workflow.h"
#include "core/lru_cache.h"
#include "policy/engine.h"
#include "site/site.h"

namespace hcms::api {

// A post, page or attachment as /wp-json serialises it, at the practice's content
// generation it was made at (ContentService::Generation).
struct WpPostText {
  int64_t generation = 0;
  std::string json;
};

// Serialised post objects, for every reader, signed in or not: keyed by practice,
// post, context (view or edit) and site base URL, and valid while the practice's
// content generation is, which moves with every change a post's JSON shows (its
// row, terms, revisions, author, the practice's time zone). A list of posts then
// costs its queries and the concatenation of texts made before; JSON is built only
// for posts changed since, and for requests with _fields or _embed.
using WpPostJsonCache = LruCache<WpPostText>;

struct WpRoutesDeps {
  content::ContentService& content;
  std::function<std::string()> public_url;
  const policy::PolicyEngine* policy = nullptr;  // grants for the workflow; null: defaults
  WpPostJsonCache* post_json = nullptr;          // null: every post serialised per request
};

// Routes go through the API layer: credentials (Application Passwords over HTTP
// Basic, tokens) and the policy decision come with the request context.
void AddWpRoutes(Api& api, WpRoutesDeps deps);

// The site's base URL for a tenant: its own host when it has one, else the
// server's public URL.
std::string BaseUrlFor(const tenants::Tenant& tenant, const std::string& public_url);

// The content actor for an authenticated principal, with the policy's grants.
content::Actor ActorFor(const Principal& principal, const policy::PolicyEngine* policy);

}  // namespace hcms::api
