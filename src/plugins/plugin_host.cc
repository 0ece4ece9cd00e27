#include "plugins/plugin_host.h"

#include <condition_variable>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "plugins/process.h"

namespace hcms::plugins {

using wire::Outcome;

struct PluginHost::Worker {
  pid_t pid = -1;
  int fd = -1;
  int64_t calls = 0;

  bool alive() const { return pid > 0; }
  // Kills the process (if still running) and returns its exit status.
  int Kill() {
    int status = -1;
    if (pid > 0) {
      status = WaitPid(pid, std::chrono::milliseconds(0));
      if (status < 0) {
        kill(pid, SIGKILL);
        status = WaitPid(pid, std::chrono::milliseconds(2000));
      }
    }
    if (fd >= 0) close(fd);
    pid = -1;
    fd = -1;
    return status;
  }
};

struct PluginHost::Waiters {
  std::condition_variable cv;
};

PluginHost::PluginHost(HostOptions options)
    : options_(std::move(options)), waiters_(std::make_unique<Waiters>()) {
  int n = options_.workers;
  if (n <= 0) n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<Worker>());
    idle_.push_back(workers_.back().get());
  }
}

PluginHost::~PluginHost() {
  for (auto& w : workers_) w->Kill();
}

int PluginHost::worker_count() const { return static_cast<int>(workers_.size()); }

PluginHost::Health PluginHost::CheckHealth() {
  Health h;
  h.worker_executable = access(options_.worker_path.c_str(), X_OK) == 0;
  std::lock_guard lock(mu_);
  h.workers = static_cast<int>(workers_.size());
  h.busy = h.workers - static_cast<int>(idle_.size());
  h.restarted = restarted_;
  for (Worker* w : idle_) {
    if (w->alive() && WaitPid(w->pid, std::chrono::milliseconds(0)) >= 0) {
      w->pid = -1;  // exited on its own: reaped
      if (w->fd >= 0) close(w->fd);
      w->fd = -1;
      ++h.reaped;
    }
  }
  for (const auto& w : workers_) h.running += w->alive() ? 1 : 0;
  return h;
}

int64_t PluginHost::workers_restarted() const {
  std::lock_guard lock(mu_);
  return restarted_;
}

Result<PluginHost::Worker*> PluginHost::Acquire() {
  Worker* w = nullptr;
  {
    std::unique_lock lock(mu_);
    waiters_->cv.wait(lock, [this] { return !idle_.empty(); });
    w = idle_.back();
    idle_.pop_back();
  }
  if (w->alive()) return w;
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    Release(w);
    return Unavailable("plugin_worker_unavailable", "socketpair failed");
  }
  int child = sv[1];
  if (child == 3) {  // dup2(3, 3) would keep close-on-exec set
    child = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
    close(sv[1]);
  }
  auto pid = SpawnWithFd({options_.worker_path, "--address-space-mb",
                          std::to_string(options_.worker_address_space_mb)},
                         child);
  close(child);
  if (!pid) {
    close(sv[0]);
    Release(w);
    return std::unexpected(std::move(pid).error());
  }
  w->pid = *pid;
  w->fd = sv[0];
  return w;
}

void PluginHost::Release(Worker* w) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(w);
  }
  waiters_->cv.notify_one();
}

void PluginHost::Record(const LoadedPlugin& p, std::chrono::microseconds d, bool error,
                        bool timeout) {
  std::lock_guard lock(mu_);
  auto& s = stats_[p.key];
  s.name = p.name;
  ++s.calls;
  if (error) ++s.errors;
  if (timeout) ++s.timeouts;
  s.total_us += d.count();
  s.max_us = std::max<int64_t>(s.max_us, d.count());
}

std::map<std::string, PluginStats> PluginHost::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

namespace {

std::unexpected<Error> Fail(ErrorKind kind, std::string code, std::string detail,
                            std::string internal) {
  return std::unexpected(Error(kind, std::move(code), std::move(detail), std::move(internal)));
}

}  // namespace

Result<PluginCallResult> PluginHost::Call(const LoadedPlugin& plugin, std::string_view function,
                                          std::string_view input,
                                          const std::map<std::string, std::string>* extra_config) {
  const auto start = std::chrono::steady_clock::now();
  wire::CallRequest req;
  req.module_key = plugin.key;
  req.library_path = plugin.library_path;
  req.function = std::string(function);
  req.input = std::string(input);
  req.config = plugin.config;
  if (extra_config != nullptr) {
    for (const auto& [k, v] : *extra_config) req.config[k] = v;
  }
  req.grants = plugin.grants;
  req.memory_pages = plugin.limits.memory_mb * 16;  // 64 KiB pages
  req.kernel_bytes = uint64_t{plugin.limits.memory_mb} << 20;
  req.max_output_bytes = plugin.limits.max_output_bytes;
  const std::string frame = wire::Encode(req);

  HCMS_TRY(Worker * w, Acquire());
  const int64_t deadline = wire::MonotonicMs() + plugin.limits.timeout_ms;
  bool timed_out = false;
  std::optional<std::string> reply;
  if (wire::WriteFrame(w->fd, frame)) {
    const size_t max_frame = plugin.limits.max_output_bytes + (8u << 20);
    for (;;) {
      reply = wire::ReadFrame(w->fd, deadline, max_frame, &timed_out);
      if (!reply || wire::TypeOf(*reply) != wire::FrameType::kHostRequest) break;
      // A guest's call to a host function served here; the worker waits for the answer.
      auto hreq = wire::DecodeHostRequest(*reply);
      if (!hreq) {
        reply.reset();
        break;
      }
      wire::HostResponse hres;
      auto fn = options_.host_functions.find(hreq->function);
      if (fn != options_.host_functions.end()) {
        auto out = fn->second(hreq->payload);
        if (out) {
          hres.ok = true;
          hres.payload = std::move(*out);
        } else {
          hres.payload = out.error().code();
        }
      } else {
        hres.payload = "no_backend";
      }
      if (!wire::WriteFrame(w->fd, wire::Encode(hres))) {
        reply.reset();
        break;
      }
    }
  }
  std::optional<wire::CallResponse> res;
  if (reply) res = wire::DecodeResponse(*reply);
  int exit_status = 0;
  if (!res) {
    exit_status = w->Kill();
    {
      std::lock_guard lock(mu_);
      ++restarted_;
    }
  }
  Release(w);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  if (!res) {
    Record(plugin, elapsed, true, timed_out);
    log::Warn(
        timed_out ? "plugin_timeout" : "plugin_worker_died",
        {{"plugin", plugin.name}, {"ms", elapsed.count() / 1000}, {"exit_status", exit_status}});
    if (timed_out) {
      return Fail(ErrorKind::kDeadlineExceeded, "plugin_timeout",
                  "O plugin excedeu o tempo limite e foi interrompido.",
                  fmt::format("{} exceeded {} ms", plugin.name, plugin.limits.timeout_ms));
    }
    return Fail(ErrorKind::kFailedPrecondition, "plugin_crashed",
                "O processo do plugin terminou de forma inesperada.", plugin.name);
  }
  const bool ok = res->outcome == Outcome::kOk;
  Record(plugin, elapsed, !ok, false);
  switch (res->outcome) {
    case Outcome::kOk: {
      PluginCallResult out;
      out.output = std::move(res->output);
      out.logs = std::move(res->logs);
      out.duration = elapsed;
      out.guest_time = std::chrono::microseconds(res->micros);
      out.guest_memory_bytes = res->guest_memory_bytes;
      return out;
    }
    case Outcome::kPluginError: {
      Error e(ErrorKind::kFailedPrecondition, "plugin_error", "O plugin retornou um erro.",
              fmt::format("{} returned {}", plugin.name, res->rc));
      e.WithField("plugin_message", "plugin_error", res->detail.substr(0, 512));
      return std::unexpected(std::move(e));
    }
    case Outcome::kTrap: {
      Error e(ErrorKind::kFailedPrecondition, "plugin_trap",
              "O plugin foi interrompido por um acesso inválido ou erro de execução.",
              fmt::format("{}: {}", plugin.name, res->detail));
      e.WithField("trap", "plugin_trap", res->detail);
      return std::unexpected(std::move(e));
    }
    case Outcome::kMemoryLimit:
      return Fail(ErrorKind::kFailedPrecondition, "plugin_memory_limit",
                  "O plugin excedeu o limite de memória.",
                  fmt::format("{}: {}", plugin.name, res->detail));
    case Outcome::kOutputTooLarge:
      return Fail(ErrorKind::kFailedPrecondition, "plugin_output_too_large",
                  "A saída do plugin excedeu o tamanho máximo.", plugin.name);
    case Outcome::kDenied:
      if (res->detail == "lgpd_detector_unavailable") {
        return Fail(ErrorKind::kUnavailable, "plugin_host_unavailable",
                    "O detector de dados pessoais não está disponível.", res->detail);
      }
      return Fail(ErrorKind::kPermissionDenied, "plugin_host_function_denied",
                  "O plugin chamou uma função do host que não lhe foi concedida.",
                  fmt::format("{}: {}", plugin.name, res->detail));
    case Outcome::kLoadFailed:
      if (res->detail == "function_not_found") {
        return Fail(ErrorKind::kNotFound, "plugin_function_not_found",
                    "O plugin não exporta essa função.", plugin.name);
      }
      return Fail(ErrorKind::kInternal, "plugin_load_failed", {},
                  fmt::format("{}: {}", plugin.name, res->detail));
  }
  return Internal("unknown plugin outcome");
}

}  // namespace hcms::plugins
