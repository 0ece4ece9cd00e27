// Response compression (gzip, RFC 9110 8.4 and 12.5.3).
//
// The server compresses a response when the client sent an Accept-Encoding that
// allows gzip and the response is worth it and safe to compress: a textual body of
// at least `min_bytes`, no Content-Encoding yet, no Set-Cookie and not
// `Cache-Control: no-store` (answers that carry tokens or personal data stay
// uncompressed, so that a reflected input beside a secret cannot be measured
// through the compressed size: BREACH). Every such response says
// `Vary: Accept-Encoding`, compressed or not, so that shared caches keep both.
//
// A strong ETag becomes weak on the compressed representation (as nginx does): the
// two representations are the same content, and a conditional request with either
// tag is answered with a 304.
//
// Cached answers keep their compressed form beside the plain one
// (api::PublicCache), so a hit is never compressed again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace hcms::http {

struct CompressionOptions {
  bool enabled = true;
  int level = 5;  // zlib: 1 (fastest) .. 9 (smallest)
  size_t min_bytes = 1024;
};

// Whether an Accept-Encoding value allows gzip: "gzip" (or "x-gzip") with q > 0,
// or "*" with q > 0 when gzip is not named. Tokens are case-insensitive.
bool AcceptsGzip(std::string_view accept_encoding);

// Whether `r` may be and is worth being compressed (see the header comment).
bool Compressible(const Response& r, const CompressionOptions& options);

// The gzip stream (RFC 1952) of `data`.
std::string Gzip(std::string_view data, int level);

// The compressed representation of `r`: the body gzipped, Content-Encoding: gzip,
// Vary: Accept-Encoding and a weak ETag; nullopt when `r` is not Compressible or
// gzip would not make it smaller.
std::optional<Response> GzipVariant(const Response& r, const CompressionOptions& options);

// Adds Accept-Encoding to the response's Vary, once.
void AddVaryAcceptEncoding(Response& r);

// Whether a Vary header of `r` names Accept-Encoding.
bool VariesOnAcceptEncoding(const Response& r);

// What the server does with every response: compresses `r` in place when the
// request allows it and `r` is Compressible; marks it Vary: Accept-Encoding when it
// could have been. A response that is already encoded, or that already varies on
// Accept-Encoding (its producer chose: a cache entry, a precompressed file), is
// left as it is.
void Negotiate(const Request& req, Response& r, const CompressionOptions& options);

}  // namespace hcms::http
