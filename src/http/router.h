// The route table: method + path pattern -> handler, with the route's resource class.
//
//   Router r;
//   r.Add({.method = Method::kGet, .pattern = "/api/v1/posts/{id}",
//          .resource_class = ResourceClass::kPublic, .handler = GetPost});
//   if (auto s = r.Validate(); !s) { refuse to start }
//
// Patterns are literal segments, "{name}" (one segment) and a final "{name*}" (the
// rest of the path). Literal segments win over parameters. GET routes also answer
// HEAD. Handlers run on the worker pool unless marked Execution::kInline (cheap,
// never blocking: no database, no file I/O).
//
// Thread safety: build the router before the server starts; Find is then safe from
// any thread.

#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/resource_class.h"
#include "http/message.h"

namespace hcms::http {

using Handler = std::function<Response(Request&)>;

enum class Execution { kWorker, kInline };

struct Route {
  Method method = Method::kGet;
  std::string pattern;
  ResourceClass resource_class = ResourceClass::kUnset;
  Handler handler;
  Execution execution = Execution::kWorker;
  size_t max_body_bytes = 0;  // 0: the server's limit
  // Optional, for kWorker routes: tried first on the I/O thread. It answers only
  // what needs no blocking work (an in-memory cache hit) and returns nullopt,
  // leaving the request as it was, to send it to `handler` on the worker pool.
  std::function<std::optional<Response>(Request&)> fast;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route
  std::vector<std::pair<std::string, std::string>> params;
  bool path_matched = false;    // some method exists for the path (-> 405)
  std::vector<Method> allowed;  // methods that exist for the path
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void Add(Route route);

  // Every route has a handler and a resource class, patterns are well formed and
  // no (method, pattern) pair is declared twice. kInvalidArgument "route_invalid"
  // naming the offending route otherwise.
  Status Validate() const;

  RouteMatch Find(Method method, std::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  static bool Walk(const Node* node, std::span<const std::string_view> segs, size_t i,
                   Method method, RouteMatch& m);
  std::vector<std::unique_ptr<Route>> routes_;
  std::unique_ptr<Node> root_;
  std::vector<std::string> build_errors_;
};

}  // namespace hcms::http
