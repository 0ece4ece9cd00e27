#include "app/application.h"

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "api/audit_verify_routes.h"
#include "api/auth_routes.h"
#include "api/content_routes.h"
#include "api/lgpd_routes.h"
#include "api/media_routes.h"
#include "api/ops_routes.h"
#include "api/pipeline_routes.h"
#include "api/public_cache.h"
#include "api/public_site_routes.h"
#include "api/publication.h"
#include "api/site_routes.h"
#include "api/user_routes.h"
#include "api/wp_routes.h"
#include "app/build_info.h"
#include "core/clock.h"
#include "core/log.h"
#include "http/access_log.h"
#include "http/server.h"
#include "lgpd/detector.h"
#include "ops/health.h"
#include "ops/http_metrics.h"
#include "ops/metrics.h"
#include "ops/process_stats.h"
#include "plugins/host_functions.h"
#include "store/migrations.h"
#include "tenants/resolver.h"
#include "web/admin_routes.h"

namespace hcms::app {

store::DatabaseOptions DatabaseOptionsFrom(const Config& c) {
  store::DatabaseOptions o;
  o.dialect =
      c.database.backend == "postgres" ? store::Dialect::kPostgres : store::Dialect::kSqlite;
  o.sqlite_path = c.SqlitePath();
  o.postgres_url = c.database.url;
  o.pool_size = static_cast<int>(c.database.pool_size);
  o.acquire_timeout = std::chrono::milliseconds(c.database.acquire_timeout_ms);
  o.statement_timeout = std::chrono::milliseconds(c.database.statement_timeout_ms);
  return o;
}

Application::~Application() {
  if (detector_warmup_.joinable()) detector_warmup_.join();
  orchestrator_.reset();  // finishes the stage in flight, which may audit
  audit_.reset();         // writes what is queued and signs a final checkpoint
}

void Application::Reload() {
  auto policy_config = policy::LoadPolicyConfig(config_.policy.file);
  if (!policy_config) {
    log::Error("policy_reload_failed", {{"error", policy_config.error().detail()}});
  } else {
    policy_->Reload(std::move(*policy_config));
    log::Info("policy_reloaded", {{"file", config_.policy.file}});
  }
  auto keys = crypto::LoadOrCreateKeyRing(config_.JwtKeysPath(), SystemClock::Instance().Now());
  if (!keys) {
    log::Error("jwt_keys_reload_failed", {{"error", keys.error().ToLogString()}});
  } else {
    log::Info("jwt_keys_reloaded", {{"active_kid", keys->active}, {"keys", keys->keys.size()}});
    auth_->SetKeyRing(std::move(*keys));
  }
  audit::Entry e;
  e.action = "policy.reload";
  e.resource = "policy";
  e.decision = policy_config ? "success" : "failure";
  e.request_id = "-";
  (void)audit_->Append(std::move(e));
}

WorkflowAudit::WorkflowAudit(audit::AuditLog& audit) : audit_(audit) {}

void WorkflowAudit::OnTransition(const content::TransitionRecord& r, const content::Actor& actor) {
  audit::Entry e;
  e.tenant_id = r.tenant_id;
  e.actor_user_id = actor.user_id;
  e.action = std::string("content.") + std::string(content::ActionName(r.action));
  e.resource = "post:" + std::to_string(r.post_id);
  e.decision = "done";
  if (!actor.system) e.trust_score = actor.trust_score;
  e.ip_anon = "-";
  e.request_id = "-";
  e.details = {{"from", content::PostStatusName(r.from)},
               {"to", content::PostStatusName(r.to)},
               {"transition_id", r.id},
               {"system", actor.system}};
  if (auto s = audit_.Append(std::move(e)); !s) {
    log::Error("audit_append_failed", {{"error", s.error().ToLogString()}});
  }
}

namespace {

http::CompressionOptions CompressionFrom(const Config& c) {
  return {.enabled = c.server.compression,
          .level = static_cast<int>(c.server.compression_level),
          .min_bytes = static_cast<size_t>(c.server.compression_min_bytes)};
}

void RegisterPublicCacheMetrics(ops::MetricsRegistry& m, const api::PublicCache& cache) {
  m.Callback("hcms_public_cache_lookups_total",
             "Anonymous public-site and /wp-json reads looked up in the response cache",
             ops::MetricType::kCounter, [&cache] {
               const auto s = cache.Stats();
               return std::vector<ops::Sample>{
                   {{{"result", "hit"}}, static_cast<double>(s.hits)},
                   {{{"result", "miss"}}, static_cast<double>(s.misses)}};
             });
  m.Callback("hcms_public_cache_evictions_total", "Entries evicted to stay within the size limit",
             ops::MetricType::kCounter, [&cache] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(cache.Stats().evictions)}};
             });
  m.Callback("hcms_public_cache_stale_hits_total",
             "Hits (also in lookups_total) on an expired answer while one request renders it "
             "again",
             ops::MetricType::kCounter, [&cache] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(cache.Stats().stale_hits)}};
             });
  m.Callback("hcms_public_cache_bytes", "Memory held by the response cache (approximate)",
             ops::MetricType::kGauge, [&cache] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(cache.Stats().bytes)}};
             });
  m.Callback("hcms_public_cache_entries", "Answers in the response cache", ops::MetricType::kGauge,
             [&cache] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(cache.Stats().entries)}};
             });
}

void RegisterPostJsonCacheMetrics(ops::MetricsRegistry& m, const api::WpPostJsonCache& cache) {
  m.Callback("hcms_post_json_cache_lookups_total",
             "Serialised /wp-json posts looked up (a miss serialises the post again)",
             ops::MetricType::kCounter, [&cache] {
               const auto s = cache.Stats();
               return std::vector<ops::Sample>{
                   {{{"result", "hit"}}, static_cast<double>(s.hits)},
                   {{{"result", "miss"}}, static_cast<double>(s.misses)}};
             });
  m.Callback("hcms_post_json_cache_bytes", "Memory held by serialised /wp-json posts (approximate)",
             ops::MetricType::kGauge, [&cache] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(cache.Stats().bytes)}};
             });
}

}  // namespace

std::unique_ptr<Application::Routes> Application::BuildRoutes(
    ops::HealthRegistry& health, ops::MetricsRegistry& metrics, std::function<bool()> ready,
    std::function<std::string()> public_url, std::shared_ptr<const web::AdminAssets> admin_ui) {
  auto r = std::make_unique<Routes>();
  r->resolver = std::make_unique<tenants::TenantResolver>(*tenants_, config_.server.default_tenant);
  if (config_.content.response_cache_mb > 0) {
    r->public_cache = std::make_unique<api::PublicCache>(
        [content = content_.get()](int64_t tenant_id) { return content->Generation(tenant_id); },
        api::PublicCacheOptions{
            .max_bytes = static_cast<size_t>(config_.content.response_cache_mb) << 20,
            .ttl = std::chrono::seconds(config_.content.response_cache_ttl_s),
            .recheck = std::chrono::milliseconds(config_.content.response_cache_recheck_ms),
            .compression = CompressionFrom(config_)});
    RegisterPublicCacheMetrics(metrics, *r->public_cache);
  }
  if (config_.content.post_json_cache_mb > 0) {
    r->post_json = std::make_unique<api::WpPostJsonCache>(
        static_cast<size_t>(config_.content.post_json_cache_mb) << 20);
    RegisterPostJsonCacheMetrics(metrics, *r->post_json);
  }
  r->api = std::make_unique<api::Api>(r->router,
                                      api::ApiServices{.resolver = *r->resolver,
                                                       .auth = *auth_,
                                                       .policy = *policy_,
                                                       .audit = *audit_,
                                                       .clock = SystemClock::Instance(),
                                                       .public_url = public_url,
                                                       .public_cache = r->public_cache.get()});
  api::AddOpsRoutes(
      r->router,
      {.health = health, .metrics = metrics, .ready = std::move(ready), .version = kVersion});
  api::AddSiteRoutes(*r->api, {.public_url = public_url, .version = kVersion});
  api::AddAuthRoutes(*r->api, *users_, *sessions_, *app_passwords_,
                     {.cookie_secure = config_.auth.cookie_secure});
  api::AddLgpdRoutes(*r->api, {.master_key = lgpd_key_, .privacy = *privacy_});
  api::AddUserRoutes(*r->api, *users_, *sessions_, password_params());
  api::AddAuditRoutes(*r->api);
  // Content: the native API, /wp-json and, last, the public site (catch-all GET).
  auto theme = site::Theme::Load(config_.content.theme_dir);
  if (!theme) {
    log::Error("theme_invalid", {{"error", theme.error().detail()}});
    theme = site::Theme::Load("");
  }
  r->site = std::make_unique<site::Site>(
      *content_, *theme,
      site::SiteOptions{.posts_per_page = static_cast<int>(config_.content.posts_per_page)});
  api::AddContentRoutes(*r->api,
                        {.content = *content_, .public_url = public_url, .policy = policy_.get()});
  api::AddWpRoutes(*r->api, {.content = *content_,
                             .public_url = public_url,
                             .policy = policy_.get(),
                             .post_json = r->post_json.get()});
  api::AddPublicSiteRoutes(*r->api, {.site = *r->site,
                                     .public_url = public_url,
                                     .media_dir = config_.MediaDir(),
                                     .router = &r->router});
  api::AddMediaRoutes(
      *r->api, {.content = *content_, .media_dir = config_.MediaDir(), .policy = policy_.get()});
  if (orchestrator_) {
    api::AddPipelineRoutes(*r->api, {.registry = *plugin_registry_,
                                     .host = *plugin_host_,
                                     .orchestrator = *orchestrator_,
                                     .content = *content_,
                                     .public_url = public_url});
  }
  api::AddAuditVerifyRoutes(*r->api, *db_, *audit_key_);
  web::AddAdminRoutes(r->router, std::move(admin_ui));
  return r;
}

accounts::PasswordParams Application::password_params() const {
  return {static_cast<uint64_t>(config_.accounts.password_ops_limit),
          static_cast<uint64_t>(config_.accounts.password_mem_mb) << 20};
}

Result<std::unique_ptr<Application>> Application::Open(const Config& config, bool migrate) {
  std::unique_ptr<Application> app(new Application(config));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return std::unexpected(
        Error(ErrorKind::kUnavailable, "data_dir_unavailable",
              fmt::format("Não foi possível criar o diretório de dados {}.", config.data_dir),
              ec.message()));
  }
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  HCMS_TRY(app->db_, store::Database::Open(DatabaseOptionsFrom(config)));
  if (migrate) {
    HCMS_TRY(auto report, store::Migrate(*app->db_, store::BuiltinMigrations(app->db_->dialect()),
                                         SystemClock::Instance()));
    if (!report.applied.empty()) {
      log::Info("schema_migrated", {{"from", report.from_version}, {"to", report.to_version}});
    }
  }
  app->tenants_ = std::make_unique<tenants::TenantRepository>(*app->db_, SystemClock::Instance());
  const Clock& clock = SystemClock::Instance();
  app->users_ = std::make_unique<accounts::UserRepository>(*app->db_, clock);
  app->sessions_ = std::make_unique<accounts::SessionRepository>(*app->db_, clock);
  app->app_passwords_ = std::make_unique<accounts::AppPasswordRepository>(*app->db_, clock);
  const auto& ac = config.auth;
  app->throttle_ = std::make_unique<accounts::LoginThrottle>(
      clock, accounts::ThrottleOptions{.max_failures = static_cast<int>(ac.max_failures),
                                       .base_lockout = std::chrono::seconds(ac.lockout_s),
                                       .max_lockout = std::chrono::seconds(ac.max_lockout_s),
                                       .ip_max_failures = static_cast<int>(ac.ip_max_failures),
                                       .ip_window = std::chrono::seconds(ac.ip_window_s)});
  HCMS_TRY(auto secrets, accounts::SecretBox::LoadOrCreate(config.SecretsKeyPath()));
  HCMS_TRY(auto keys, crypto::LoadOrCreateKeyRing(config.JwtKeysPath(), clock.Now()));
  HCMS_TRY(auto policy_config, policy::LoadPolicyConfig(config.policy.file));
  app->policy_ = std::make_unique<policy::PolicyEngine>(std::move(policy_config));
  app->auth_ = std::make_unique<accounts::AuthService>(
      *app->users_, *app->sessions_, *app->app_passwords_, *app->throttle_, std::move(secrets),
      std::move(keys),
      accounts::AuthOptions{.access_ttl = std::chrono::seconds(ac.access_token_ttl_s),
                            .refresh_ttl = std::chrono::seconds(ac.refresh_token_ttl_s),
                            .mfa_issuer = ac.mfa_issuer,
                            .password = app->password_params()},
      clock);
  policy::PolicyEngine* pe = app->policy_.get();
  tenants::TenantRepository* tenants = app->tenants_.get();
  app->auth_->SetTrustScorer([pe, tenants](const accounts::User& user, uint8_t amr,
                                           bool device_known, TimePoint auth_time,
                                           std::string_view session_id, std::string_view ip) {
    auto tenant = tenants->FindById(user.tenant_id);
    policy::Subject s{.user_id = user.id,
                      .tenant_id = user.tenant_id,
                      .role = user.role,
                      .amr = amr,
                      .session_id = session_id,
                      .authenticated_at = auth_time,
                      .device_known = device_known};
    return pe->SessionScore(s, {.resource_class = ResourceClass::kInternal,
                                .permission = policy::Permission::kAuthenticated,
                                .ip = ip,
                                .timezone = tenant ? tenant->timezone : "America/Sao_Paulo",
                                .now = SystemClock::Instance().Now()});
  });
  HCMS_TRY(auto audit_key, crypto::SigningKey::LoadOrCreate(config.AuditKeyPath()));
  app->audit_key_ = std::make_unique<crypto::SigningKey>(std::move(audit_key));
  HCMS_TRY(auto audit_key2, crypto::SigningKey::LoadOrCreate(config.AuditKeyPath()));
  app->audit_ = std::make_unique<audit::AuditLog>(
      *app->db_, clock, std::move(audit_key2),
      audit::AuditOptions{.checkpoint_every = config.audit.checkpoint_every});
  HCMS_TRY(app->lgpd_key_, lgpd::LoadOrCreateMasterKey(config.LgpdKeyPath()));
  app->privacy_sink_ = std::make_unique<privacy::AuditTrailSink>(*app->audit_);
  app->privacy_ = std::make_unique<privacy::Services>(*app->db_, clock, *app->privacy_sink_);
  (void)lgpd::DefaultDetector();  // load the pattern database before the first request
  app->content_ = std::make_unique<content::ContentService>(*app->db_, clock);
  // Every workflow transition goes to the audit trail (ids and statuses only).
  app->workflow_audit_ = std::make_unique<WorkflowAudit>(*app->audit_);
  app->content_->workflow().AddObserver(app->workflow_audit_.get());
  // Nothing is published without passing both (api/publication.h): unhandled
  // sensitive data first, then a completed pipeline run of the current revision,
  // whose package becomes what readers see.
  app->content_->workflow().AddPublishGate(std::make_shared<api::LgpdPublishGate>());
  app->content_->workflow().AddPublishGate(std::make_shared<api::PipelinePublishGate>());
  return app;
}

Status Application::StartPipeline(bool resume, int pipeline_threads) {
  if (orchestrator_) return Ok();
  const auto& pc = config_.plugins;
  const auto started = std::chrono::steady_clock::now();
  plugin_host_ = std::make_unique<plugins::PluginHost>(plugins::HostOptions{
      .worker_path = pc.worker_path.empty() ? HCMS_PLUGIN_WORKER_PATH : pc.worker_path,
      .host_functions = plugins::DefaultHostFunctions(),
      .workers = static_cast<int>(pc.workers),
      .worker_address_space_mb = static_cast<uint64_t>(pc.worker_address_space_mb)});
  plugins::RegistryOptions ro;
  ro.cache_dir = config_.PluginCacheDir();
  ro.builtin_dir = pc.builtin_dir.empty() ? HCMS_BUILTIN_PLUGIN_DIR : pc.builtin_dir;
  ro.compile.wasm2c = pc.wasm2c;
  ro.compile.cc = pc.cc;
  ro.max_module_bytes = static_cast<size_t>(pc.max_module_bytes);
  ro.builtin_limits = {.memory_mb = static_cast<uint32_t>(pc.memory_mb),
                       .timeout_ms = static_cast<uint32_t>(pc.timeout_ms),
                       .max_output_bytes = static_cast<uint64_t>(pc.max_output_bytes)};
  std::error_code ec;
  std::filesystem::create_directories(ro.cache_dir, ec);
  for (const auto& b : plugins::BuiltinPlugins()) {
    const std::string so = ro.builtin_dir + "/" + std::string(b.file) + ".so";
    if (!std::filesystem::exists(so, ec)) {
      return Unavailable("plugins_missing", "built-in plugin not found: " + so);
    }
  }
  plugin_registry_ =
      std::make_unique<plugins::PluginRegistry>(*db_, SystemClock::Instance(), std::move(ro));
  // The detector's pattern database is built once per process: build it now, beside
  // start-up, not inside the first S.1.1 call's time budget.
  detector_warmup_ = std::thread([] { (void)plugins::PersonalDataScan()(""); });
  orchestrator_ = std::make_unique<pipeline::Orchestrator>(
      *db_, SystemClock::Instance(), *plugin_registry_, *plugin_host_,
      pipeline::OrchestratorOptions{.threads = pipeline_threads >= 0
                                                   ? pipeline_threads
                                                   : static_cast<int>(pc.pipeline_threads)});
  log::Info("pipeline_ready", {{"workers", plugin_host_->worker_count()},
                               {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - started)
                                          .count()}});
  if (resume) HCMS_CHECK(orchestrator_->ResumeUnfinished());
  return Ok();
}

Result<std::optional<FirstAdmin>> Application::Bootstrap() {
  HCMS_TRY(int64_t users, users_->CountAll());
  if (users > 0) return std::optional<FirstAdmin>();
  const std::string slug = config_.server.default_tenant;
  auto tenant = tenants_->FindBySlug(slug);
  if (!tenant && tenant.error().kind() == ErrorKind::kNotFound) {
    tenant = tenants_->Create({.slug = slug, .name = "Minha Clínica"});
  }
  if (!tenant) return std::unexpected(std::move(tenant).error());
  HCMS_CHECK(content_->EnsureTenantDefaults(tenant->id));
  FirstAdmin admin{slug, "admin@" + slug + ".hcms.local", accounts::GeneratePassword(20)};
  HCMS_TRY(std::string hash, accounts::HashPassword(admin.password, password_params()));
  HCMS_TRY(auto user, users_->Create(tenant->id, {.email = admin.email,
                                                  .display_name = "Administrador",
                                                  .role = accounts::Role::kSuperAdmin,
                                                  .password_hash = hash}));
  log::Info("first_admin_created", {{"tenant_id", tenant->id}, {"user_id", user.id}});
  return std::optional<FirstAdmin>(std::move(admin));
}

namespace {

int CoreCount() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

http::ServerOptions ServerOptionsFrom(const Config& c) {
  const auto& s = c.server;
  http::ServerOptions o;
  o.address = s.listen_address;
  o.port = static_cast<int>(s.port);
  o.io_threads = s.io_threads > 0 ? static_cast<int>(s.io_threads) : CoreCount();
  o.worker_threads =
      s.worker_threads > 0 ? static_cast<int>(s.worker_threads) : std::max(4, 2 * CoreCount());
  o.max_queued_requests = static_cast<int>(s.max_queued_requests);
  o.max_connections = static_cast<int>(s.max_connections);
  o.max_body_bytes = static_cast<size_t>(s.max_body_bytes);
  o.max_header_bytes = static_cast<size_t>(s.max_header_bytes);
  o.header_timeout = std::chrono::milliseconds(s.header_timeout_ms);
  o.body_timeout = std::chrono::milliseconds(s.body_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(s.idle_timeout_ms);
  o.write_timeout = std::chrono::milliseconds(s.write_timeout_ms);
  o.shutdown_timeout = std::chrono::milliseconds(s.shutdown_timeout_ms);
  o.compression = CompressionFrom(c);
  o.retry_after_seconds = static_cast<int>(s.retry_after_seconds);
  for (const auto& p : s.trusted_proxies) {
    if (auto cidr = Cidr::Parse(p)) o.trusted_proxies.push_back(*cidr);  // checked at load
  }
  o.handle_signals = true;
  return o;
}

// The admin UI's files, read once; null (and /admin answers 503) when there is no
// build, which is logged but does not stop the API from serving.
std::shared_ptr<const web::AdminAssets> LoadAdminUi(const Config& c) {
  const std::string dir = c.web.admin_dir.empty() ? std::string(kAdminUiDir) : c.web.admin_dir;
  if (dir.empty()) {
    log::Warn("admin_ui_unavailable", {{"reason", "built without the admin UI"}});
    return nullptr;
  }
  auto assets = web::AdminAssets::LoadDirectory(dir);
  if (!assets) {
    log::Warn("admin_ui_unavailable", {{"dir", dir}, {"error", assets.error().ToLogString()}});
    return nullptr;
  }
  log::Info("admin_ui_loaded",
            {{"dir", dir}, {"files", assets->file_count()}, {"bytes", assets->total_bytes()}});
  return std::make_shared<const web::AdminAssets>(std::move(*assets));
}

Status WritePortFile(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) return Unavailable("port_file_unwritable", "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("port_file_unwritable", ec.message());
  return Ok();
}

void RegisterHealthChecks(ops::HealthRegistry& health, store::Database& db, const Config& config) {
  health.Add("database", [&db] {
    auto latency = db.Ping();
    nlohmann::json d = {{"backend", store::DialectName(db.dialect())}};
    if (!latency) {
      d["error"] = latency.error().code();
      return ops::CheckResult::Fail(std::move(d));
    }
    d["latency_ms"] = static_cast<double>(latency->count()) / 1000.0;
    const auto pool = db.Stats();
    d["pool"] = {{"size", pool.size},
                 {"open", pool.open},
                 {"in_use", pool.in_use},
                 {"waiting", pool.waiting}};
    return ops::CheckResult::Ok(std::move(d));
  });
  const int64_t max_rss = config.health.max_rss_mb << 20;
  health.Add("memory", [max_rss] {
    auto rss = ops::ResidentMemoryBytes();
    if (!rss) return ops::CheckResult::Fail({{"error", "unreadable"}});
    nlohmann::json d = {{"rss_bytes", *rss}, {"limit_bytes", max_rss}};
    return *rss <= max_rss ? ops::CheckResult::Ok(std::move(d))
                           : ops::CheckResult::Fail(std::move(d));
  });
  const int64_t min_free = config.health.min_disk_free_mb << 20;
  health.Add("disk", [dir = config.data_dir, min_free] {
    auto free = ops::DiskFreeBytes(dir);
    if (!free) return ops::CheckResult::Fail({{"error", "unreadable"}});
    nlohmann::json d = {{"free_bytes", *free}, {"min_free_bytes", min_free}};
    return *free >= min_free ? ops::CheckResult::Ok(std::move(d))
                             : ops::CheckResult::Fail(std::move(d));
  });
}

// Each subsystem's own check (docs/operations.md, "Observability"). All critical:
// without plugin workers, the pipeline, the audit trail or the personal-data
// detector the server must not take traffic for publishing.
void RegisterSubsystemHealthChecks(ops::HealthRegistry& health, plugins::PluginHost& host,
                                   pipeline::Orchestrator& orchestrator, audit::AuditLog& audit) {
  health.Add("plugins", [&host] {
    const auto h = host.CheckHealth();
    nlohmann::json d = {{"workers", h.workers},     {"running", h.running},
                        {"busy", h.busy},           {"reaped", h.reaped},
                        {"restarted", h.restarted}, {"worker_executable", h.worker_executable}};
    const bool ok = h.worker_executable && h.workers > 0;
    return ok ? ops::CheckResult::Ok(std::move(d)) : ops::CheckResult::Fail(std::move(d));
  });
  health.Add("pipeline", [&orchestrator] {
    const auto h = orchestrator.CheckHealth();
    nlohmann::json d = {{"running", !h.stopping},
                        {"threads", h.threads},
                        {"backlog", h.queued},
                        {"advancing", h.advancing}};
    return h.stopping ? ops::CheckResult::Fail(std::move(d)) : ops::CheckResult::Ok(std::move(d));
  });
  health.Add("audit", [&audit] {
    constexpr size_t kMaxQueued = 10000;  // the writer is stuck or far behind
    const auto h = audit.CheckHealth();
    nlohmann::json d = {{"queued", h.queued},
                        {"written", h.written},
                        {"failed_writes", h.failed_writes},
                        {"last_write_ok", h.last_write_ok}};
    if (!h.last_write_ok) d["error"] = h.last_error_code;
    const bool ok = h.last_write_ok && h.queued < kMaxQueued;
    return ok ? ops::CheckResult::Ok(std::move(d)) : ops::CheckResult::Fail(std::move(d));
  });
  health.Add("lgpd", [] {
    // A canary: the detector is loaded and still finds a valid CPF (synthetic).
    const auto start = std::chrono::steady_clock::now();
    auto analysis = lgpd::Analyze("CPF 529.982.247-25");
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    const bool ok = analysis && !analysis->detections.empty() &&
                    analysis->detections.front().type == lgpd::PiiType::kCpf;
    nlohmann::json d = {{"detector_loaded", analysis.has_value()},
                        {"canary_ok", ok},
                        {"scan_ms", static_cast<double>(us) / 1000.0}};
    return ok ? ops::CheckResult::Ok(std::move(d)) : ops::CheckResult::Fail(std::move(d));
  });
}

void RegisterProcessMetrics(ops::MetricsRegistry& m, store::Database& db,
                            const http::Server& server, double start_time) {
  m.Callback("hcms_build_info", "Build information (always 1)", ops::MetricType::kGauge, [&db] {
    return std::vector<ops::Sample>{{{{"version", kVersion},
                                      {"commit", kCommit},
                                      {"compiler", kCompiler},
                                      {"backend", std::string(store::DialectName(db.dialect()))}},
                                     1}};
  });
  m.Callback("process_resident_memory_bytes", "Resident memory size in bytes",
             ops::MetricType::kGauge, [] {
               return std::vector<ops::Sample>{
                   {{}, static_cast<double>(ops::ResidentMemoryBytes().value_or(0))}};
             });
  m.Callback("process_open_fds", "Open file descriptors", ops::MetricType::kGauge, [] {
    return std::vector<ops::Sample>{
        {{}, static_cast<double>(ops::OpenFileDescriptors().value_or(0))}};
  });
  m.Callback("process_start_time_seconds",
             "Start time of the process since the Unix epoch in seconds", ops::MetricType::kGauge,
             [start_time] {
               return std::vector<ops::Sample>{{{}, start_time}};
             });
  m.Callback("hcms_db_pool_connections", "Database connections by state", ops::MetricType::kGauge,
             [&db] {
               const auto s = db.Stats();
               return std::vector<ops::Sample>{
                   {{{"state", "in_use"}}, static_cast<double>(s.in_use)},
                   {{{"state", "idle"}}, static_cast<double>(s.open - s.in_use)}};
             });
  m.Callback("hcms_db_pool_size", "Maximum database connections", ops::MetricType::kGauge, [&db] {
    return std::vector<ops::Sample>{{{}, static_cast<double>(db.Stats().size)}};
  });
  m.Callback("hcms_db_pool_waiting", "Threads waiting for a database connection",
             ops::MetricType::kGauge, [&db] {
               return std::vector<ops::Sample>{{{}, static_cast<double>(db.Stats().waiting)}};
             });
  m.Callback(
      "hcms_db_pool_acquire_timeouts_total", "Database connection requests that timed out",
      ops::MetricType::kCounter, [&db] {
        return std::vector<ops::Sample>{{{}, static_cast<double>(db.Stats().timeouts_total)}};
      });
  m.Callback(
      "hcms_http_connections_open", "Open client connections", ops::MetricType::kGauge, [&server] {
        return std::vector<ops::Sample>{{{}, static_cast<double>(server.Stats().connections_open)}};
      });
  m.Callback("hcms_http_connections_rejected_total", "Connections refused at the connection limit",
             ops::MetricType::kCounter, [&server] {
               return std::vector<ops::Sample>{
                   {{}, static_cast<double>(server.Stats().connections_rejected)}};
             });
  m.Callback(
      "hcms_http_worker_queue_depth", "Requests waiting for a worker thread",
      ops::MetricType::kGauge, [&server] {
        return std::vector<ops::Sample>{{{}, static_cast<double>(server.Stats().worker_queue)}};
      });
}

}  // namespace

int Application::Serve(std::chrono::steady_clock::time_point started) {
  ops::MetricsRegistry metrics;
  ops::HttpMetrics http_metrics(metrics);
  ops::HealthRegistry health;
  RegisterHealthChecks(health, *db_, config_);

  http::ObserverFanout observers;
  observers.Add(&http_metrics);
  std::unique_ptr<http::AccessLog> access_log;
  if (config_.log.access_log) {
    auto opened = http::AccessLog::Open(config_.log.access_log_path);
    if (!opened) {
      log::Error("startup_failed", {{"error", opened.error().ToLogString()}});
      return 1;
    }
    access_log = std::move(*opened);
    observers.Add(access_log.get());
  }

  if (auto s = StartPipeline(/*resume=*/true); !s) {
    log::Error("startup_failed", {{"error", s.error().ToLogString()}});
    return 1;
  }
  RegisterSubsystemHealthChecks(health, *plugin_host_, *orchestrator_, *audit_);
  http::ServerOptions server_options = ServerOptionsFrom(config_);
  server_options.on_reload = [this] { Reload(); };
  std::unique_ptr<http::Server> server;
  auto routes = BuildRoutes(
      health, metrics,
      [&server, this] { return server && !server->stopping() && db_->Ping().has_value(); },
      [&server, this] { return config_.PublicUrl(server ? server->port() : 0); },
      LoadAdminUi(config_));
  http::Router& router = routes->router;
  if (auto theme = site::Theme::Load(config_.content.theme_dir); !theme) {
    log::Error("startup_failed", {{"error", theme.error().detail()}});
    return 1;
  }
  if (auto all = tenants_->List(); all) {
    for (const auto& t : *all) {
      if (auto s = content_->EnsureTenantDefaults(t.id); !s) {
        log::Error("startup_failed", {{"error", s.error().ToLogString()}});
        return 1;
      }
    }
  }
  if (auto s = router.Validate(); !s) {
    log::Error("startup_failed", {{"error", s.error().detail()}});
    return 1;
  }

  server = std::make_unique<http::Server>(server_options, router, &observers);
  if (auto s = server->Listen(); !s) {
    log::Error("startup_failed", {{"error", s.error().ToLogString()}});
    return 1;
  }
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RegisterProcessMetrics(metrics, *db_, *server,
                         ToUnixSeconds(SystemClock::Instance().Now()) - uptime);
  if (!config_.server.port_file.empty()) {
    if (auto s = WritePortFile(config_.server.port_file, server->port()); !s) {
      log::Error("startup_failed", {{"error", s.error().ToLogString()}});
      return 1;
    }
  }
  const auto startup = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  log::Info("server_listening", {{"address", server_options.address},
                                 {"port", server->port()},
                                 {"url", config_.PublicUrl(server->port())},
                                 {"backend", store::DialectName(db_->dialect())},
                                 {"io_threads", server_options.io_threads},
                                 {"worker_threads", server_options.worker_threads},
                                 {"startup_ms", static_cast<double>(startup.count()) / 1000.0},
                                 {"version", kVersion}});
  // Trust refresher: session scores every score_refresh_seconds (15 minutes).
  std::mutex refresher_mu;
  std::condition_variable refresher_cv;
  bool refresher_stop = false;
  std::thread refresher([&] {
    std::unique_lock lock(refresher_mu);
    for (;;) {
      const auto period = std::chrono::seconds(policy_->config()->score_refresh_seconds);
      if (refresher_cv.wait_for(lock, period, [&] { return refresher_stop; })) return;
      policy_->RefreshScores(SystemClock::Instance().Now());
    }
  });
  // Scheduled posts are published by this job at their time.
  std::thread scheduler([&] {
    std::unique_lock lock(refresher_mu);
    const auto period = std::chrono::seconds(config_.content.scheduler_interval_s);
    while (!refresher_cv.wait_for(lock, period, [&] { return refresher_stop; })) {
      lock.unlock();
      if (auto n = content_->workflow().PublishDue(); !n) {
        log::Warn("scheduler_failed", {{"error", n.error().ToLogString()}});
      }
      lock.lock();
    }
  });
  server->Run();
  {
    std::lock_guard lock(refresher_mu);
    refresher_stop = true;
  }
  refresher_cv.notify_all();
  refresher.join();
  scheduler.join();
  if (auto s = audit_->Checkpoint(); !s) {
    log::Error("audit_checkpoint_failed", {{"error", s.error().ToLogString()}});
  }
  log::Info("server_stopped");
  return 0;
}

}  // namespace hcms::app
