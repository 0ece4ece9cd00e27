// The composition root: reads the configuration, opens the database, builds every
// service and the route table, and runs the server. Nothing else constructs
// services.

#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "accounts/app_passwords.h"
#include "accounts/auth_service.h"
#include "accounts/password.h"
#include "accounts/sessions.h"
#include "accounts/throttle.h"
#include "accounts/users.h"
#include "api/api.h"
#include "audit/audit_log.h"
#include "core/config.h"
#include "core/error.h"
#include "http/router.h"
#include "lgpd/master_key.h"
#include "ops/health.h"
#include "ops/metrics.h"
#include "policy/engine.h"
#include "privacy/services.h"
#include "store/database.h"
#include "tenants/resolver.h"
#include "tenants/tenants.h"

namespace hcms::app {

struct FirstAdmin {
  std::string tenant_slug;
  std::string email;
  std::string password;  // shown once, never stored in clear
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
  accounts::PasswordParams password_params() const;
  accounts::SessionRepository& sessions() { return *sessions_; }
  accounts::AppPasswordRepository& app_passwords() { return *app_passwords_; }
  accounts::AuthService& auth() { return *auth_; }
  policy::PolicyEngine& policy() { return *policy_; }
  audit::AuditLog& audit() { return *audit_; }
  const crypto::SigningKey& audit_key() const { return *audit_key_; }
  privacy::Services& privacy() { return *privacy_; }
  const lgpd::MasterKey& lgpd_master_key() const { return lgpd_key_; }

  // The whole route table: operations routes on the raw router, everything else
  // through the API layer (api/api.h). Used by Serve and by `hcms routes`.
  struct Routes {
    http::Router router;
    std::unique_ptr<tenants::TenantResolver> resolver;
    std::unique_ptr<api::Api> api;
  };
  std::unique_ptr<Routes> BuildRoutes(ops::HealthRegistry& health, ops::MetricsRegistry& metrics,
                                      std::function<bool()> ready,
                                      std::function<std::string()> public_url);

  // SIGHUP: re-reads the policy file and the JWT key ring. Keeps the old ones when
  // the new ones are invalid.
  void Reload();

  // On a database without users: creates the default tenant (if missing) and a
  // super administrator with a generated password, returned once. nullopt otherwise.
  Result<std::optional<FirstAdmin>> Bootstrap();

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
};

// Translates the configuration for the storage layer.
store::DatabaseOptions DatabaseOptionsFrom(const Config& config);

}  // namespace hcms::app
