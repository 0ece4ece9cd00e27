// Request metrics for the HTTP server: count and latency by method, route
// template and status, and requests in flight.

#pragma once

#include "http/server.h"
#include "ops/metrics.h"

namespace hcms::ops {

// Thread-safe; register with the server as its observer (or inside a fan-out).
class HttpMetrics final : public http::ServerObserver {
 public:
  explicit HttpMetrics(MetricsRegistry& registry);
  void OnRequestStart() override;
  void OnRequestEnd(const http::Exchange& exchange) override;

 private:
  CounterFamily& requests_;
  HistogramFamily& latency_;
  GaugeSeries& in_flight_;
};

}  // namespace hcms::ops
