// Public site information: GET /api/v1/site (the tenant serving this Host) and the
// landing page at "/" until the public site theme takes over.

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
