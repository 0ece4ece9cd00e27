#include "http/compression.h"

#include <algorithm>
#include <limits>

#include <zlib.h>

namespace hcms::http {

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// qvalue (RFC 9110 12.4.2) > 0; a malformed weight counts as 0 (identity is always
// acceptable, so refusing an encoding is the safe reading).
bool PositiveWeight(std::string_view q) {
  bool digit = false;
  bool nonzero = false;
  for (char c : q) {
    if (c >= '0' && c <= '9') {
      digit = true;
      nonzero = nonzero || c != '0';
    } else if (c != '.') {
      return false;
    }
  }
  return digit && nonzero;
}

bool CompressibleType(std::string_view content_type) {
  const std::string type = Lowered(TrimOws(content_type.substr(0, content_type.find(';'))));
  if (type.starts_with("text/")) return type != "text/event-stream";
  return type == "application/json" || type == "application/javascript" ||
         type == "application/xml" || type == "application/manifest+json" ||
         type.ends_with("+json") || type.ends_with("+xml");
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  int gzip = -1;  // -1 not named, 0 refused, 1 accepted
  int star = -1;
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string_view coding = TrimOws(item.substr(0, semi));
    bool accepted = true;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      while (!params.empty()) {
        const size_t next = params.find(';');
        const std::string_view param = TrimOws(params.substr(0, next));
        if (param.size() >= 2 && Lower(param[0]) == 'q' && param[1] == '=') {
          accepted = PositiveWeight(TrimOws(param.substr(2)));
        }
        if (next == std::string_view::npos) break;
        params.remove_prefix(next + 1);
      }
    }
    if (HeaderNameEquals(coding, "gzip") || HeaderNameEquals(coding, "x-gzip")) {
      gzip = accepted ? 1 : 0;
    } else if (coding == "*") {
      star = accepted ? 1 : 0;
    }
  }
  if (gzip >= 0) return gzip == 1;
  return star == 1;
}

bool Compressible(const Response& r, const CompressionOptions& options) {
  if (!options.enabled || r.stream) return false;
  if (r.status < 200 || r.status == 204 || r.status == 206 || r.status == 304) return false;
  const std::string_view body = r.Body();
  if (body.empty() || body.size() < options.min_bytes) return false;
  if (body.size() > std::numeric_limits<uInt>::max()) return false;
  if (!r.Get("Content-Encoding").empty() || !r.Get("Content-Range").empty()) return false;
  if (!r.Get("Set-Cookie").empty()) return false;
  if (Lowered(r.Get("Cache-Control")).find("no-store") != std::string::npos) return false;
  return CompressibleType(r.Get("Content-Type"));
}

std::string Gzip(std::string_view data, int level) {
  z_stream zs{};
  // 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&zs, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(produced);
  return out;
}

void AddVaryAcceptEncoding(Response& r) {
  HeaderField* first = nullptr;
  for (auto& h : r.headers) {
    if (!HeaderNameEquals(h.name, "Vary")) continue;
    if (TrimOws(h.value) == "*" || HeaderListHas(h.value, "Accept-Encoding")) return;
    if (first == nullptr) first = &h;
  }
  if (first == nullptr) {
    r.Add("Vary", "Accept-Encoding");
  } else if (TrimOws(first->value).empty()) {
    first->value = "Accept-Encoding";
  } else {
    first->value += ", Accept-Encoding";
  }
}

namespace {

// The gzip of `body`, or nullopt when it would not be smaller.
std::optional<std::string> SmallerGzip(std::string_view body, int level) {
  std::string gz = Gzip(body, level);
  if (gz.empty() || gz.size() >= body.size()) return std::nullopt;
  return gz;
}

// `r` with `gz` as its body: Content-Encoding and a weak ETag (see the header).
void TakeGzipBody(Response& r, std::string gz) {
  r.body = std::move(gz);
  r.shared_body.reset();
  r.Set("Content-Encoding", "gzip");
  if (const std::string_view etag = r.Get("ETag"); etag.starts_with('"')) {
    r.Set("ETag", "W/" + std::string(etag));
  }
}

}  // namespace

std::optional<Response> GzipVariant(const Response& r, const CompressionOptions& options) {
  if (!Compressible(r, options)) return std::nullopt;
  std::optional<std::string> gz = SmallerGzip(r.Body(), options.level);
  if (!gz) return std::nullopt;
  Response v;
  v.status = r.status;
  v.headers = r.headers;
  AddVaryAcceptEncoding(v);
  TakeGzipBody(v, std::move(*gz));
  return v;
}

bool VariesOnAcceptEncoding(const Response& r) {
  for (const auto& h : r.headers) {
    if (HeaderNameEquals(h.name, "Vary") && HeaderListHas(h.value, "Accept-Encoding")) return true;
  }
  return false;
}

void Negotiate(const Request& req, Response& r, const CompressionOptions& options) {
  // Its producer chose the encoding already (a cache entry, a precompressed file).
  if (VariesOnAcceptEncoding(r)) return;
  if (!Compressible(r, options)) return;
  AddVaryAcceptEncoding(r);
  if (!AcceptsGzip(req.Header("Accept-Encoding"))) return;
  if (std::optional<std::string> gz = SmallerGzip(r.Body(), options.level)) {
    TakeGzipBody(r, std::move(*gz));
  }
}

}  // namespace hcms::http
