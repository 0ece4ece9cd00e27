#include "tests/support/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace hcms::testing {

std::string Gunzip(std::string_view gz) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {  // 15 + 16: gzip wrapper
    ADD_FAILURE() << "inflateInit2 failed";
    return {};
  }
  std::string out;
  char buf[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) ADD_FAILURE() << "not a complete gzip stream (zlib " << rc << ")";
  return out;
}

}  // namespace hcms::testing
