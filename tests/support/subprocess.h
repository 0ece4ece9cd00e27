// Child processes for tests: start with arguments, environment and optional user,
// send signals, wait with a deadline. Output goes to files for inspection.

#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/types.h>

namespace hcms::testing {

struct SpawnOptions {
  std::vector<std::string> argv;           // argv[0] is the program path
  std::map<std::string, std::string> env;  // the complete environment
  std::string stdout_path;                 // "" = /dev/null
  std::string stderr_path;                 // "" = /dev/null
  std::string stdin_data;                  // written to the child's stdin, then closed
  std::optional<std::string> run_as_user;  // drop privileges (when running as root)
  std::string cwd;
  int parent_death_signal = SIGKILL;  // sent to the child if the test process dies
};

class Subprocess {
 public:
  explicit Subprocess(const SpawnOptions& options);
  ~Subprocess();  // kills (SIGKILL) and reaps a child still running
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int signo);
  // The exit status (exit code, or 128 + signal), or nullopt if still running at the deadline.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Runs to completion; returns {exit status, stdout, stderr}.
struct RunResult {
  int status;
  std::string out;
  std::string err;
};
RunResult RunProcess(const SpawnOptions& options,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The current environment without variables whose names start with `prefix`.
std::map<std::string, std::string> EnvironmentWithout(std::string_view prefix);

}  // namespace hcms::testing
