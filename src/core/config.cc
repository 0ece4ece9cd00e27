#include "core/config.h"

#include <charconv>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "core/ip_address.h"

extern char** environ;

namespace hcms {

namespace {

constexpr std::string_view kMask = "********";

enum class KeyType { kBool, kInt, kString, kStringList };
using Value = std::variant<bool, int64_t, std::string, std::vector<std::string>>;

// One configuration key: how to read, write and check it.
struct KeySpec {
  std::string name;  // "server.port"
  KeyType type;
  bool secret = false;
  int64_t min = 0;
  int64_t max = 0;
  std::vector<std::string> allowed;  // for strings; empty = any
  std::function<void(Config&, const Value&)> set;
  std::function<Value(const Config&)> get;
};

template <class Section, class T>
KeySpec Key(std::string name, Section Config::*section, T Section::*member) {
  KeySpec k;
  k.name = std::move(name);
  if constexpr (std::is_same_v<T, bool>) {
    k.type = KeyType::kBool;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    k.type = KeyType::kInt;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    k.type = KeyType::kStringList;
  } else {
    k.type = KeyType::kString;
  }
  k.set = [section, member](Config& c, const Value& v) { (c.*section).*member = std::get<T>(v); };
  k.get = [section, member](const Config& c) -> Value { return (c.*section).*member; };
  return k;
}

KeySpec Ranged(KeySpec k, int64_t min, int64_t max) {
  k.min = min;
  k.max = max;
  return k;
}
KeySpec OneOf(KeySpec k, std::vector<std::string> allowed) {
  k.allowed = std::move(allowed);
  return k;
}
KeySpec Secret(KeySpec k) {
  k.secret = true;
  return k;
}

constexpr int64_t kMaxInt = int64_t{1} << 40;

const std::vector<KeySpec>& Keys() {
  static const std::vector<KeySpec> keys = [] {
    std::vector<KeySpec> v;
    KeySpec data_dir;
    data_dir.name = "data_dir";
    data_dir.type = KeyType::kString;
    data_dir.set = [](Config& c, const auto& x) { c.data_dir = std::get<std::string>(x); };
    data_dir.get = [](const Config& c) -> Value { return c.data_dir; };
    v.push_back(std::move(data_dir));

    using S = ServerConfig;
    auto srv = &Config::server;
    v.push_back(Key("server.listen_address", srv, &S::listen_address));
    v.push_back(Ranged(Key("server.port", srv, &S::port), 0, 65535));
    v.push_back(Key("server.port_file", srv, &S::port_file));
    v.push_back(Key("server.public_url", srv, &S::public_url));
    v.push_back(Ranged(Key("server.io_threads", srv, &S::io_threads), 0, 256));
    v.push_back(Ranged(Key("server.worker_threads", srv, &S::worker_threads), 0, 1024));
    v.push_back(
        Ranged(Key("server.max_queued_requests", srv, &S::max_queued_requests), 1, kMaxInt));
    v.push_back(Ranged(Key("server.max_connections", srv, &S::max_connections), 1, 1000000));
    v.push_back(
        Ranged(Key("server.max_body_bytes", srv, &S::max_body_bytes), 1024, int64_t{1} << 32));
    v.push_back(Ranged(Key("server.max_header_bytes", srv, &S::max_header_bytes), 1024, 1 << 20));
    v.push_back(Ranged(Key("server.header_timeout_ms", srv, &S::header_timeout_ms), 10, 3600000));
    v.push_back(Ranged(Key("server.body_timeout_ms", srv, &S::body_timeout_ms), 10, 3600000));
    v.push_back(Ranged(Key("server.idle_timeout_ms", srv, &S::idle_timeout_ms), 10, 3600000));
    v.push_back(Ranged(Key("server.write_timeout_ms", srv, &S::write_timeout_ms), 10, 3600000));
    v.push_back(Key("server.compression", srv, &S::compression));
    v.push_back(Ranged(Key("server.compression_level", srv, &S::compression_level), 1, 9));
    v.push_back(Ranged(Key("server.compression_min_bytes", srv, &S::compression_min_bytes), 0,
                       int64_t{1} << 30));
    v.push_back(
        Ranged(Key("server.shutdown_timeout_ms", srv, &S::shutdown_timeout_ms), 0, 3600000));
    v.push_back(Ranged(Key("server.retry_after_seconds", srv, &S::retry_after_seconds), 1, 3600));
    v.push_back(Key("server.default_tenant", srv, &S::default_tenant));
    v.push_back(Key("server.trusted_proxies", srv, &S::trusted_proxies));

    using D = DatabaseConfig;
    auto db = &Config::database;
    v.push_back(OneOf(Key("database.backend", db, &D::backend), {"sqlite", "postgres"}));
    v.push_back(Key("database.sqlite_path", db, &D::sqlite_path));
    v.push_back(Secret(Key("database.url", db, &D::url)));
    v.push_back(Ranged(Key("database.pool_size", db, &D::pool_size), 1, 1000));
    v.push_back(Ranged(Key("database.acquire_timeout_ms", db, &D::acquire_timeout_ms), 1, 600000));
    v.push_back(
        Ranged(Key("database.statement_timeout_ms", db, &D::statement_timeout_ms), 1, 3600000));
    v.push_back(Key("database.migrate_on_start", db, &D::migrate_on_start));

    using L = LogConfig;
    auto log = &Config::log;
    v.push_back(
        OneOf(Key("log.level", log, &L::level), {"trace", "debug", "info", "warn", "error"}));
    v.push_back(OneOf(Key("log.format", log, &L::format), {"json", "text"}));
    v.push_back(Key("log.access_log", log, &L::access_log));
    v.push_back(Key("log.access_log_path", log, &L::access_log_path));

    using H = HealthConfig;
    auto health = &Config::health;
    v.push_back(Ranged(Key("health.min_disk_free_mb", health, &H::min_disk_free_mb), 0, kMaxInt));
    v.push_back(Ranged(Key("health.max_rss_mb", health, &H::max_rss_mb), 1, kMaxInt));

    using A = AccountsConfig;
    auto acc = &Config::accounts;
    v.push_back(Ranged(Key("accounts.password_ops_limit", acc, &A::password_ops_limit), 1, 20));
    v.push_back(Ranged(Key("accounts.password_mem_mb", acc, &A::password_mem_mb), 8, 4096));
    using AU = AuthConfig;
    auto auth = &Config::auth;
    v.push_back(Ranged(Key("auth.access_token_ttl_s", auth, &AU::access_token_ttl_s), 30, 86400));
    v.push_back(
        Ranged(Key("auth.refresh_token_ttl_s", auth, &AU::refresh_token_ttl_s), 60, 31536000));
    v.push_back(Key("auth.keys_file", auth, &AU::keys_file));
    v.push_back(Key("auth.secrets_key_file", auth, &AU::secrets_key_file));
    v.push_back(Key("auth.cookie_secure", auth, &AU::cookie_secure));
    v.push_back(Key("auth.mfa_issuer", auth, &AU::mfa_issuer));
    v.push_back(Ranged(Key("auth.max_failures", auth, &AU::max_failures), 1, 1000));
    v.push_back(Ranged(Key("auth.lockout_s", auth, &AU::lockout_s), 1, 86400));
    v.push_back(Ranged(Key("auth.max_lockout_s", auth, &AU::max_lockout_s), 1, 604800));
    v.push_back(Ranged(Key("auth.ip_max_failures", auth, &AU::ip_max_failures), 1, 100000));
    v.push_back(Ranged(Key("auth.ip_window_s", auth, &AU::ip_window_s), 1, 86400));
    v.push_back(Key("policy.file", &Config::policy, &PolicyFileConfig::file));
    using AD = AuditConfig;
    auto aud = &Config::audit;
    v.push_back(Key("audit.signing_key_file", aud, &AD::signing_key_file));
    v.push_back(Ranged(Key("audit.checkpoint_every", aud, &AD::checkpoint_every), 1, 1000000));
    v.push_back(Key("lgpd.master_key_file", &Config::lgpd, &LgpdConfig::master_key_file));
    using C = ContentConfig;
    auto content = &Config::content;
    v.push_back(Key("content.theme_dir", content, &C::theme_dir));
    v.push_back(Ranged(Key("content.posts_per_page", content, &C::posts_per_page), 1, 100));
    v.push_back(Key("content.media_dir", content, &C::media_dir));
    v.push_back(
        Ranged(Key("content.scheduler_interval_s", content, &C::scheduler_interval_s), 1, 3600));
    v.push_back(Ranged(Key("content.response_cache_mb", content, &C::response_cache_mb), 0, 65536));
    v.push_back(
        Ranged(Key("content.response_cache_ttl_s", content, &C::response_cache_ttl_s), 1, 86400));
    v.push_back(
        Ranged(Key("content.response_cache_recheck_ms", content, &C::response_cache_recheck_ms), 0,
               60000));
    v.push_back(
        Ranged(Key("content.post_json_cache_mb", content, &C::post_json_cache_mb), 0, 65536));

    using P = PluginsConfig;
    auto pl = &Config::plugins;
    v.push_back(Key("plugins.worker_path", pl, &P::worker_path));
    v.push_back(Key("plugins.builtin_dir", pl, &P::builtin_dir));
    v.push_back(Key("plugins.cache_dir", pl, &P::cache_dir));
    v.push_back(Key("plugins.wasm2c", pl, &P::wasm2c));
    v.push_back(Key("plugins.cc", pl, &P::cc));
    v.push_back(Ranged(Key("plugins.workers", pl, &P::workers), 0, 256));
    v.push_back(Ranged(Key("plugins.worker_address_space_mb", pl, &P::worker_address_space_mb), 256,
                       65536));
    v.push_back(Ranged(Key("plugins.memory_mb", pl, &P::memory_mb), 1, 512));
    v.push_back(Ranged(Key("plugins.timeout_ms", pl, &P::timeout_ms), 10, 60000));
    v.push_back(Ranged(Key("plugins.max_output_bytes", pl, &P::max_output_bytes), 1, 64 << 20));
    v.push_back(Ranged(Key("plugins.max_module_bytes", pl, &P::max_module_bytes), 1024, 64 << 20));
    v.push_back(Ranged(Key("plugins.pipeline_threads", pl, &P::pipeline_threads), 0, 64));

    v.push_back(Key("web.admin_dir", &Config::web, &WebConfig::admin_dir));
    return v;
  }();
  return keys;
}

const KeySpec* FindKey(std::string_view name) {
  for (const auto& k : Keys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string EnvName(std::string_view key) {
  std::string s = "HCMS_";
  for (char c : key)
    s += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::unexpected<Error> ConfigError(std::string detail) {
  return std::unexpected(Error(ErrorKind::kInvalidArgument, "config_invalid", std::move(detail)));
}

Status CheckValue(const KeySpec& k, const Value& v, std::string_view where) {
  if (k.type == KeyType::kInt) {
    const int64_t i = std::get<int64_t>(v);
    if (i < k.min || i > k.max) {
      return ConfigError(
          fmt::format("{}{}: {} is out of range [{}, {}]", where, k.name, i, k.min, k.max));
    }
  }
  if (k.type == KeyType::kString && !k.allowed.empty()) {
    const auto& s = std::get<std::string>(v);
    if (std::find(k.allowed.begin(), k.allowed.end(), s) == k.allowed.end()) {
      std::string list;
      for (const auto& a : k.allowed) list += (list.empty() ? "" : ", ") + a;
      return ConfigError(fmt::format("{}{}: \"{}\" is not one of: {}", where, k.name, s, list));
    }
  }
  return Ok();
}

Status ApplyTomlValue(Config& cfg, const KeySpec& k, const toml::node& node) {
  const auto& src = node.source();
  std::string where = src.begin ? fmt::format("line {}: ", src.begin.line) : std::string();
  Value v;
  switch (k.type) {
    case KeyType::kBool:
      if (!node.is_boolean())
        return ConfigError(fmt::format("{}{}: expected true or false", where, k.name));
      v = node.as_boolean()->get();
      break;
    case KeyType::kInt:
      if (!node.is_integer())
        return ConfigError(fmt::format("{}{}: expected an integer", where, k.name));
      v = node.as_integer()->get();
      break;
    case KeyType::kString:
      if (!node.is_string())
        return ConfigError(fmt::format("{}{}: expected a string", where, k.name));
      v = node.as_string()->get();
      break;
    case KeyType::kStringList: {
      if (!node.is_array())
        return ConfigError(fmt::format("{}{}: expected a list of strings", where, k.name));
      std::vector<std::string> items;
      for (const auto& item : *node.as_array()) {
        if (!item.is_string())
          return ConfigError(fmt::format("{}{}: expected a list of strings", where, k.name));
        items.push_back(item.as_string()->get());
      }
      v = std::move(items);
      break;
    }
  }
  HCMS_CHECK(CheckValue(k, v, where));
  k.set(cfg, v);
  return Ok();
}

Status ApplyTable(Config& cfg, const toml::table& table, const std::string& prefix) {
  for (const auto& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (node.is_table()) {
      // A table is fine only if some key lives under it.
      bool known_prefix = false;
      for (const auto& k : Keys()) {
        if (k.name.rfind(name + ".", 0) == 0) known_prefix = true;
      }
      if (!known_prefix) {
        return ConfigError(fmt::format("line {}: unknown configuration section [{}]",
                                       node.source().begin.line, name));
      }
      HCMS_CHECK(ApplyTable(cfg, *node.as_table(), name));
      continue;
    }
    const KeySpec* k = FindKey(name);
    if (k == nullptr) {
      return ConfigError(
          fmt::format("line {}: unknown configuration key \"{}\"", node.source().begin.line, name));
    }
    HCMS_CHECK(ApplyTomlValue(cfg, *k, node));
  }
  return Ok();
}

Status ApplyEnv(Config& cfg, const std::map<std::string, std::string>& env) {
  for (const auto& [name, value] : env) {
    if (name.rfind("HCMS_", 0) != 0 || name == "HCMS_CONFIG") continue;
    const KeySpec* spec = nullptr;
    for (const auto& k : Keys()) {
      if (EnvName(k.name) == name) spec = &k;
    }
    if (spec == nullptr) {
      return ConfigError(
          fmt::format("environment variable {} does not name a configuration key", name));
    }
    Value v;
    const std::string where = name + " -> ";
    switch (spec->type) {
      case KeyType::kBool:
        if (value == "true" || value == "1") {
          v = true;
        } else if (value == "false" || value == "0") {
          v = false;
        } else {
          return ConfigError(fmt::format("{}{}: expected true or false", where, spec->name));
        }
        break;
      case KeyType::kInt: {
        int64_t i = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), i);
        if (ec != std::errc() || p != value.data() + value.size()) {
          return ConfigError(fmt::format("{}{}: expected an integer", where, spec->name));
        }
        v = i;
        break;
      }
      case KeyType::kString:
        v = value;
        break;
      case KeyType::kStringList: {
        // Comma-separated: HCMS_SERVER_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1"
        std::vector<std::string> items;
        std::string_view rest = value;
        while (!rest.empty()) {
          const size_t comma = rest.find(',');
          std::string_view item = rest.substr(0, comma);
          while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
          while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
          if (!item.empty()) items.emplace_back(item);
          rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
        v = std::move(items);
        break;
      }
    }
    HCMS_CHECK(CheckValue(*spec, v, where));
    spec->set(cfg, v);
    cfg.env_overrides.push_back(name);
  }
  return Ok();
}

Status Validate(const Config& cfg) {
  if (cfg.data_dir.empty()) return ConfigError("data_dir must not be empty");
  if (cfg.database.backend == "postgres" && cfg.database.url.empty()) {
    return ConfigError("database.url is required when database.backend = \"postgres\"");
  }
  if (!cfg.server.public_url.empty() && cfg.server.public_url.rfind("http://", 0) != 0 &&
      cfg.server.public_url.rfind("https://", 0) != 0) {
    return ConfigError("server.public_url must start with http:// or https://");
  }
  for (const auto& p : cfg.server.trusted_proxies) {
    if (!Cidr::Parse(p)) {
      return ConfigError(
          fmt::format("server.trusted_proxies: \"{}\" is not an IP address or network (CIDR)", p));
    }
  }
  return Ok();
}

std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string Config::SqlitePath() const {
  if (!database.sqlite_path.empty()) return database.sqlite_path;
  return data_dir + "/hcms.db";
}

std::string Config::MediaDir() const {
  if (!content.media_dir.empty()) return content.media_dir;
  return data_dir + "/media";
}

std::string Config::PluginCacheDir() const {
  if (!plugins.cache_dir.empty()) return plugins.cache_dir;
  return data_dir + "/plugins";
}

std::string Config::PublicUrl(int bound_port) const {
  if (!server.public_url.empty()) {
    std::string u = server.public_url;
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  }
  return fmt::format("http://{}:{}", server.listen_address, bound_port);
}

std::string Config::JwtKeysPath() const {
  return auth.keys_file.empty() ? data_dir + "/keys/jwt.json" : auth.keys_file;
}
std::string Config::SecretsKeyPath() const {
  return auth.secrets_key_file.empty() ? data_dir + "/keys/secrets.key" : auth.secrets_key_file;
}
std::string Config::AuditKeyPath() const {
  return audit.signing_key_file.empty() ? data_dir + "/keys/audit-ed25519.pem"
                                        : audit.signing_key_file;
}

std::string Config::LgpdKeyPath() const {
  return lgpd.master_key_file.empty() ? data_dir + "/keys/lgpd-master.key" : lgpd.master_key_file;
}

std::map<std::string, std::string> CurrentEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

Result<Config> ParseConfig(std::string_view toml_text, std::string_view source_name,
                           const std::map<std::string, std::string>& env) {
  Config cfg;
  cfg.source_file = std::string(source_name);
  try {
    toml::table table = toml::parse(toml_text, source_name);
    HCMS_CHECK(ApplyTable(cfg, table, ""));
  } catch (const toml::parse_error& e) {
    return ConfigError(fmt::format("line {}: {}", e.source().begin.line, e.description()));
  }
  HCMS_CHECK(ApplyEnv(cfg, env));
  HCMS_CHECK(Validate(cfg));
  return cfg;
}

Result<Config> LoadConfig(const ConfigSource& source) {
  std::string file = source.file;
  if (file.empty()) {
    if (auto it = source.env.find("HCMS_CONFIG"); it != source.env.end()) file = it->second;
  }
  std::string text;
  if (!file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return ConfigError(fmt::format("cannot read configuration file {}", file));
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  return ParseConfig(text, file, source.env);
}

std::string RenderConfig(const Config& cfg) {
  std::string out;
  out += fmt::format(
      "# effective configuration (file: {}; environment overrides: {})\n",
      cfg.source_file.empty() ? "none, defaults" : cfg.source_file,
      cfg.env_overrides.empty() ? std::string("none") : [&] {
        std::string s;
        for (const auto& e : cfg.env_overrides) s += (s.empty() ? "" : ", ") + e;
        return s;
      }());
  std::string section;
  for (const auto& k : Keys()) {
    auto dot = k.name.find('.');
    std::string sec = dot == std::string::npos ? "" : k.name.substr(0, dot);
    std::string leaf = dot == std::string::npos ? k.name : k.name.substr(dot + 1);
    if (sec != section) {
      out += fmt::format("\n[{}]\n", sec);
      section = sec;
    }
    auto v = k.get(cfg);
    std::string rendered;
    if (std::holds_alternative<bool>(v)) {
      rendered = std::get<bool>(v) ? "true" : "false";
    } else if (std::holds_alternative<int64_t>(v)) {
      rendered = std::to_string(std::get<int64_t>(v));
    } else if (std::holds_alternative<std::vector<std::string>>(v)) {
      rendered = "[";
      for (const auto& item : std::get<std::vector<std::string>>(v)) {
        rendered += (rendered.size() > 1 ? ", " : "") + TomlString(item);
      }
      rendered += "]";
    } else {
      const auto& s = std::get<std::string>(v);
      if (k.secret && !s.empty()) {
        rendered =
            TomlString(k.name == "database.url" ? MaskConnectionString(s) : std::string(kMask));
      } else {
        rendered = TomlString(s);
      }
    }
    out += fmt::format("{} = {}\n", leaf, rendered);
  }
  return out;
}

std::vector<std::string> ConfigKeys() {
  std::vector<std::string> names;
  for (const auto& k : Keys()) names.push_back(k.name);
  return names;
}

std::string MaskConnectionString(std::string_view url) {
  std::string s(url);
  // URI form: scheme://user:password@host
  if (auto scheme = s.find("://"); scheme != std::string::npos) {
    auto at = s.find('@', scheme + 3);
    auto colon = s.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      s.replace(colon + 1, at - colon - 1, kMask);
    }
    // password=... as a query parameter
    if (auto p = s.find("password="); p != std::string::npos) {
      auto end = s.find('&', p);
      s.replace(p + 9, (end == std::string::npos ? s.size() : end) - p - 9, kMask);
    }
    return s;
  }
  // key=value form: password=secret or password='se cret'
  if (auto p = s.find("password"); p != std::string::npos) {
    auto eq = s.find('=', p);
    if (eq != std::string::npos) {
      size_t start = eq + 1;
      while (start < s.size() && s[start] == ' ') ++start;
      size_t end = start;
      if (end < s.size() && s[end] == '\'') {
        end = s.find('\'', end + 1);
        end = end == std::string::npos ? s.size() : end + 1;
      } else {
        while (end < s.size() && s[end] != ' ') ++end;
      }
      s.replace(start, end - start, kMask);
    }
  }
  return s;
}

}  // namespace hcms
