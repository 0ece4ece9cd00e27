#include "ops/http_metrics.h"

namespace hcms::ops {

HttpMetrics::HttpMetrics(MetricsRegistry& registry)
    : requests_(registry.Counter("hcms_http_requests_total",
                                 "HTTP requests answered, by route template and status",
                                 {"method", "route", "status"})),
      latency_(registry.Histogram(
          "hcms_http_request_duration_seconds",
          "Time from the first byte of a request to the last byte of its response",
          {"method", "route", "status"}, LatencyBuckets())),
      in_flight_(
          registry.Gauge("hcms_http_requests_in_flight", "Requests being processed").With({})) {}

void HttpMetrics::OnRequestStart() { in_flight_.Add(1); }

void HttpMetrics::OnRequestEnd(const http::Exchange& x) {
  in_flight_.Add(-1);
  const std::vector<std::string> labels = {std::string(http::MethodName(x.method)),
                                           std::string(x.route), std::to_string(x.status)};
  requests_.With(labels).Inc();
  latency_.With(labels).Observe(static_cast<double>(x.duration.count()) / 1e6);
}

}  // namespace hcms::ops
