// The composition root: reads the configuration, opens the database, builds every
// service and the route table, and runs the server. Nothing else constructs
// services.

#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "accounts/password.h"
#include "accounts/users.h"
#include "content/service.h"
#include "core/config.h"
#include "core/error.h"
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
  content::ContentService& content() { return *content_; }
  accounts::PasswordParams password_params() const;

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
  std::unique_ptr<content::ContentService> content_;
};

// Translates the configuration for the storage layer.
store::DatabaseOptions DatabaseOptionsFrom(const Config& config);

}  // namespace hcms::app
