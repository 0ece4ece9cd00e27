// The composition root: reads the configuration, opens the database, builds every
// service and the route table, and runs the server. Nothing else constructs
// services.

#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "accounts/password.h"
#include "accounts/users.h"
#include "core/config.h"
#include "core/error.h"
#include "pipeline/orchestrator.h"
#include "plugins/plugin_host.h"
#include "plugins/registry.h"
#include "store/database.h"
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
  // Declared in dependency order: the orchestrator stops before the host.
  std::unique_ptr<plugins::PluginHost> plugin_host_;
  std::unique_ptr<plugins::PluginRegistry> plugin_registry_;
  std::unique_ptr<pipeline::Orchestrator> orchestrator_;
  std::thread detector_warmup_;  // joined by the destructor
};

// Translates the configuration for the storage layer.
store::DatabaseOptions DatabaseOptionsFrom(const Config& config);

}  // namespace hcms::app
