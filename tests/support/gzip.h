// Decompressing what the server sends with Content-Encoding: gzip, independently of
// the server's own zlib use (http/compression.h), so tests check it from outside.
#pragma once

#include <string>
#include <string_view>

namespace hcms::testing {

// The data of a gzip stream (RFC 1952); a test failure (and what could be read)
// when the stream is malformed or truncated.
std::string Gunzip(std::string_view gz);

}  // namespace hcms::testing
