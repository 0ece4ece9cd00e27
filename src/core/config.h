// Server configuration: a TOML file, then HCMS_* environment overrides.
//
// Every key has a default, a type and a range; an unknown key, in the file or as an
// HCMS_* variable, is an error (a typo must not be silently ignored). The variable for
// a key is "HCMS_" + the key in upper case with '.' replaced by '_':
//   database.pool_size  <->  HCMS_DATABASE_POOL_SIZE
// HCMS_CONFIG names the file when --config is not given.
//
//   auto cfg = LoadConfig({.file = "hcms.toml", .env = CurrentEnvironment()});
//   if (!cfg) { print cfg.error().detail(); }
//   fmt::print("{}", RenderConfig(*cfg));   // secrets masked
//
// To add a key: add the field to its section struct below and one line to the key
// table in config.cc. Tests in config_test.cc check that every key round-trips.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace hcms {

struct ServerConfig {
  std::string listen_address = "127.0.0.1";
  int64_t port = 8080;         // 0 picks a free port (see port_file)
  std::string port_file;       // if set, the bound port is written here once listening
  std::string public_url;      // base of absolute links; default http://<listen>:<port>
  int64_t io_threads = 0;      // 0 = one per core
  int64_t worker_threads = 0;  // blocking work (database); 0 = max(4, 2 x cores)
  int64_t max_queued_requests = 4096;
  int64_t max_connections = 10000;
  int64_t max_body_bytes = 8 << 20;
  int64_t max_header_bytes = 16 << 10;
  int64_t header_timeout_ms = 10000;  // whole request head, once its first byte arrived
  int64_t body_timeout_ms = 30000;
  int64_t idle_timeout_ms = 30000;  // keep-alive wait for the next request
  int64_t write_timeout_ms = 30000;
  int64_t shutdown_timeout_ms = 10000;     // in-flight requests get this long on SIGTERM
  int64_t retry_after_seconds = 1;         // sent with 503 when at capacity
  bool compression = true;                 // gzip for clients that accept it
  int64_t compression_level = 5;           // zlib 1..9
  int64_t compression_min_bytes = 1024;    // smaller answers go as they are
  std::string default_tenant = "default";  // slug served when no tenant claims the Host
  // Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed;
  // empty: the header is ignored and the TCP peer is the client.
  std::vector<std::string> trusted_proxies;
};

struct DatabaseConfig {
  std::string backend = "sqlite";  // sqlite | postgres
  std::string sqlite_path;         // default <data_dir>/hcms.db
  std::string url;                 // PostgreSQL connection string (secret)
  int64_t pool_size = 8;
  int64_t acquire_timeout_ms = 2000;
  int64_t statement_timeout_ms = 5000;
  bool migrate_on_start = true;
};

struct LogConfig {
  std::string level = "info";   // trace | debug | info | warn | error
  std::string format = "json";  // json | text (text only changes the server log)
  bool access_log = true;
  std::string access_log_path;  // empty = standard output
};

struct HealthConfig {
  int64_t min_disk_free_mb = 256;
  int64_t max_rss_mb = 2048;
};

struct AccountsConfig {
  int64_t password_ops_limit = 3;  // Argon2id passes
  int64_t password_mem_mb = 64;    // Argon2id memory
};

struct AuthConfig {
  int64_t access_token_ttl_s = 900;       // JWT access tokens
  int64_t refresh_token_ttl_s = 2592000;  // sessions (30 days)
  std::string keys_file;                  // JWT key ring; default <data_dir>/keys/jwt.json
  std::string secrets_key_file;     // TOTP secrets at rest; default <data_dir>/keys/secrets.key
  bool cookie_secure = true;        // Secure flag on session cookies
  std::string mfa_issuer = "hcms";  // name shown by authenticator apps
  int64_t max_failures = 5;         // per account before lockout
  int64_t lockout_s = 60;           // first lockout; doubles per further failure
  int64_t max_lockout_s = 3600;
  int64_t ip_max_failures = 20;  // per client IP within ip_window_s
  int64_t ip_window_s = 600;
};

struct PolicyFileConfig {
  std::string file;  // policy TOML (policy/policy_config.h); empty = built-in defaults
};

struct AuditConfig {
  std::string signing_key_file;     // Ed25519 PEM; default <data_dir>/keys/audit-ed25519.pem
  int64_t checkpoint_every = 1000;  // sign the chain head every N entries (and at shutdown)
};

struct LgpdConfig {
  // Master key of the personal-data operators (pseudonyms, reversible encryption);
  // per-tenant keys are derived from it. Default <data_dir>/keys/lgpd-master.key,
  // created on first start. Losing it makes encrypted values unrecoverable.
  std::string master_key_file;
};

struct ContentConfig {
  std::string theme_dir;              // public-site theme overrides; empty = default theme
  int64_t posts_per_page = 10;        // public site and feeds
  std::string media_dir;              // uploaded/imported files; default <data_dir>/media
  int64_t scheduler_interval_s = 30;  // how often scheduled posts are checked
  // Anonymous answers of the public site and /wp-json kept in memory (api/public_cache.h);
  // 0 turns the cache off.
  int64_t response_cache_mb = 64;
  int64_t response_cache_ttl_s = 60;  // an entry is rendered again after this long
  // How late a change committed by another process (CLI import, another node) may be
  // seen by the cache; changes made through this server are seen at once. 0: never late.
  int64_t response_cache_recheck_ms = 1000;
  // Serialised /wp-json post objects kept for every reader, signed in or not, while
  // the practice's content is unchanged (api/wp_routes.h, WpPostJsonCache); 0: off.
  int64_t post_json_cache_mb = 32;
};

// The WebAssembly plugin host and the medical pipeline (docs/architecture.md, "Plugin host").
struct PluginsConfig {
  std::string worker_path;  // hcms-plugin-worker; default: the one built with this binary
  std::string builtin_dir;  // compiled built-in plugins; default: the build's plugins/ directory
  std::string cache_dir;    // compiled uploads; default <data_dir>/plugins
  std::string wasm2c = "wasm2c";
  std::string cc = "cc";
  int64_t workers = 0;  // worker processes; 0 = one per core
  int64_t worker_address_space_mb = 4096;
  int64_t memory_mb = 64;  // built-in stages' limits (uploads bring their own manifest)
  int64_t timeout_ms = 5000;
  int64_t max_output_bytes = 4 << 20;
  int64_t max_module_bytes = 8 << 20;
  int64_t pipeline_threads = 2;  // runs advanced in parallel
};

struct WebConfig {
  std::string admin_dir;  // built admin UI (index.html + assets/); empty = this build's output
};

struct Config {
  std::string data_dir = "./data";
  ServerConfig server;
  DatabaseConfig database;
  LogConfig log;
  HealthConfig health;
  AccountsConfig accounts;
  AuthConfig auth;
  PolicyFileConfig policy;
  AuditConfig audit;
  LgpdConfig lgpd;
  ContentConfig content;
  PluginsConfig plugins;
  WebConfig web;

  // Where the values came from, for `hcms config check`.
  std::string source_file;
  std::vector<std::string> env_overrides;  // variable names that were applied

  std::string SqlitePath() const;
  std::string MediaDir() const;
  std::string PluginCacheDir() const;
  std::string PublicUrl(int bound_port) const;
  std::string JwtKeysPath() const;
  std::string SecretsKeyPath() const;
  std::string AuditKeyPath() const;
  std::string LgpdKeyPath() const;
};

struct ConfigSource {
  std::string file;                        // empty: defaults + environment only
  std::map<std::string, std::string> env;  // all variables; non-HCMS_ ones are ignored
};

// Reads the environment of this process.
std::map<std::string, std::string> CurrentEnvironment();

// Returns kInvalidArgument "config_invalid" with a detail naming the key and problem
// (and the file line where known).
Result<Config> LoadConfig(const ConfigSource& source);

// Parses a TOML document given as text (tests, and LoadConfig itself).
Result<Config> ParseConfig(std::string_view toml_text, std::string_view source_name,
                           const std::map<std::string, std::string>& env);

// The effective configuration as TOML, secrets replaced by "********".
std::string RenderConfig(const Config& config);

// Every known key, in order ("server.port", ...).
std::vector<std::string> ConfigKeys();

// "postgresql://user:secret@host/db" -> "postgresql://user:********@host/db";
// "password=secret" in key=value form is masked too.
std::string MaskConnectionString(std::string_view url);

}  // namespace hcms
