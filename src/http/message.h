// HTTP requests and responses as the rest of the program sees them: plain structs,
// no Boost.Beast. The server (server.cc) converts to and from the wire.
//
// Handlers receive a Request and return a Response:
//   Response Hello(Request& req) {
//     return Response::Json(200, {{"hello", req.PathParam("name")}});
//   }

#pragma once

#include <utility>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace hcms::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view MethodName(Method m);
Method ParseMethod(std::string_view s);

struct HeaderField {
  std::string name;
  std::string value;
};

// Case-insensitive ASCII comparison of header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

// `s` without leading and trailing spaces and tabs (RFC 9110 5.6.3, OWS).
std::string_view TrimOws(std::string_view s);

// Whether a comma-separated header value ("h2c, websocket") lists `token`, compared
// case-insensitively after trimming each element.
bool HeaderListHas(std::string_view list, std::string_view token);

// Whether an If-None-Match value names `etag` (RFC 9110 13.1.2): weak comparison,
// so W/"x" and "x" are the same version; "*" matches any. False for no `etag`.
bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag);

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: path + "?" + query
  std::string path;    // raw (percent-encoded) path
  std::string query;   // raw query string, without "?"
  std::vector<HeaderField> headers;
  std::string body;
  std::string remote_ip;   // peer address; personal data: never log it raw
  std::string request_id;  // echoed X-Request-Id or generated
  bool keep_alive = true;
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded
  std::string route_template;                                    // "/api/v1/posts/{id}" once routed

  // First value of a header, or "" when absent.
  std::string_view Header(std::string_view name) const;
  // A decoded query parameter ('+' is a space), or nullopt.
  std::optional<std::string> QueryParam(std::string_view key) const;
  // Every value of a repeated query parameter (a=1&a=2, or a[]=1&a[]=2).
  std::vector<std::string> QueryParams(std::string_view key) const;
  // A decoded path parameter from the route pattern, or "".
  std::string_view PathParam(std::string_view name) const;
  // Preferred language from Accept-Language: "en" or "pt-BR" (the default).
  std::string_view Language() const;
  // The client asks to switch to WebSocket (`Upgrade: websocket`). The server only
  // upgrades routes that answer with an event stream; see http/event_stream.h.
  bool WantsWebSocket() const;
};

class EventStream;

struct Response {
  int status = 200;
  std::vector<HeaderField> headers;
  std::string body;
  // When set, the body instead of `body`: a cached answer goes out without a copy.
  std::shared_ptr<const std::string> shared_body;
  // When set, the body is streamed (Server-Sent Events): see http/event_stream.h.
  std::shared_ptr<EventStream> stream;

  Response() = default;
  Response(int s, std::string content_type, std::string b);

  // application/json; charset=utf-8
  static Response Json(int status, const nlohmann::json& body);
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();

  // Sets (replaces) a header.
  Response& Set(std::string_view name, std::string value);
  // Adds a header, keeping existing ones with the same name.
  Response& Add(std::string_view name, std::string value);
  std::string_view Get(std::string_view name) const;
  // shared_body when set, else body.
  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }
};

// Percent-decoding; '+' becomes a space when `plus_is_space`. Invalid escapes are
// kept as they are.
std::string PercentDecode(std::string_view s, bool plus_is_space);
std::string PercentEncode(std::string_view s);

}  // namespace hcms::http
