#include "tests/support/postgres_server.h"

#include <atomic>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "store/database.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace hcms::testing {

namespace {

std::string FindBinDir() {
  for (int v : {17, 16, 15}) {
    const std::string dir = fmt::format("/usr/lib/postgresql/{}/bin", v);
    if (std::filesystem::exists(dir + "/initdb")) return dir;
  }
  throw std::runtime_error("PostgreSQL server binaries not found (install postgresql-15)");
}

}  // namespace

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

struct PostgresServer::Impl {
  TempDir dir;
  std::optional<std::string> user;
  std::unique_ptr<Subprocess> server;
  std::atomic<int> databases{0};
  std::mutex mu;
};

PostgresServer::PostgresServer() : impl_(std::make_unique<Impl>()) {
  const std::string bin = FindBinDir();
  const std::string data = impl_->dir.File("data");
  if (geteuid() == 0) {
    impl_->user = "postgres";
    struct passwd* pw = getpwnam("postgres");
    if (pw == nullptr) throw std::runtime_error("running as root but no 'postgres' user exists");
    if (chown(impl_->dir.path().c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("chown failed");
  }
  SpawnOptions init;
  init.argv = {bin + "/initdb",
               "-D",
               data,
               "-U",
               "hcms",
               "-A",
               "trust",
               "-E",
               "UTF8",
               "--locale=C.UTF-8",
               "--no-sync",
               "--no-instructions"};
  init.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  init.run_as_user = impl_->user;
  init.cwd = impl_->dir.path();
  auto r = RunProcess(init, std::chrono::seconds(120));
  if (r.status != 0) throw std::runtime_error("initdb failed: " + r.err);

  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    SpawnOptions o;
    o.argv = {bin + "/postgres",
              "-D",
              data,
              "-p",
              std::to_string(port_),
              "-k",
              impl_->dir.path(),
              "-c",
              "listen_addresses=127.0.0.1",
              "-c",
              "fsync=off",
              "-c",
              "synchronous_commit=off",
              "-c",
              "full_page_writes=off",
              "-c",
              "max_connections=300",
              "-c",
              "shared_buffers=64MB"};
    o.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
    o.stderr_path = impl_->dir.File("postgres.log");
    o.run_as_user = impl_->user;
    o.cwd = impl_->dir.path();
    o.parent_death_signal = SIGQUIT;  // immediate shutdown if the test program dies
    impl_->server = std::make_unique<Subprocess>(o);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && impl_->server->Running()) {
      store::DatabaseOptions opts;
      opts.dialect = store::Dialect::kPostgres;
      opts.postgres_url = Url("postgres");
      if (store::OpenPostgres(opts)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    impl_->server.reset();  // port taken, most likely: try another
  }
  throw std::runtime_error("PostgreSQL did not start: " +
                           ReadFile(impl_->dir.File("postgres.log")));
}

PostgresServer::~PostgresServer() {
  if (impl_->server) {
    impl_->server->Signal(SIGINT);  // fast shutdown
    if (!impl_->server->Wait(std::chrono::seconds(15))) impl_->server->Signal(SIGKILL);
    impl_->server.reset();
  }
}

PostgresServer& PostgresServer::Shared() {
  static std::once_flag once;
  static std::unique_ptr<PostgresServer> server;
  std::call_once(once, [] { server.reset(new PostgresServer()); });
  return *server;
}

std::string PostgresServer::Url(std::string_view database) const {
  return fmt::format("postgresql://hcms@127.0.0.1:{}/{}", port_, database);
}

std::string PostgresServer::DatabaseName(std::string_view url) {
  return std::string(url.substr(url.rfind('/') + 1));
}

std::string PostgresServer::CreateDatabase(std::string_view template_db) {
  const std::string name = fmt::format("hcms_test_{}_{}", getpid(), impl_->databases.fetch_add(1));
  store::DatabaseOptions opts;
  opts.dialect = store::Dialect::kPostgres;
  opts.postgres_url = Url("postgres");
  auto conn = store::OpenPostgres(opts);
  if (!conn)
    throw std::runtime_error("connect to PostgreSQL failed: " + conn.error().ToLogString());
  // FILE_COPY is much faster than the default WAL_LOG for small databases.
  if (auto s = (*conn)->ExecuteScript(
          fmt::format("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY", name, template_db));
      !s) {
    throw std::runtime_error("CREATE DATABASE failed: " + s.error().ToLogString());
  }
  return Url(name);
}

}  // namespace hcms::testing
