// Public site information: GET /api/v1/site (the tenant serving this Host). The
// pages themselves are the public site's (api/public_site_routes.h).

#pragma once

#include <functional>
#include <string>

#include "api/api.h"

namespace hcms::api {

struct SiteRoutesDeps {
  std::function<std::string()> public_url;  // known once the server is listening
  std::string version;
};

void AddSiteRoutes(Api& api, SiteRoutesDeps deps);

}  // namespace hcms::api
