// Compiling the pattern table, and the copy serialized at build time (internal).

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <hs.h>

namespace hcms::lgpd::internal {

// Compiles Patterns() (SOM leftmost, block mode) into *db; false with *error set.
bool CompilePatterns(hs_database_t** db, std::string* error);

// FNV-1a over every expression, flag and kind: the embedded database is used only
// when it was built from exactly this table.
uint64_t PatternFingerprint();

// The database serialized by lgpd_dbgen at build time: 8 bytes of fingerprint, then
// hs_serialize_database output. Empty when the build did not embed one.
std::string_view EmbeddedDatabase();

}  // namespace hcms::lgpd::internal
