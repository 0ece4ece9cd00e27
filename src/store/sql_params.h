// Rewrites PostgreSQL-style parameters ($1, $2, ...) to SQLite's numbered form (?1, ?2).
// Quoted strings, quoted identifiers and comments are left alone.

#pragma once

#include <string>
#include <string_view>

namespace hcms::store {

std::string RewriteParamsForSqlite(std::string_view sql);

}  // namespace hcms::store
