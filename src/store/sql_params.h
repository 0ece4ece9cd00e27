// Rewrites PostgreSQL-style parameters ($1, $2, ...) to SQLite's numbered form (?1, ?2).
// Quoted strings, quoted identifiers and comments are left alone.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/value.h"

namespace hcms::store {

std::string RewriteParamsForSqlite(std::string_view sql);

// "$a, $b, ..." for `values`, each appended to `params`: the inside of an
// `IN (...)` list whose numbers follow the parameters already in `params`.
std::string AppendInList(std::vector<Value>& params, const std::vector<int64_t>& values);

}  // namespace hcms::store
