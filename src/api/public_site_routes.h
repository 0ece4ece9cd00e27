// The public site over HTTP: every GET that no other route claims is a page of
// the site (site/site.h), plus /media/... files. Adds conditional GET (ETag,
// Last-Modified -> 304), Cache-Control and a strict Content-Security-Policy.
// ?rest_route=/wp/v2/... is handed to the /wp-json routes, as WordPress does.
// A missing page is the theme's 404 page for browsers (Accept: text/html) and
// problem+json "not_found" for everyone else; either way its metrics route is
// "unmatched".

#pragma once

#include <functional>
#include <string>

#include "api/api.h"
#include "http/router.h"
#include "site/site.h"

namespace hcms::api {

struct PublicSiteDeps {
  site::Site& site;
  std::function<std::string()> public_url;
  std::string media_dir;       // files under <media_dir>/<tenant id>/
  const http::Router* router;  // for ?rest_route=
};

// Public routes of the API layer (Permission::kPublic): the tenant comes from the
// Host header through the pipeline.
void AddPublicSiteRoutes(Api& api, PublicSiteDeps deps);

}  // namespace hcms::api
