// Operations endpoints and first start, on SQLite and on PostgreSQL.

#include <regex>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/hcms_process.h"
#include "tests/support/http_client.h"

namespace hcms::testing {
namespace {

using ::testing::HasSubstr;

class OpsTest : public ::testing::TestWithParam<Backend> {};

TEST_P(OpsTest, HealthIsOkWithEveryCheck) {
  HcmsProcess s({.backend = GetParam()});
  auto r = Request(s.port(), "GET", "/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("cache-control"), "no-store");
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["status"], "ok");
  const auto& db = j["checks"]["database"];
  EXPECT_EQ(db["status"], "ok");
  EXPECT_EQ(db["backend"], BackendName(GetParam()));
  EXPECT_GE(db["latency_ms"].get<double>(), 0.0);
  EXPECT_EQ(j["checks"]["memory"]["status"], "ok");
  EXPECT_GT(j["checks"]["memory"]["rss_bytes"].get<int64_t>(), 0);
  EXPECT_EQ(j["checks"]["disk"]["status"], "ok");
  EXPECT_GT(j["checks"]["disk"]["free_bytes"].get<int64_t>(), 0);
  // Each subsystem registers its own check.
  const auto& plugins = j["checks"]["plugins"];
  EXPECT_EQ(plugins["status"], "ok") << plugins.dump();
  EXPECT_EQ(plugins["critical"], true);
  EXPECT_GT(plugins["workers"].get<int>(), 0);
  EXPECT_EQ(plugins["worker_executable"], true);
  EXPECT_TRUE(plugins.contains("running") && plugins.contains("restarted"));
  const auto& pipeline = j["checks"]["pipeline"];
  EXPECT_EQ(pipeline["status"], "ok") << pipeline.dump();
  EXPECT_EQ(pipeline["running"], true);
  EXPECT_EQ(pipeline["backlog"], 0);
  const auto& audit = j["checks"]["audit"];
  EXPECT_EQ(audit["status"], "ok") << audit.dump();
  EXPECT_EQ(audit["last_write_ok"], true);
  EXPECT_GE(audit["queued"].get<int64_t>(), 0);
  const auto& lgpd = j["checks"]["lgpd"];
  EXPECT_EQ(lgpd["status"], "ok") << lgpd.dump();
  EXPECT_EQ(lgpd["detector_loaded"], true);
  EXPECT_EQ(lgpd["canary_ok"], true);
}

TEST_P(OpsTest, HealthIs503WhenASubsystemFails) {
  // A plugin worker that cannot be started: the server runs, publishing cannot.
  HcmsProcess s({.backend = GetParam(),
                 .env = {{"HCMS_PLUGINS_WORKER_PATH", "/nonexistent/hcms-plugin-worker"}}});
  auto r = Request(s.port(), "GET", "/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["status"], "fail");
  EXPECT_EQ(j["checks"]["plugins"]["status"], "fail");
  EXPECT_EQ(j["checks"]["plugins"]["worker_executable"], false);
  EXPECT_EQ(j["checks"]["pipeline"]["status"], "ok");
  EXPECT_EQ(j["checks"]["database"]["status"], "ok");
}

TEST_P(OpsTest, HealthIs503WhenACheckFails) {
  // A disk-free floor no disk can meet makes the disk check fail.
  HcmsProcess s(
      {.backend = GetParam(), .env = {{"HCMS_HEALTH_MIN_DISK_FREE_MB", "1000000000000"}}});
  auto r = Request(s.port(), "GET", "/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  auto j = nlohmann::json::parse(r->body);
  EXPECT_EQ(j["status"], "fail");
  EXPECT_EQ(j["checks"]["disk"]["status"], "fail");
  EXPECT_EQ(j["checks"]["database"]["status"], "ok");
}

TEST_P(OpsTest, ReadyAndSiteInfo) {
  HcmsProcess s({.backend = GetParam()});
  auto ready = Request(s.port(), "GET", "/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  auto site = Request(s.port(), "GET", "/api/v1/site");
  ASSERT_TRUE(site);
  EXPECT_EQ(site->status, 200);
  auto j = nlohmann::json::parse(site->body);
  EXPECT_EQ(j["slug"], "default");
  EXPECT_EQ(j["name"], "Minha Clínica");
  EXPECT_EQ(j["url"], "http://127.0.0.1:" + std::to_string(s.port()));
  auto home = Request(s.port(), "GET", "/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_THAT(home->body, HasSubstr("Minha Clínica"));
}

TEST_P(OpsTest, MetricsPassPromtoolAndCountRequests) {
  HcmsProcess s({.backend = GetParam()});
  ASSERT_EQ(Request(s.port(), "GET", "/health")->status, 200);
  ASSERT_EQ(Request(s.port(), "GET", "/nao-existe")->status, 404);
  // An exchange is booked after its last byte is written, so the client may see the
  // answer a moment before the server counts it: scrape until it is counted.
  std::optional<HttpResponse> r;
  for (int i = 0; i < 200; ++i) {
    r = Request(s.port(), "GET", "/metrics");
    if (r && r->body.find("route=\"unmatched\",status=\"404\"} 1") != std::string::npos &&
        r->body.find("hcms_http_requests_in_flight 1\n") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(r);

  EXPECT_EQ(r->status, 200);
  EXPECT_THAT(r->Header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  const std::string& m = r->body;
  EXPECT_THAT(
      m, HasSubstr("hcms_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"));
  EXPECT_THAT(
      m,
      HasSubstr("hcms_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
  EXPECT_THAT(
      m, HasSubstr("hcms_http_request_duration_seconds_bucket{method=\"GET\",route=\"/health\""));
  EXPECT_THAT(m, HasSubstr("hcms_http_requests_in_flight 1"));  // the /metrics request itself
  EXPECT_THAT(m, HasSubstr("hcms_db_pool_connections{state=\"in_use\"}"));
  EXPECT_THAT(m, HasSubstr("hcms_db_pool_size 8"));
  EXPECT_THAT(m, HasSubstr("hcms_build_info{version=\"0.1.0\""));
  EXPECT_THAT(m, HasSubstr("backend=\"" + BackendName(GetParam()) + "\""));
  EXPECT_THAT(m, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(m, ::testing::Not(HasSubstr("/nao-existe")));  // paths never become labels
  TempDir dir;
  WriteFile(dir.File("metrics.txt"), m);
  auto check =
      RunProcess({.argv = {"/bin/sh", "-c", "promtool check metrics < " + dir.File("metrics.txt")},
                  .env = {{"PATH", "/usr/bin:/bin"}}});
  EXPECT_EQ(check.status, 0) << check.out << check.err;
}

TEST_P(OpsTest, FirstAdminIsPrintedOnceOnly) {
  HcmsProcess s({.backend = GetParam()});
  const std::string first = s.Stdout();
  EXPECT_THAT(first, HasSubstr("Primeiro administrador criado"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first, m, std::regex("senha / password   : ([A-Za-z0-9]{20})")));
  const std::string password = m[1];
  // The password is not in the server log.
  EXPECT_THAT(s.Stderr(), ::testing::Not(HasSubstr(password)));
  s.Restart();
  EXPECT_THAT(s.Stdout(), ::testing::Not(HasSubstr("Primeiro administrador")));
  EXPECT_EQ(Request(s.port(), "GET", "/health")->status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpsTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& param_info) { return BackendName(param_info.param); });

}  // namespace
}  // namespace hcms::testing
