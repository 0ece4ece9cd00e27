// A real PostgreSQL server for tests: initdb in a temporary directory, a free port
// on 127.0.0.1, fsync off; stopped and removed when the test program ends.
//
// PostgreSQL refuses to run as root, so when the tests run as root the server runs
// as the `postgres` system user (created by Debian's postgresql-common).
//
//   std::string url = PostgresServer::Shared().CreateDatabase();  // a fresh database

#pragma once

#include <memory>
#include <string>

namespace hcms::testing {

class PostgresServer {
 public:
  // Started on first use; throws std::runtime_error if PostgreSQL cannot start.
  static PostgresServer& Shared();
  ~PostgresServer();

  // Connection URL for an existing database.
  std::string Url(std::string_view database) const;
  // Creates a database (a copy of `template_db`, default the empty template1) and
  // returns its URL.
  std::string CreateDatabase(std::string_view template_db = "template1");
  // The name of a database URL's database ("postgresql://h:p/name" -> "name").
  static std::string DatabaseName(std::string_view url);
  int port() const { return port_; }

 private:
  PostgresServer();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
int FreePort();

}  // namespace hcms::testing
