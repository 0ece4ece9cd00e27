// Media upload through the native API (the admin's media library):
//
//   POST /api/v1/media   create_content   {"filename", "data_base64", "title"?}
//
// The file's type comes from its first bytes, never from the name or the
// client: PNG, JPEG, GIF, WebP and PDF are accepted (problem
// media_type_not_allowed otherwise), up to 8 MiB (413 media_too_large). The file is written under
// <media_dir>/<tenant id>/uploads/<YYYY>/<MM>/<uuid>.<ext> (served at /media/...)
// and an attachment is created (status inherit), listed by /wp-json/wp/v2/media.
// 201 with the attachment as the content API shows it; audited as media.upload.

#pragma once

#include <string>

#include "api/api.h"
#include "content/service.h"
#include "policy/engine.h"

namespace hcms::api {

struct MediaRoutesDeps {
  content::ContentService& content;
  std::string media_dir;  // files under <media_dir>/<tenant id>/
  const policy::PolicyEngine* policy = nullptr;
};

void AddMediaRoutes(Api& api, MediaRoutesDeps deps);

// "image/png", ".png" for the bytes' format; empty when not an accepted type.
struct SniffedType {
  std::string mime;
  std::string extension;
};
SniffedType SniffMediaType(std::string_view bytes);

}  // namespace hcms::api
