#include "http/message.h"

#include <cctype>

#include <nlohmann/json.hpp>

namespace hcms::http {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view s) {
  if (s == "GET") return Method::kGet;
  if (s == "HEAD") return Method::kHead;
  if (s == "POST") return Method::kPost;
  if (s == "PUT") return Method::kPut;
  if (s == "PATCH") return Method::kPatch;
  if (s == "DELETE") return Method::kDelete;
  if (s == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // ASCII folding (field names are tokens, RFC 9110 5.1); std::tolower consults the
  // locale for every character and showed up in profiles.
  for (size_t i = 0; i < a.size(); ++i) {
    const unsigned char x = static_cast<unsigned char>(a[i]);
    const unsigned char y = static_cast<unsigned char>(b[i]);
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z') return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

namespace {

// Whether `pred` holds for an element of a comma-separated header value, each
// element trimmed of optional white space (RFC 9110 5.6.1).
template <typename Pred>
bool AnyListItem(std::string_view list, Pred&& pred) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    if (pred(TrimOws(list.substr(0, comma)))) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool HeaderListHas(std::string_view list, std::string_view token) {
  return AnyListItem(list,
                     [token](std::string_view item) { return HeaderNameEquals(item, token); });
}

bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
  };
  if (etag.empty()) return false;
  return AnyListItem(if_none_match, [&](std::string_view tag) {
    return tag == "*" || (!tag.empty() && opaque(tag) == opaque(etag));
  });
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.name, name)) return h.value;
  }
  return {};
}

namespace {

template <class F>
void ForEachQueryPair(std::string_view query, F&& f) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    std::string value =
        eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1), true);
    f(std::move(key), std::move(value));
  }
}

}  // namespace

std::optional<std::string> Request::QueryParam(std::string_view key) const {
  std::optional<std::string> found;
  ForEachQueryPair(query, [&](std::string k, std::string v) {
    if (!found && k == key) found = std::move(v);
  });
  return found;
}

std::vector<std::string> Request::QueryParams(std::string_view key) const {
  std::vector<std::string> out;
  const std::string bracketed = std::string(key) + "[]";
  ForEachQueryPair(query, [&](std::string k, std::string v) {
    if (k == key || k == bracketed) out.push_back(std::move(v));
  });
  return out;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return v;
  }
  return {};
}

std::string_view Request::Language() const {
  std::string_view al = Header("Accept-Language");
  // The first listed language wins; q-values are rarely used to reorder.
  while (!al.empty() && al.front() == ' ') al.remove_prefix(1);
  if (al.size() >= 2 && std::tolower(static_cast<unsigned char>(al[0])) == 'e' &&
      std::tolower(static_cast<unsigned char>(al[1])) == 'n') {
    return "en";
  }
  return "pt-BR";
}

bool Request::WantsWebSocket() const {
  // Upgrade is a comma-separated list of protocols ("websocket", "h2c, websocket").
  return HeaderListHas(Header("Upgrade"), "websocket");
}

Response::Response(int s, std::string content_type, std::string b) : status(s), body(std::move(b)) {
  headers.push_back({"Content-Type", std::move(content_type)});
}

Response Response::Json(int status, const nlohmann::json& body) {
  return Response(status, "application/json; charset=utf-8",
                  body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response Response::Text(int status, std::string body, std::string content_type) {
  return Response(status, std::move(content_type), std::move(body));
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

Response& Response::Set(std::string_view name, std::string value) {
  for (auto& h : headers) {
    if (HeaderNameEquals(h.name, name)) {
      h.value = std::move(value);
      return *this;
    }
  }
  headers.push_back({std::string(name), std::move(value)});
  return *this;
}

Response& Response::Add(std::string_view name, std::string value) {
  headers.push_back({std::string(name), std::move(value)});
  return *this;
}

std::string_view Response::Get(std::string_view name) const {
  for (const auto& h : headers) {
    if (HeaderNameEquals(h.name, name)) return h.value;
  }
  return {};
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace hcms::http
