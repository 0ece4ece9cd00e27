// The command line against the real binary.

#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"
#include "tests/support/postgres_server.h"

namespace hcms::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs `hcms <args>` with a config file holding `toml` and extra environment.
RunResult Hcms(std::vector<std::string> args, const std::string& toml = {},
               std::map<std::string, std::string> env = {}, std::string stdin_data = {}) {
  static TempDir dir;
  static int n = 0;
  const std::string config = dir.File("c" + std::to_string(++n) + ".toml");
  WriteFile(config, "data_dir = \"" + dir.File("data" + std::to_string(n)) +
                        "\"\n[accounts]\npassword_ops_limit = 1\npassword_mem_mb = 8\n" + toml);
  SpawnOptions o;
  o.argv = {HcmsBinary()};
  for (auto& a : args) o.argv.push_back(std::move(a));
  o.argv.push_back("--config");
  o.argv.push_back(config);
  o.env = CleanEnvironment();
  for (auto& [k, v] : env) o.env[k] = v;
  o.stdin_data = std::move(stdin_data);
  return RunProcess(o);
}

TEST(Cli, VersionAndHelp) {
  auto v = RunProcess({.argv = {HcmsBinary(), "version"}, .env = CleanEnvironment()});
  EXPECT_EQ(v.status, 0);
  EXPECT_THAT(v.out, ::testing::StartsWith("hcms 0.1.0"));
  auto none = RunProcess({.argv = {HcmsBinary()}, .env = CleanEnvironment()});
  EXPECT_EQ(none.status, 2);
  auto bogus = RunProcess({.argv = {HcmsBinary(), "frobnicate"}, .env = CleanEnvironment()});
  EXPECT_EQ(bogus.status, 2);
}

TEST(Cli, ConfigCheckPrintsEffectiveConfigWithSecretsMasked) {
  auto r = Hcms({"config", "check"},
                "[database]\nbackend = \"postgres\"\nurl = \"postgresql://app:hunter2@db/x\"\n",
                {{"HCMS_SERVER_PORT", "9999"}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("port = 9999"));
  EXPECT_THAT(r.out, HasSubstr("postgresql://app:********@db/x"));
  EXPECT_THAT(r.out, HasSubstr("HCMS_SERVER_PORT"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("hunter2")));
}

TEST(Cli, ConfigCheckRejectsUnknownKeysAndBadValues) {
  auto unknown = Hcms({"config", "check"}, "[server]\nprot = 1\n");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_THAT(unknown.err, HasSubstr("server.prot"));
  auto env = Hcms({"config", "check"}, "", {{"HCMS_SERVR_PORT", "1"}});
  EXPECT_EQ(env.status, 2);
  EXPECT_THAT(env.err, HasSubstr("HCMS_SERVR_PORT"));
  auto range = Hcms({"config", "check"}, "[server]\nport = -1\n");
  EXPECT_EQ(range.status, 2);
  EXPECT_THAT(range.err, HasSubstr("out of range"));
  auto level = Hcms({"config", "check"}, "", {{"HCMS_SERVER_COMPRESSION_LEVEL", "10"}});
  EXPECT_EQ(level.status, 2);
  EXPECT_THAT(level.err, HasSubstr("server.compression_level"));
  auto flag = Hcms({"config", "check"}, "[server]\ncompression = \"sometimes\"\n");
  EXPECT_EQ(flag.status, 2);
  EXPECT_THAT(flag.err, HasSubstr("server.compression"));
  auto missing =
      RunProcess({.argv = {HcmsBinary(), "config", "check", "--config", "/nonexistent.toml"},
                  .env = CleanEnvironment()});
  EXPECT_EQ(missing.status, 2);
}

TEST(Cli, ServeWithABadConfigExits2) {
  auto r = Hcms({"serve"}, "[log]\nlevel = \"loud\"\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("log.level"));
}

TEST(Cli, ServeOnATakenPortExits1) {
  HcmsProcess running;
  auto r = Hcms({"serve"}, "[server]\nport = " + std::to_string(running.port()) + "\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("listen_failed"));
}

TEST(Cli, ServeWithAnUnreachableDatabaseExits1WithoutLeakingThePassword) {
  auto r = Hcms(
      {"serve"},
      "[database]\nbackend = \"postgres\"\nurl = \"postgresql://app:hunter2@127.0.0.1:1/x\"\n");
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("database_unavailable"));
  EXPECT_THAT(r.err, Not(HasSubstr("hunter2")));
}

TEST(Cli, MigrateIsIdempotentAndServeRefusesAnUnmigratedDatabaseWhenAsked) {
  const std::string toml = "[database]\nmigrate_on_start = false\n";
  HcmsProcess s({.extra_toml = toml, .wait_ready = false});
  EXPECT_EQ(s.process().Wait(std::chrono::seconds(10)), 1);
  EXPECT_THAT(s.Stderr(), HasSubstr("hcms migrate"));
  auto first = s.Cli({"migrate"});
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("0 -> "));
  auto second = s.Cli({"migrate"});
  EXPECT_EQ(second.status, 0);
  EXPECT_THAT(second.out, HasSubstr("(0 migra"));
  s.Restart();
  EXPECT_EQ(Request(s.port(), "GET", "/health")->status, 200);
}

TEST(Cli, MigrateWorksOnPostgres) {
  const std::string url = PostgresServer::Shared().CreateDatabase();
  auto r = Hcms({"migrate"}, "[database]\nbackend = \"postgres\"\nurl = \"" + url + "\"\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("0 -> "));
}

TEST(Cli, TenantAndUserCreation) {
  HcmsProcess s;
  auto t = s.Cli({"tenant", "create", "--slug", "clinica-sol", "--name", "Clínica Sol", "--host",
                  "sol.example"});
  EXPECT_EQ(t.status, 0) << t.err;
  EXPECT_THAT(t.out, HasSubstr("slug=clinica-sol"));

  auto dup = s.Cli({"tenant", "create", "--slug", "clinica-sol", "--name", "Outra"});
  EXPECT_EQ(dup.status, 1);
  EXPECT_THAT(dup.err, HasSubstr("tenant_exists"));
  auto bad = s.Cli({"tenant", "create", "--slug", "Clínica!", "--name", "X"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.err, HasSubstr("slug (invalid_format)"));

  auto admin = s.Cli({"user", "create", "--tenant", "clinica-sol", "--email", "Ana@Sol.example",
                      "--name", "Ana", "--admin"});
  EXPECT_EQ(admin.status, 0) << admin.err;
  EXPECT_THAT(admin.out, HasSubstr("role=practice_admin"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(admin.out, m, std::regex("shown only once\\): ([A-Za-z0-9]{20})")));

  auto taken = s.Cli({"user", "create", "--tenant", "clinica-sol", "--email", "ana@sol.example",
                      "--name", "Ana 2"});
  EXPECT_EQ(taken.status, 1);
  EXPECT_THAT(taken.err, HasSubstr("email_taken"));

  auto chosen = s.Cli({"user", "create", "--tenant", "clinica-sol", "--email", "bia@sol.example",
                       "--name", "Bia", "--role", "doctor", "--password-stdin"},
                      "uma senha bem longa\n");
  EXPECT_EQ(chosen.status, 0) << chosen.err;
  EXPECT_THAT(chosen.out, Not(HasSubstr("uma senha")));
  EXPECT_THAT(chosen.out, Not(HasSubstr("generated password")));

  auto weak = s.Cli(
      {"user", "create", "--email", "c@sol.example", "--name", "C", "--password-stdin"}, "curta\n");
  EXPECT_EQ(weak.status, 2);
  auto role =
      s.Cli({"user", "create", "--email", "d@sol.example", "--name", "D", "--role", "wizard"});
  EXPECT_EQ(role.status, 2);
  auto email = s.Cli({"user", "create", "--email", "not-an-email", "--name", "E"});
  EXPECT_EQ(email.status, 2);
  auto ghost =
      s.Cli({"user", "create", "--tenant", "ghost", "--email", "e@x.example", "--name", "E"});
  EXPECT_EQ(ghost.status, 1);
}

}  // namespace
}  // namespace hcms::testing
