// The composition root: reads the configuration, opens the database, builds every
// service and the route table, and runs the server. Nothing else constructs
// services.

#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "accounts/app_passwords.h"
#include "accounts/auth_service.h"
#include "accounts/password.h"
#include "accounts/sessions.h"
#include "accounts/throttle.h"
#include "accounts/users.h"
#include "api/api.h"
#include "api/public_cache.h"
#include "api/wp_routes.h"
#include "audit/audit_log.h"
#include "content/service.h"
#include "core/config.h"
#include "core/error.h"
#include "http/router.h"
#include "lgpd/master_key.h"
#include "ops/health.h"
#include "ops/metrics.h"
#include "pipeline/orchestrator.h"
#include "plugins/plugin_host.h"
#include "plugins/registry.h"
#include "policy/engine.h"
#include "privacy/services.h"
#include "site/site.h"
#include "store/database.h"
#include "tenants/resolver.h"
#include "tenants/tenants.h"
#include "web/admin_routes.h"

namespace hcms::app {

struct FirstAdmin {
  std::string tenant_slug;
  std::string email;
  std::string password;  // shown once, never stored in clear
};

// Writes every workflow transition to the audit trail.
class WorkflowAudit final : public content::WorkflowObserver {
 public:
  explicit WorkflowAudit(audit::AuditLog& audit);
  void OnTransition(const content::TransitionRecord& record, const content::Actor& actor) override;

 private:
  audit::AuditLog& audit_;
};

class Application {
 public:
  // Creates the data directory, opens the database and, when `migrate` is true,
  // applies pending migrations.
  static Result<std::unique_ptr<Application>> Open(const Config& config, bool migrate);
  ~Application();

  const Config& config() const { return config_; }
  store::Database& db() { return *db_; }
  tenants::TenantRepository& tenants() { return *tenants_; }
  accounts::UserRepository& users() { return *users_; }
  content::ContentService& content() { return *content_; }
  accounts::PasswordParams password_params() const;
  accounts::SessionRepository& sessions() { return *sessions_; }
  accounts::AppPasswordRepository& app_passwords() { return *app_passwords_; }
  accounts::AuthService& auth() { return *auth_; }
  policy::PolicyEngine& policy() { return *policy_; }
  audit::AuditLog& audit() { return *audit_; }
  const crypto::SigningKey& audit_key() const { return *audit_key_; }
  privacy::Services& privacy() { return *privacy_; }
  const lgpd::MasterKey& lgpd_master_key() const { return lgpd_key_; }

  // The whole route table: operations routes and the admin UI's static files on the
  // raw router, everything else through the API layer (api/api.h). Used by Serve and
  // by `hcms routes` (so the authorization matrix test sees every route);
  // `admin_ui` null: /admin answers 503 admin_ui_unavailable.
  struct Routes {
    http::Router router;
    std::unique_ptr<tenants::TenantResolver> resolver;
    std::unique_ptr<api::Api> api;
    std::unique_ptr<site::Site> site;                 // the public site (content)
    std::unique_ptr<api::PublicCache> public_cache;   // anonymous answers (null: off)
    std::unique_ptr<api::WpPostJsonCache> post_json;  // serialised /wp-json posts (null: off)
  };
  std::unique_ptr<Routes> BuildRoutes(ops::HealthRegistry& health, ops::MetricsRegistry& metrics,
                                      std::function<bool()> ready,
                                      std::function<std::string()> public_url,
                                      std::shared_ptr<const web::AdminAssets> admin_ui = nullptr);

  // SIGHUP: re-reads the policy file and the JWT key ring. Keeps the old ones when
  // the new ones are invalid.
  void Reload();

  // On a database without users: creates the default tenant (if missing) and a
  // super administrator with a generated password, returned once. nullopt otherwise.
  Result<std::optional<FirstAdmin>> Bootstrap();

  // Builds the plugin host (worker pool), the registry and the pipeline orchestrator,
  // warms the LGPD detector and, when `resume`, schedules runs a previous process
  // left unfinished. `pipeline_threads` < 0 uses the configuration (0 runs inline).
  Status StartPipeline(bool resume, int pipeline_threads = -1);
  plugins::PluginHost& plugin_host() { return *plugin_host_; }
  plugins::PluginRegistry& plugin_registry() { return *plugin_registry_; }
  pipeline::Orchestrator& orchestrator() { return *orchestrator_; }

  // Serves until SIGTERM/SIGINT; returns the process exit code. `started` is when
  // the process began, for the start-up time log line.
  int Serve(std::chrono::steady_clock::time_point started);

 private:
  explicit Application(Config config) : config_(std::move(config)) {}
  Config config_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<tenants::TenantRepository> tenants_;
  std::unique_ptr<accounts::UserRepository> users_;
  std::unique_ptr<accounts::SessionRepository> sessions_;
  std::unique_ptr<accounts::AppPasswordRepository> app_passwords_;
  std::unique_ptr<accounts::LoginThrottle> throttle_;
  std::unique_ptr<accounts::AuthService> auth_;
  std::unique_ptr<policy::PolicyEngine> policy_;
  std::unique_ptr<crypto::SigningKey> audit_key_;
  std::unique_ptr<audit::AuditLog> audit_;
  lgpd::MasterKey lgpd_key_{};
  std::unique_ptr<privacy::AuditTrailSink> privacy_sink_;
  std::unique_ptr<privacy::Services> privacy_;
  std::unique_ptr<content::ContentService> content_;
  std::unique_ptr<content::WorkflowObserver> workflow_audit_;
  // Declared in dependency order: the orchestrator stops before the host.
  std::unique_ptr<plugins::PluginHost> plugin_host_;
  std::unique_ptr<plugins::PluginRegistry> plugin_registry_;
  std::unique_ptr<pipeline::Orchestrator> orchestrator_;
  std::thread detector_warmup_;  // joined by the destructor
};

// Translates the configuration for the storage layer.
store::DatabaseOptions DatabaseOptionsFrom(const Config& config);

}  // namespace hcms::app
