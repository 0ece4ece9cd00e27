#include "tests/support/subprocess.h"

#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace hcms::testing {

Subprocess::Subprocess(const SpawnOptions& o) {
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : o.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  uid_t uid = 0;
  gid_t gid = 0;
  if (o.run_as_user) {
    struct passwd* pw = getpwnam(o.run_as_user->c_str());
    if (pw == nullptr) throw std::runtime_error("no such user: " + *o.run_as_user);
    uid = pw->pw_uid;
    gid = pw->pw_gid;
  }
  int in_pipe[2] = {-1, -1};
  if (pipe2(in_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");

  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Child: only async-signal-safe calls from here on.
    dup2(in_pipe[0], 0);
    const char* out = o.stdout_path.empty() ? "/dev/null" : o.stdout_path.c_str();
    const char* err = o.stderr_path.empty() ? "/dev/null" : o.stderr_path.c_str();
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fo >= 0) dup2(fo, 1);
    if (fe >= 0) dup2(fe, 2);
    setpgid(0, 0);
    if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) _exit(126);
    if (o.run_as_user) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(125);
    }
    // After setuid, which clears it. If the parent is already gone, give up.
    if (o.parent_death_signal != 0) {
      prctl(PR_SET_PDEATHSIG, o.parent_death_signal);
      if (getppid() != parent) _exit(124);
    }
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  if (!o.stdin_data.empty()) {
    const char* p = o.stdin_data.data();
    size_t left = o.stdin_data.size();
    while (left > 0) {
      ssize_t n = write(in_pipe[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<size_t>(n);
    }
  }
  close(in_pipe[1]);
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !status_) {
    kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
  }
}

void Subprocess::Signal(int signo) {
  if (pid_ > 0 && !status_) kill(pid_, signo);
}

bool Subprocess::Running() {
  if (status_) return false;
  return !Wait(std::chrono::milliseconds(0)).has_value();
}

std::optional<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int st = 0;
    const pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

RunResult RunProcess(const SpawnOptions& options, std::chrono::milliseconds timeout) {
  TempDir dir;
  SpawnOptions o = options;
  o.stdout_path = dir.File("out");
  o.stderr_path = dir.File("err");
  Subprocess p(o);
  auto status = p.Wait(timeout);
  RunResult r{status.value_or(-1), ReadFile(o.stdout_path), ReadFile(o.stderr_path)};
  return r;
}

std::map<std::string, std::string> EnvironmentWithout(std::string_view prefix) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view k = kv.substr(0, eq);
    if (k.substr(0, prefix.size()) == prefix) continue;
    env.emplace(std::string(k), std::string(kv.substr(eq + 1)));
  }
  return env;
}

}  // namespace hcms::testing
