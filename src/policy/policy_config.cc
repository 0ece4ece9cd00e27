#include "policy/policy_config.h"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace hcms::policy {

namespace {

constexpr std::array<std::string_view, kFactorCount> kFactorNames = {
    "auth_method", "device",   "session_age", "ip_reputation",
    "behaviour",   "resource", "time_of_day", "history"};

constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

std::unexpected<Error> Invalid(std::string_view source, std::string detail) {
  return std::unexpected(
      Error(ErrorKind::kInvalidArgument, "policy_invalid", fmt::format("{}: {}", source, detail)));
}

Result<int> ParseClock(std::string_view s) {
  if (s == "24:00") return 24 * 60;
  if (s.size() != 5 || s[2] != ':') return InvalidArgument("invalid_time");
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4]))
    return InvalidArgument("invalid_time");
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return InvalidArgument("invalid_time");
  return h * 60 + m;
}

}  // namespace

std::string_view FactorName(int factor) {
  return factor >= 0 && factor < kFactorCount ? kFactorNames[static_cast<size_t>(factor)]
                                              : "unknown";
}

int PolicyConfig::Required(ResourceClass c) const {
  const int i = static_cast<int>(c) - 1;
  if (i < 0 || i >= 7) return 100;  // kUnset: nothing passes
  return required[static_cast<size_t>(i)];
}

PolicyConfig DefaultPolicyConfig() {
  PolicyConfig p;
  for (int r = 0; r < 7; ++r)
    p.grants[static_cast<size_t>(r)] = DefaultGrants(static_cast<accounts::Role>(r));
  return p;
}

Result<PolicyConfig> ParsePolicyConfig(std::string_view text, std::string_view source) {
  PolicyConfig p = DefaultPolicyConfig();
  toml::table t;
  try {
    t = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Invalid(source, fmt::format("line {}: {}", e.source().begin.line, e.description()));
  }
  static const std::array<std::string_view, 6> kSections = {"required", "weights",   "network",
                                                            "hours",    "behaviour", "cache"};
  for (const auto& [key, node] : t) {
    const std::string_view k = key.str();
    if (k == "roles") continue;
    if (std::find(kSections.begin(), kSections.end(), k) == kSections.end())
      return Invalid(source, fmt::format("unknown section [{}]", k));
    if (!node.is_table()) return Invalid(source, fmt::format("[{}] must be a table", k));
  }
  auto int_in = [&](const toml::table& tab, std::string_view section, std::string_view key, int lo,
                    int hi, int& out) -> Status {
    const toml::node* n = tab.get(key);
    if (n == nullptr) return Ok();
    if (!n->is_integer())
      return Invalid(source, fmt::format("{}.{}: expected an integer", section, key));
    const int64_t v = n->as_integer()->get();
    if (v < lo || v > hi)
      return Invalid(source,
                     fmt::format("{}.{}: {} is out of range [{}, {}]", section, key, v, lo, hi));
    out = static_cast<int>(v);
    return Ok();
  };
  auto check_keys = [&](const toml::table& tab, std::string_view section,
                        std::initializer_list<std::string_view> known) -> Status {
    for (const auto& [key, node] : tab) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end())
        return Invalid(source, fmt::format("unknown key {}.{}", section, key.str()));
    }
    return Ok();
  };
  if (const auto* req = t["required"].as_table()) {
    HCMS_CHECK(check_keys(*req, "required",
                          {"public", "internal", "confidential", "patient_data", "research_data",
                           "critical_patient_data", "financial"}));
    for (int c = 1; c <= 7; ++c) {
      const auto name = ResourceClassName(static_cast<ResourceClass>(c));
      HCMS_CHECK(int_in(*req, "required", name, 0, 100, p.required[static_cast<size_t>(c - 1)]));
    }
  }
  if (const auto* w = t["weights"].as_table()) {
    HCMS_CHECK(check_keys(*w, "weights",
                          {kFactorNames[0], kFactorNames[1], kFactorNames[2], kFactorNames[3],
                           kFactorNames[4], kFactorNames[5], kFactorNames[6], kFactorNames[7]}));
    for (int f = 0; f < kFactorCount; ++f)
      HCMS_CHECK(int_in(*w, "weights", kFactorNames[static_cast<size_t>(f)], 0, 100,
                        p.weights[static_cast<size_t>(f)]));
    int sum = 0;
    for (int x : p.weights) sum += x;
    if (sum != 100) return Invalid(source, fmt::format("weights add up to {}, not 100", sum));
  }
  if (const auto* n = t["network"].as_table()) {
    HCMS_CHECK(check_keys(*n, "network", {"allow", "deny"}));
    for (std::string_view list : {"allow", "deny"}) {
      const toml::node* node = n->get(list);
      if (node == nullptr) continue;
      if (!node->is_array())
        return Invalid(source, fmt::format("network.{}: expected a list", list));
      auto& out = list == "allow" ? p.allow : p.deny;
      for (const auto& item : *node->as_array()) {
        if (!item.is_string())
          return Invalid(source, fmt::format("network.{}: expected strings", list));
        auto cidr = Cidr::Parse(item.as_string()->get());
        if (!cidr)
          return Invalid(source, fmt::format("network.{}: \"{}\" is not an address or network",
                                             list, item.as_string()->get()));
        out.push_back(*cidr);
      }
    }
  }
  if (const auto* h = t["hours"].as_table()) {
    HCMS_CHECK(check_keys(*h, "hours", {"start", "end", "days"}));
    for (std::string_view key : {"start", "end"}) {
      const toml::node* node = h->get(key);
      if (node == nullptr) continue;
      auto minutes = node->is_string() ? ParseClock(node->as_string()->get())
                                       : Result<int>(InvalidArgument("invalid_time"));
      if (!minutes) return Invalid(source, fmt::format("hours.{}: expected \"HH:MM\"", key));
      (key == "start" ? p.work_start_minute : p.work_end_minute) = *minutes;
    }
    if (p.work_start_minute >= p.work_end_minute)
      return Invalid(source, "hours.start must be before hours.end");
    if (const toml::node* days = h->get("days")) {
      if (!days->is_array()) return Invalid(source, "hours.days: expected a list");
      p.work_days = 0;
      for (const auto& d : *days->as_array()) {
        const auto it = d.is_string() ? std::find(kDayNames.begin(), kDayNames.end(),
                                                  std::string_view(d.as_string()->get()))
                                      : kDayNames.end();
        if (it == kDayNames.end())
          return Invalid(source, "hours.days: use sun, mon, tue, wed, thu, fri, sat");
        p.work_days |= static_cast<uint8_t>(1u << (it - kDayNames.begin()));
      }
    }
  }
  if (const auto* b = t["behaviour"].as_table()) {
    HCMS_CHECK(check_keys(*b, "behaviour", {"requests_per_minute"}));
    HCMS_CHECK(int_in(*b, "behaviour", "requests_per_minute", 1, 1000000, p.requests_per_minute));
  }
  if (const auto* c = t["cache"].as_table()) {
    HCMS_CHECK(check_keys(*c, "cache", {"decision_seconds", "score_refresh_seconds"}));
    HCMS_CHECK(int_in(*c, "cache", "decision_seconds", 0, 3600, p.decision_cache_seconds));
    HCMS_CHECK(int_in(*c, "cache", "score_refresh_seconds", 1, 86400, p.score_refresh_seconds));
  }
  if (const auto* roles = t["roles"].as_table()) {
    for (const auto& [key, node] : *roles) {
      auto role = accounts::ParseRole(key.str());
      if (!role) return Invalid(source, fmt::format("roles: unknown role \"{}\"", key.str()));
      if (!node.is_array())
        return Invalid(source, fmt::format("roles.{}: expected a list", key.str()));
      PermissionSet set = Bit(Permission::kPublic) | Bit(Permission::kAuthenticated);
      for (const auto& item : *node.as_array()) {
        auto perm = item.is_string() ? ParsePermission(item.as_string()->get()) : std::nullopt;
        if (!perm) return Invalid(source, fmt::format("roles.{}: unknown permission", key.str()));
        if (*perm == Permission::kSuperAdmin && *role != accounts::Role::kSuperAdmin)
          return Invalid(source, "super_admin can only be granted to super_admin");
        set |= Bit(*perm);
      }
      p.grants[static_cast<size_t>(*role)] = set;
    }
  }
  return p;
}

Result<PolicyConfig> LoadPolicyConfig(const std::string& path) {
  if (path.empty()) return DefaultPolicyConfig();
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "policy_invalid",
                                 fmt::format("cannot read policy file {}", path)));
  std::stringstream ss;
  ss << in.rdbuf();
  return ParsePolicyConfig(ss.str(), path);
}

}  // namespace hcms::policy
