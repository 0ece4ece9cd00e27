#include "http/router.h"

#include <fmt/format.h>

namespace hcms::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  std::unique_ptr<Node> param;  // "{name}"
  std::string param_name;
  std::string rest_name;  // "{name*}" at this position, routes per method below
  std::map<Method, const Route*> rest_routes;
  std::map<Method, const Route*> routes;  // routes ending exactly here
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segs;
  if (path.empty() || path.front() != '/') return segs;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segs.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segs;
}

}  // namespace

void Router::Add(Route route) {
  routes_.push_back(std::make_unique<Route>(std::move(route)));
  const Route* r = routes_.back().get();
  const std::string& pattern = r->pattern;
  if (pattern.empty() || pattern.front() != '/') {
    build_errors_.push_back(fmt::format("pattern \"{}\" must start with '/'", pattern));
    return;
  }
  Node* node = root_.get();
  auto segs = Split(pattern);
  for (size_t i = 0; i < segs.size(); ++i) {
    std::string_view seg = segs[i];
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (!name.empty() && name.back() == '*') {
        if (i + 1 != segs.size()) {
          build_errors_.push_back(
              fmt::format("\"{}\": {{rest*}} must be the last segment", pattern));
          return;
        }
        name.pop_back();
        node->rest_name = name;
        if (!node->rest_routes.emplace(r->method, r).second) {
          build_errors_.push_back(
              fmt::format("{} {} is declared twice", MethodName(r->method), pattern));
        }
        return;
      }
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = name;
      } else if (node->param_name != name) {
        build_errors_.push_back(
            fmt::format("\"{}\": parameter {{{}}} conflicts with {{{}}} at the same position",
                        pattern, name, node->param_name));
        return;
      }
      node = node->param.get();
      continue;
    }
    if (seg.find_first_of("{}") != std::string_view::npos) {
      build_errors_.push_back(fmt::format("\"{}\": malformed segment \"{}\"", pattern, seg));
      return;
    }
    auto it = node->literal.find(seg);
    if (it == node->literal.end())
      it = node->literal.emplace(std::string(seg), std::make_unique<Node>()).first;
    node = it->second.get();
  }
  if (!node->routes.emplace(r->method, r).second) {
    build_errors_.push_back(fmt::format("{} {} is declared twice", MethodName(r->method), pattern));
  }
}

Status Router::Validate() const {
  if (!build_errors_.empty()) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "route_invalid", build_errors_.front()));
  }
  for (const auto& r : routes_) {
    if (r->resource_class == ResourceClass::kUnset) {
      return std::unexpected(Error(
          ErrorKind::kInvalidArgument, "route_invalid",
          fmt::format("{} {} declares no resource class", MethodName(r->method), r->pattern)));
    }
    if (!r->handler) {
      return std::unexpected(
          Error(ErrorKind::kInvalidArgument, "route_invalid",
                fmt::format("{} {} has no handler", MethodName(r->method), r->pattern)));
    }
  }
  return Ok();
}

namespace {

const Route* Pick(const std::map<Method, const Route*>& table, Method method) {
  if (auto it = table.find(method); it != table.end()) return it->second;
  if (method == Method::kHead) {
    if (auto it = table.find(Method::kGet); it != table.end()) return it->second;
  }
  return nullptr;
}

}  // namespace

// Depth-first: a literal segment before a parameter, a parameter before {rest*}.
bool Router::Walk(const Node* node, std::span<const std::string_view> segs, size_t i, Method method,
                  RouteMatch& m) {
  if (i == segs.size()) {
    if (node->routes.empty()) return false;
    if (!m.path_matched) {
      m.path_matched = true;
      for (const auto& [meth, r] : node->routes) m.allowed.push_back(meth);
    }
    if (const Route* r = Pick(node->routes, method)) {
      m.route = r;
      return true;
    }
    return false;
  }
  if (auto it = node->literal.find(segs[i]); it != node->literal.end()) {
    if (Walk(it->second.get(), segs, i + 1, method, m)) return true;
  }
  if (node->param && !segs[i].empty()) {
    m.params.emplace_back(node->param_name, PercentDecode(segs[i], false));
    if (Walk(node->param.get(), segs, i + 1, method, m)) return true;
    m.params.pop_back();
  }
  if (!node->rest_routes.empty()) {
    if (!m.path_matched) {
      m.path_matched = true;
      for (const auto& [meth, r] : node->rest_routes) m.allowed.push_back(meth);
    }
    if (const Route* r = Pick(node->rest_routes, method)) {
      std::string rest;
      for (size_t j = i; j < segs.size(); ++j) {
        if (j > i) rest += '/';
        rest += segs[j];
      }
      m.route = r;
      m.params.emplace_back(node->rest_name, PercentDecode(rest, false));
      return true;
    }
  }
  return false;
}

RouteMatch Router::Find(Method method, std::string_view path) const {
  RouteMatch m;
  auto segs = Split(path);
  if (segs.empty()) return m;
  Walk(root_.get(), segs, 0, method, m);
  if (m.route != nullptr) {
    m.allowed.clear();
  } else {
    m.params.clear();
  }
  return m;
}

}  // namespace hcms::http
