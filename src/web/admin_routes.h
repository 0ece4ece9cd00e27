// GET /admin and /admin/{path*}: the admin single-page application.
//
//   /admin, /admin/            index.html
//   /admin/assets/index-ab12.js  the built file (immutable: cached for a year)
//   /admin/posts/42            index.html (client-side route; reloads and deep links work)
//   /admin/assets/missing.js   404 not_found (never HTML where a script was asked for)
//
// Every answer carries a strict Content-Security-Policy (scripts, styles and
// connections only from this origin, no inline code, no framing), a strong ETag
// (If-None-Match -> 304) and Cache-Control: hashed assets are immutable,
// index.html is no-cache so a new release is picked up on the next load.
// Precompressed .gz variants go to clients that accept gzip. With no UI built,
// the routes answer 503 admin_ui_unavailable.
//
// The routes are public (ResourceClass::kPublic): the files hold no data; every
// API call the application makes is authenticated and authorised on its own.

#pragma once

#include <memory>
#include <string_view>

#include "http/message.h"
#include "http/router.h"
#include "web/admin_assets.h"

namespace hcms::web {

// The Content-Security-Policy sent with the admin UI.
inline constexpr std::string_view kAdminCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; media-src 'self' blob:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

// Answers one request for `rel_path` (the part after "/admin/", decoded; "" for
// the root). `assets` null: 503 admin_ui_unavailable.
http::Response ServeAdmin(const AdminAssets* assets, const http::Request& req,
                          std::string_view rel_path);

// Registers GET /admin and GET /admin/{path*} (HEAD too), served inline from memory.
void AddAdminRoutes(http::Router& router, std::shared_ptr<const AdminAssets> assets);

}  // namespace hcms::web
