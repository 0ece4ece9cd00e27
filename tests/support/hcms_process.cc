#include "tests/support/hcms_process.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "tests/support/http_client.h"
#include "tests/support/postgres_server.h"

namespace hcms::testing {

std::string BackendName(Backend b) { return b == Backend::kSqlite ? "sqlite" : "postgres"; }

std::string HcmsBinary() {
  const char* p = std::getenv("TEST_HCMS_BINARY");
  if (p == nullptr)
    throw std::runtime_error("TEST_HCMS_BINARY is not set (run the tests through ctest)");
  return p;
}

std::map<std::string, std::string> CleanEnvironment() { return EnvironmentWithout("HCMS_"); }

HcmsProcess::HcmsProcess(HcmsOptions options) : options_(std::move(options)) {
  data_dir_ = dir_.File("data");
  config_path_ = dir_.File("hcms.toml");
  std::string toml = fmt::format(
      "data_dir = \"{}\"\n[server]\nport = 0\nport_file = \"{}\"\nshutdown_timeout_ms = 5000\n"
      "[accounts]\npassword_ops_limit = 1\npassword_mem_mb = 8\n",
      data_dir_, dir_.File("port"));
  if (options_.backend == Backend::kPostgres) {
    database_url_ = PostgresServer::Shared().CreateDatabase();
    toml += fmt::format("[database]\nbackend = \"postgres\"\nurl = \"{}\"\n", database_url_);
  }
  toml += options_.extra_toml;
  WriteFile(config_path_, toml);
  Restart();
}

void HcmsProcess::Restart() {
  if (process_ && process_->Running()) Stop();
  port_ = 0;
  std::filesystem::remove(dir_.File("port"));
  SpawnOptions o;

  o.argv = {HcmsBinary(), "serve", "--config", config_path_};
  o.env = CleanEnvironment();
  for (const auto& [k, v] : options_.env) o.env[k] = v;
  o.stdout_path = dir_.File("stdout");
  o.stderr_path = dir_.File("stderr");
  process_ = std::make_unique<Subprocess>(o);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string port = ReadFile(dir_.File("port"));
    if (!port.empty()) {
      port_ = std::stoi(port);
      break;
    }
    if (!process_->Running()) {
      if (!options_.wait_ready) return;
      throw std::runtime_error("hcms exited during start-up: " + Stderr());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (port_ == 0) throw std::runtime_error("hcms did not start listening: " + Stderr());
}

HcmsProcess::~HcmsProcess() {
  if (process_ && process_->Running()) Stop(std::chrono::seconds(10));
}

std::string HcmsProcess::Stdout() const { return ReadFile(dir_.File("stdout")); }
std::string HcmsProcess::Stderr() const { return ReadFile(dir_.File("stderr")); }

int HcmsProcess::Stop(std::chrono::milliseconds timeout) {
  process_->Signal(SIGTERM);
  auto status = process_->Wait(timeout);
  if (!status) {
    process_->Signal(SIGKILL);
    status = process_->Wait(std::chrono::seconds(5));
    return -1;
  }
  return *status;
}

RunResult HcmsProcess::Cli(std::vector<std::string> args, std::string stdin_data) const {
  SpawnOptions o;
  o.argv = {HcmsBinary()};
  for (auto& a : args) o.argv.push_back(std::move(a));
  o.argv.push_back("--config");
  o.argv.push_back(config_path_);
  o.env = CleanEnvironment();
  o.stdin_data = std::move(stdin_data);
  return RunProcess(o);
}

}  // namespace hcms::testing
