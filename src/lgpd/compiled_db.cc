#include "lgpd/compiled_db.h"

#include <vector>

#include <fmt/format.h>

#include "lgpd/patterns.h"

namespace hcms::lgpd::internal {

bool CompilePatterns(hs_database_t** db, std::string* error) {
  const auto& patterns = Patterns();
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].expression.c_str());
    flags.push_back(patterns[i].flags | HS_FLAG_SOM_LEFTMOST);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, db, &err) != HS_SUCCESS) {
    *error =
        fmt::format("vectorscan compile failed at pattern {}: {}",
                    err != nullptr ? err->expression : -1, err != nullptr ? err->message : "?");
    hs_free_compile_error(err);
    return false;
  }
  return true;
}

uint64_t PatternFingerprint() {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;
    h *= 1099511628211ULL;
  };
  for (const Pattern& p : Patterns()) {
    mix(p.expression);
    mix(fmt::format("{}:{}:{}", p.flags, p.is_context, p.kind));
  }
  return h;
}

}  // namespace hcms::lgpd::internal
