// Micro-benchmarks of the request path pieces that run on every request.
//   build/release/bench/http_bench --benchmark_min_time=0.5

#include <benchmark/benchmark.h>

#include "core/json_escape.h"
#include "http/access_log.h"
#include "http/message.h"
#include "http/problem.h"
#include "http/router.h"
#include "ops/http_metrics.h"
#include "ops/metrics.h"

namespace hcms {
namespace {

http::Router MakeRouter() {
  http::Router r;
  auto h = [](http::Request&) { return http::Response::Text(200, "x"); };
  for (const char* p :
       {"/health", "/ready", "/metrics", "/api/v1/site", "/api/v1/posts", "/api/v1/posts/{id}",
        "/api/v1/posts/{id}/revisions", "/api/v1/posts/{id}/revisions/{rev}",
        "/wp-json/wp/v2/posts", "/wp-json/wp/v2/posts/{id}", "/wp-json/wp/v2/categories",
        "/wp-json/wp/v2/tags", "/admin/{path*}"}) {
    r.Add({http::Method::kGet, p, ResourceClass::kPublic, h});
  }
  return r;
}

void BM_RouterFind(benchmark::State& state) {
  http::Router r = MakeRouter();
  for (auto _ : state) {
    auto m = r.Find(http::Method::kGet, "/wp-json/wp/v2/posts/1003");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_RouterFind);

void BM_ProblemJson(benchmark::State& state) {
  http::Request req;
  req.request_id = "0123456789abcdef0123456789abcdef";
  for (auto _ : state) {
    auto res = http::Problem(req, 404, "not_found");
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_ProblemJson);

void BM_AccessLogLine(benchmark::State& state) {
  http::Exchange x{http::Method::kGet,
                   "/api/v1/posts/{id}",
                   "/api/v1/posts/1003",
                   200,
                   6531,
                   std::chrono::microseconds(412),
                   "203.0.113.77",
                   "0123456789abcdef0123456789abcdef"};
  for (auto _ : state) {
    auto line = http::AccessLog::Format(x, "2026-11-24T13:05:09.123456Z");
    benchmark::DoNotOptimize(line);
  }
}
BENCHMARK(BM_AccessLogLine);

void BM_HttpMetricsObserve(benchmark::State& state) {
  ops::MetricsRegistry m;
  ops::HttpMetrics hm(m);
  http::Exchange x{http::Method::kGet,
                   "/api/v1/posts/{id}",
                   "/api/v1/posts/1003",
                   200,
                   6531,
                   std::chrono::microseconds(412),
                   "",
                   ""};
  for (auto _ : state) {
    hm.OnRequestStart();
    hm.OnRequestEnd(x);
  }
}
BENCHMARK(BM_HttpMetricsObserve)->Threads(1)->Threads(2);

void BM_QueryParam(benchmark::State& state) {
  http::Request req;
  req.query = "per_page=10&page=2&search=jabuticaba&categories=3,4&_fields=id,title";
  for (auto _ : state) {
    auto v = req.QueryParam("search");
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_QueryParam);

}  // namespace
}  // namespace hcms

BENCHMARK_MAIN();
