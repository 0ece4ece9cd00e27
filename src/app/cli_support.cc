#include "app/cli_support.h"

#include <iostream>

#include "core/log.h"

namespace hcms::app::cli {

void Fail(std::string_view pt, std::string_view en, std::string_view detail) {
  std::cerr << "erro: " << pt;
  if (!detail.empty()) std::cerr << ": " << detail;
  std::cerr << "\nerror: " << en << "\n";
}

std::optional<Config> Load(const std::string& file) {
  auto cfg = LoadConfig({.file = file, .env = CurrentEnvironment()});
  if (!cfg) {
    Fail("configuração inválida", "invalid configuration", cfg.error().detail());
    return std::nullopt;
  }
  log::Init({.level = cfg->log.level, .json = cfg->log.format == "json"});
  return std::move(*cfg);
}

std::unique_ptr<Application> OpenApp(const Config& cfg, bool migrate) {
  auto app = Application::Open(cfg, migrate);
  if (!app) {
    log::Error("startup_failed", {{"error", app.error().ToLogString()}});
    Fail("não foi possível abrir o banco de dados", "could not open the database",
         app.error().detail().empty() ? app.error().code() : app.error().detail());
    return nullptr;
  }
  return std::move(*app);
}

}  // namespace hcms::app::cli
