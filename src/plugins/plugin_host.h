// The plugin host: runs calls into compiled WebAssembly plugins in a pool of worker
// processes (hcms-plugin-worker, see worker/worker_main.cc).
//
// Each worker runs one call at a time; the pool has one worker per core by default,
// so calls run in parallel on all cores. A call that overruns its time budget gets
// its worker killed (SIGKILL) and answers plugin_timeout; the next call starts a
// fresh worker. A worker that dies (a crash, a seccomp kill) costs only the call in
// flight. Nothing a guest does can take the server process down.
//
//   PluginHost host({.worker_path = "/usr/libexec/hcms/hcms-plugin-worker"});
//   LoadedPlugin p{.key = sha, .library_path = "/var/lib/hcms/plugins/<sha>.so"};
//   HCMS_TRY(auto out, host.Call(p, "validate", input_json));
//
// Thread-safe: Call may be used from any number of threads.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "plugins/wire.h"

namespace hcms::plugins {

struct PluginLimits {
  uint32_t memory_mb = 64;     // guest linear memory, and separately the kernel memory
  uint32_t timeout_ms = 2000;  // wall-clock budget of one call, loading included
  uint64_t max_output_bytes = 4 << 20;
};

// A compiled plugin as the host needs it.
struct LoadedPlugin {
  std::string key;           // SHA-256 of the module (hex)
  std::string name;          // for stats and logs
  std::string library_path;  // the shared object built by CompileModule
  uint32_t grants = 0;       // Grant bits
  PluginLimits limits;
  std::map<std::string, std::string> config;  // config_get values
};

struct PluginCallResult {
  std::string output;
  std::vector<wire::LogLine>
      logs;  // the plugin's own log lines (may hold anything: never log them)
  std::chrono::microseconds duration{0};    // round trip, as the caller saw it
  std::chrono::microseconds guest_time{0};  // inside the worker
  uint64_t guest_memory_bytes = 0;
};

struct PluginStats {
  std::string name;
  int64_t calls = 0;
  int64_t errors = 0;
  int64_t timeouts = 0;
  int64_t total_us = 0;
  int64_t max_us = 0;
};

// A host function served by the server process (the worker forwards the call).
// Returns the bytes handed back to the guest. Called on the caller's thread, inside
// the call's time budget. Must be thread-safe.
using HostCallback = std::function<Result<std::string>(std::string_view payload)>;

struct HostOptions {
  std::string worker_path;
  // By host function name ("lgpd_scan"). A granted function without a callback
  // fails the call with plugin_host_unavailable.
  std::map<std::string, HostCallback, std::less<>> host_functions;
  int workers = 0;                          // 0: one per core
  uint64_t worker_address_space_mb = 4096;  // RLIMIT_AS of each worker
};

class PluginHost {
 public:
  explicit PluginHost(HostOptions options);
  ~PluginHost();  // kills the workers
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Calls `function` (an export of type () -> i32) with `input`. `extra_config` is
  // merged over plugin.config. Errors (all with a stable code):
  //   kDeadlineExceeded plugin_timeout; kFailedPrecondition plugin_error (the
  //   plugin returned non-zero or set an error; its message is the field
  //   "plugin_message"), plugin_trap (field "trap"), plugin_memory_limit,
  //   plugin_output_too_large, plugin_crashed, plugin_function_not_found;
  //   kPermissionDenied plugin_host_function_denied; kUnavailable
  //   plugin_host_unavailable (a granted host function has no backend),
  //   plugin_worker_unavailable; kInternal plugin_load_failed.
  Result<PluginCallResult> Call(const LoadedPlugin& plugin, std::string_view function,
                                std::string_view input,
                                const std::map<std::string, std::string>* extra_config = nullptr);

  // Per plugin key.
  std::map<std::string, PluginStats> Stats() const;
  int worker_count() const;
  int64_t workers_restarted() const;

  // For /health. Idle workers whose process has died are reaped here (the next
  // call would start a new one anyway).
  struct Health {
    int workers = 0;                 // pool size
    int running = 0;                 // worker processes up (started on first use)
    int busy = 0;                    // in a call now
    int reaped = 0;                  // idle workers found dead by this check
    int64_t restarted = 0;           // replaced after a timeout or crash, since start
    bool worker_executable = false;  // the worker program can be started
  };
  Health CheckHealth();

 private:
  struct Worker;
  Result<Worker*> Acquire();
  void Release(Worker* w);
  void Record(const LoadedPlugin& p, std::chrono::microseconds d, bool error, bool timeout);

  HostOptions options_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> idle_;
  std::map<std::string, PluginStats> stats_;
  int64_t restarted_ = 0;
  struct Waiters;
  std::unique_ptr<Waiters> waiters_;
};

}  // namespace hcms::plugins
