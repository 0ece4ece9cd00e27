#include "ops/metrics.h"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ops/http_metrics.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace hcms::ops {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, RendersCountersGaugesAndHistograms) {
  MetricsRegistry m;
  m.Counter("hcms_things_total", "Things", {"kind"}).With({"a"}).Inc();
  m.Counter("hcms_things_total", "Things", {"kind"}).With({"a"}).Inc(2);
  m.Gauge("hcms_level", "Level").With({}).Set(1.5);
  auto& h = m.Histogram("hcms_latency_seconds", "Latency", {"route"}, {0.1, 1});
  h.With({"/x"}).Observe(0.05);
  h.With({"/x"}).Observe(0.5);
  h.With({"/x"}).Observe(5);
  const std::string out = m.Render();
  EXPECT_THAT(out, HasSubstr("# TYPE hcms_things_total counter\n"));
  EXPECT_THAT(out, HasSubstr("hcms_things_total{kind=\"a\"} 3\n"));
  EXPECT_THAT(out, HasSubstr("hcms_level 1.5\n"));
  EXPECT_THAT(out, HasSubstr("hcms_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"));
  EXPECT_THAT(out, HasSubstr("hcms_latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"));
  EXPECT_THAT(out, HasSubstr("hcms_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(out, HasSubstr("hcms_latency_seconds_count{route=\"/x\"} 3\n"));
  EXPECT_THAT(out, HasSubstr("hcms_latency_seconds_sum{route=\"/x\"} 5.55\n"));
}

TEST(Metrics, EscapesLabelValues) {
  MetricsRegistry m;
  m.Counter("hcms_x_total", "X", {"v"}).With({"a\"b\\c\nd"}).Inc();
  EXPECT_THAT(m.Render(), HasSubstr("hcms_x_total{v=\"a\\\"b\\\\c\\nd\"} 1"));
}

TEST(Metrics, HttpMetricsCountByRouteAndStatus) {
  MetricsRegistry m;
  HttpMetrics hm(m);
  http::Exchange x{http::Method::kGet,
                   "/api/v1/posts/{id}",
                   "/api/v1/posts/1",
                   200,
                   10,
                   std::chrono::microseconds(1500),
                   "127.0.0.1",
                   "r"};
  hm.OnRequestStart();
  hm.OnRequestEnd(x);
  const std::string out = m.Render();
  EXPECT_THAT(out, HasSubstr("hcms_http_requests_total{method=\"GET\",route=\"/api/v1/posts/"
                             "{id}\",status=\"200\"} 1"));
  EXPECT_THAT(out, HasSubstr("hcms_http_requests_in_flight 0"));
  // The concrete path never becomes a label.
  EXPECT_THAT(out, ::testing::Not(HasSubstr("/api/v1/posts/1\"")));
}

TEST(Metrics, PassesPromtoolCheck) {
  MetricsRegistry m;
  HttpMetrics hm(m);
  hm.OnRequestEnd(
      {http::Method::kGet, "/health", "/health", 200, 10, std::chrono::microseconds(300), "", "r"});
  hm.OnRequestEnd(
      {http::Method::kPost, "unmatched", "/x", 404, 10, std::chrono::microseconds(30), "", "r"});
  m.Callback("hcms_db_pool_connections", "Connections by state", MetricType::kGauge, [] {
    return std::vector<Sample>{{{{"state", "idle"}}, 3}, {{{"state", "in_use"}}, 1}};
  });
  hcms::testing::TempDir dir;
  hcms::testing::WriteFile(dir.File("metrics.txt"), m.Render());
  hcms::testing::SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "promtool check metrics < " + dir.File("metrics.txt")};
  o.env = {{"PATH", "/usr/bin:/bin"}};
  auto r = hcms::testing::RunProcess(o);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

}  // namespace
}  // namespace hcms::ops
