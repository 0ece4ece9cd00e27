// The real `hcms` binary, started for a test with its own data directory and
// configuration, on a free port.
//
//   HcmsProcess server({.backend = Backend::kSqlite});
//   auto r = Request(server.port(), "GET", "/health");
//   EXPECT_EQ(server.Stop(), 0);   // SIGTERM, graceful

#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {

enum class Backend { kSqlite, kPostgres };
std::string BackendName(Backend b);

struct HcmsOptions {
  Backend backend = Backend::kSqlite;
  std::string extra_toml;                  // appended to the generated config
  std::map<std::string, std::string> env;  // extra environment (HCMS_* overrides)
  bool wait_ready = true;
};

// The hcms binary under test (TEST_HCMS_BINARY, set by CTest).
std::string HcmsBinary();

class HcmsProcess {
 public:
  explicit HcmsProcess(HcmsOptions options = {});
  ~HcmsProcess();

  int port() const { return port_; }
  const std::string& config_path() const { return config_path_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string Stdout() const;
  std::string Stderr() const;
  Subprocess& process() { return *process_; }
  // SIGTERM and wait; returns the exit status.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Starts the server again on the same data directory and configuration.
  void Restart();

  // Runs `hcms <args>` with this instance's configuration.

  RunResult Cli(std::vector<std::string> args, std::string stdin_data = {}) const;

 private:
  TempDir dir_;
  HcmsOptions options_;
  std::string config_path_;
  std::string data_dir_;
  std::string database_url_;
  std::unique_ptr<Subprocess> process_;
  int port_ = 0;
};

// Environment for child hcms processes: the test's own, minus HCMS_* variables.
std::map<std::string, std::string> CleanEnvironment();

}  // namespace hcms::testing
