#include "plugins/process.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace hcms::plugins {

namespace {

std::vector<char*> Argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int StatusOf(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

int PidFd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

int WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  int raw = 0;
  pid_t r = waitpid(pid, &raw, WNOHANG);
  if (r == pid) return StatusOf(raw);
  const int pfd = PidFd(pid);
  if (pfd >= 0) {
    pollfd p{pfd, POLLIN, 0};
    (void)poll(&p, 1, static_cast<int>(timeout.count()));
    close(pfd);
  }
  r = waitpid(pid, &raw, WNOHANG);
  return r == pid ? StatusOf(raw) : -1;
}

Result<ProgramResult> RunProgram(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return Internal("pipe failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
  auto args = Argv(argv);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    return std::unexpected(Error(ErrorKind::kUnavailable, "plugin_toolchain_missing", {},
                                 argv[0] + ": " + std::strerror(rc)));
  }
  ProgramResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int pfd = PidFd(pid);
  char buf[4096];
  bool open = true;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    pollfd p[2] = {{open ? pipefd[0] : -1, POLLIN, 0}, {pfd, POLLIN, 0}};
    if (poll(p, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    if (open && (p[0].revents & (POLLIN | POLLHUP)) != 0) {
      const ssize_t n = read(pipefd[0], buf, sizeof buf);
      if (n <= 0) {
        open = false;
      } else {
        result.output.append(buf, static_cast<size_t>(n));
        if (result.output.size() > (32u << 10))
          result.output.erase(0, result.output.size() - (16u << 10));
      }
    }
    if (!open && (p[1].revents & POLLIN) != 0) break;
    if (pfd < 0 && !open) break;
  }
  close(pipefd[0]);
  if (pfd >= 0) close(pfd);
  int raw = 0;
  waitpid(pid, &raw, 0);
  result.status = StatusOf(raw);
  return result;
}

Result<pid_t> SpawnWithFd(const std::vector<std::string>& argv, int fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fd, 3);
  auto args = Argv(argv);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    return std::unexpected(Error(ErrorKind::kUnavailable, "plugin_worker_unavailable", {},
                                 argv[0] + ": " + std::strerror(rc)));
  }
  return pid;
}

}  // namespace hcms::plugins
