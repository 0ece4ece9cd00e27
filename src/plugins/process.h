// Child processes for the plugin host: running the translator and the C compiler
// with a deadline, and starting worker processes.

#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/error.h"

namespace hcms::plugins {

struct ProgramResult {
  int status = 0;          // exit code, or 128 + signal
  std::string output;      // standard output and error, the last 16 KiB
  bool timed_out = false;  // killed at the deadline
};

// Runs argv[0] (searched in PATH) to completion or until `timeout`, when it is
// killed. kUnavailable "plugin_toolchain_missing" when it cannot be started.
Result<ProgramResult> RunProgram(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout);

// Starts argv[0] with `fd` as its descriptor 3 and every other descriptor above 2
// closed. Returns the pid.
Result<pid_t> SpawnWithFd(const std::vector<std::string>& argv, int fd);

// Waits up to `timeout` for `pid` to exit; returns its status (as above) or -1.
int WaitPid(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace hcms::plugins
