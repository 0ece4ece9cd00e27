// Build-time tool: compiles the detector's pattern table (lgpd/patterns.cc) with
// Vectorscan and writes the serialized database, which the library embeds so a
// process does not spend ~0.7 s compiling it at first use.
//
//   lgpd_dbgen OUT.bin

#include <cstdio>
#include <fstream>
#include <vector>

#include <hs.h>

#include "lgpd/compiled_db.h"
#include "lgpd/patterns.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: lgpd_dbgen OUT\n");
    return 2;
  }
  hs_database_t* db = nullptr;
  std::string error;
  if (!hcms::lgpd::internal::CompilePatterns(&db, &error)) {
    std::fprintf(stderr, "lgpd_dbgen: %s\n", error.c_str());
    return 1;
  }
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) != HS_SUCCESS) {
    std::fprintf(stderr, "lgpd_dbgen: serialize failed\n");
    return 1;
  }
  std::ofstream out(argv[1], std::ios::binary);
  const uint64_t fingerprint = hcms::lgpd::internal::PatternFingerprint();
  out.write(reinterpret_cast<const char*>(&fingerprint), sizeof fingerprint);
  out.write(bytes, static_cast<std::streamsize>(size));
  std::free(bytes);
  hs_free_database(db);
  return out ? 0 : 1;
}
