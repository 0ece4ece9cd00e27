#include "core/config.h"

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hcms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Result<Config> Parse(std::string_view toml, std::map<std::string, std::string> env = {}) {
  return ParseConfig(toml, "test.toml", env);
}

TEST(Config, DefaultsWithoutFile) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().detail();
  EXPECT_EQ(c->server.listen_address, "127.0.0.1");
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->database.backend, "sqlite");
  EXPECT_EQ(c->SqlitePath(), "./data/hcms.db");
}

TEST(Config, ReadsEveryKindOfValue) {
  auto c = Parse(R"(
data_dir = "/var/lib/hcms"
[server]
port = 9090
listen_address = "0.0.0.0"
[database]
migrate_on_start = false
pool_size = 16
[log]
format = "text"
)");
  ASSERT_TRUE(c) << c.error().detail();
  EXPECT_EQ(c->data_dir, "/var/lib/hcms");
  EXPECT_EQ(c->server.port, 9090);
  EXPECT_EQ(c->server.listen_address, "0.0.0.0");
  EXPECT_FALSE(c->database.migrate_on_start);
  EXPECT_EQ(c->database.pool_size, 16);
  EXPECT_EQ(c->log.format, "text");
}

TEST(Config, TrustedProxiesAreAListOfNetworks) {
  auto c =
      Parse("[server]\ntrusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"2001:db8::/32\"]\n");
  ASSERT_TRUE(c) << c.error().detail();
  EXPECT_THAT(c->server.trusted_proxies,
              ::testing::ElementsAre("127.0.0.1", "10.0.0.0/8", "2001:db8::/32"));
  EXPECT_TRUE(Parse("")->server.trusted_proxies.empty());
  EXPECT_THAT(RenderConfig(*c),
              HasSubstr("trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"2001:db8::/32\"]"));
  auto env = Parse("", {{"HCMS_SERVER_TRUSTED_PROXIES", " 10.1.0.0/16 ,192.0.2.1,"}});
  ASSERT_TRUE(env) << env.error().detail();
  EXPECT_THAT(env->server.trusted_proxies, ::testing::ElementsAre("10.1.0.0/16", "192.0.2.1"));
  auto bad = Parse("[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().detail(), HasSubstr("server.trusted_proxies"));
  auto not_list = Parse("[server]\ntrusted_proxies = \"10.0.0.0/8\"\n");
  ASSERT_FALSE(not_list);
  EXPECT_THAT(not_list.error().detail(), HasSubstr("expected a list of strings"));
  EXPECT_FALSE(Parse("[server]\ntrusted_proxies = [1]\n"));
  EXPECT_FALSE(Parse("", {{"HCMS_SERVER_TRUSTED_PROXIES", "proxy.internal"}}));
}

TEST(Config, UnknownKeyIsAnErrorWithItsLine) {
  auto c = Parse("[server]\nport = 1\nprot = 2\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), "config_invalid");
  EXPECT_THAT(c.error().detail(), HasSubstr("server.prot"));
  EXPECT_THAT(c.error().detail(), HasSubstr("line 3"));
}

TEST(Config, UnknownSectionIsAnError) {
  auto c = Parse("[sever]\nport = 1\n");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("sever"));
}

TEST(Config, WrongTypeIsAnError) {
  auto c = Parse("[server]\nport = \"eighty\"\n");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("server.port: expected an integer"));
}

TEST(Config, OutOfRangeIsAnError) {
  auto c = Parse("[server]\nport = 70000\n");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("out of range"));
}

TEST(Config, EnumValuesAreChecked) {
  auto c = Parse("[database]\nbackend = \"mysql\"\n");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("sqlite, postgres"));
}

TEST(Config, SyntaxErrorIsReported) {
  auto c = Parse("[server\nport = 1\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), "config_invalid");
  EXPECT_THAT(c.error().detail(), HasSubstr("line 1"));
}

TEST(Config, EnvironmentOverridesTheFile) {
  auto c = Parse("[server]\nport = 9090\n", {{"HCMS_SERVER_PORT", "7070"},
                                             {"HCMS_DATABASE_MIGRATE_ON_START", "false"},
                                             {"HCMS_LOG_LEVEL", "debug"},
                                             {"PATH", "/usr/bin"}});
  ASSERT_TRUE(c) << c.error().detail();
  EXPECT_EQ(c->server.port, 7070);
  EXPECT_FALSE(c->database.migrate_on_start);
  EXPECT_EQ(c->log.level, "debug");
  EXPECT_THAT(c->env_overrides,
              ::testing::UnorderedElementsAre("HCMS_SERVER_PORT", "HCMS_DATABASE_MIGRATE_ON_START",
                                              "HCMS_LOG_LEVEL"));
}

TEST(Config, UnknownEnvironmentVariableIsAnError) {
  auto c = Parse("", {{"HCMS_SERVER_PROT", "1"}});
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("HCMS_SERVER_PROT"));
}

TEST(Config, BadEnvironmentValueIsAnError) {
  auto c = Parse("", {{"HCMS_SERVER_PORT", "80x"}});
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("expected an integer"));
}

TEST(Config, PostgresNeedsAUrl) {
  auto c = Parse("[database]\nbackend = \"postgres\"\n");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().detail(), HasSubstr("database.url"));
}

TEST(Config, RenderMasksSecrets) {
  auto c = Parse(
      "[database]\nbackend = \"postgres\"\nurl = \"postgresql://hcms:s3cr3t@db.internal/hcms\"\n");
  ASSERT_TRUE(c) << c.error().detail();
  const std::string out = RenderConfig(*c);
  EXPECT_THAT(out, Not(HasSubstr("s3cr3t")));
  EXPECT_THAT(out, HasSubstr("postgresql://hcms:********@db.internal/hcms"));
}

TEST(Config, RenderedConfigParsesBackToTheSameValues) {
  auto c = Parse(
      "[server]\nport = 1234\nmax_body_bytes = 4096\ntrusted_proxies = [\"10.0.0.0/8\"]\n"
      "[log]\nlevel = \"warn\"\n");
  ASSERT_TRUE(c);
  std::string rendered = RenderConfig(*c);
  auto again = Parse(rendered);
  ASSERT_TRUE(again) << again.error().detail() << "\n" << rendered;
  EXPECT_EQ(RenderConfig(*again).substr(rendered.find('\n')), rendered.substr(rendered.find('\n')));
}

TEST(Config, EveryKeyHasAnEnvironmentName) {
  for (const auto& key : ConfigKeys()) {
    std::string env = "HCMS_";
    for (char ch : key)
      env += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    // A value that is invalid for every type: the error must name the key, proving
    // the variable was routed to it.
    auto c = Parse("", {{env, "\x01not-a-value"}});
    if (!c) {
      EXPECT_THAT(c.error().detail(), HasSubstr(key)) << env;
    }
  }
}

TEST(MaskConnectionString, KeyValueForm) {
  EXPECT_EQ(MaskConnectionString("host=db user=app password=hunter2 dbname=x"),
            "host=db user=app password=******** dbname=x");
  EXPECT_EQ(MaskConnectionString("host=db password='with space' dbname=x"),
            "host=db password=******** dbname=x");
  EXPECT_EQ(MaskConnectionString("postgresql://u@h/db?password=p&sslmode=require"),
            "postgresql://u@h/db?password=********&sslmode=require");
  EXPECT_EQ(MaskConnectionString("postgresql://u@h/db"), "postgresql://u@h/db");
}

TEST(Config, ShippedExampleConfigIsValid) {
  const char* dir = std::getenv("TEST_HCMS_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  auto c = LoadConfig({.file = std::string(dir) + "/config/hcms.toml", .env = {}});
  EXPECT_TRUE(c) << c.error().detail();
}

}  // namespace
}  // namespace hcms

namespace hcms {
namespace {

TEST(ConfigDocs, ListsEveryKey) {
  const char* dir = std::getenv("TEST_HCMS_SOURCE_DIR");
  ASSERT_NE(dir, nullptr);
  std::ifstream in(std::string(dir) + "/docs/configuration.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& key : ConfigKeys()) {
    EXPECT_NE(doc.find("| `" + key + "` |"), std::string::npos)
        << key << " is not documented in docs/configuration.md";
  }
}

}  // namespace
}  // namespace hcms
