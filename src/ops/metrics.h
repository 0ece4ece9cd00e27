// Prometheus metrics: counters, gauges and histograms with labels, rendered in the
// text exposition format (version 0.0.4) for GET /metrics.
//
//   auto& requests = registry.Counter("hcms_http_requests_total", "HTTP requests",
//                                     {"method", "route", "status"});
//   requests.With({"GET", "/health", "200"}).Inc();
//
// Label values are route templates, codes and states; never ids, paths or anything
// personal (cardinality and privacy). Thread-safe; With() takes a shared lock only
// to find an existing series.

#pragma once

#include <atomic>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace hcms::ops {

class CounterSeries {
 public:
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class GaugeSeries {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class HistogramSeries {
 public:
  explicit HistogramSeries(const std::vector<double>& bounds);
  void Observe(double v);
  // Cumulative counts per bound (+Inf last), sum and count.
  struct Snapshot {
    std::vector<uint64_t> cumulative;
    double sum;
    uint64_t count;
  };
  Snapshot Take() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // one per bound, plus +Inf
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

template <class Series>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::function<std::unique_ptr<Series>()> make)
      : label_names_(std::move(label_names)), make_(std::move(make)) {}
  // The series for these label values (in label order), created on first use.
  Series& With(const std::vector<std::string>& values);
  Series& With(std::initializer_list<std::string_view> values);
  const std::vector<std::string>& label_names() const { return label_names_; }
  template <class F>
  void ForEach(F&& f) const {
    std::shared_lock lock(mu_);
    for (const auto& [labels, s] : series_) f(labels, *s);
  }

 private:
  std::vector<std::string> label_names_;
  std::function<std::unique_ptr<Series>()> make_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Series>, std::less<>> series_;
};

using CounterFamily = Family<CounterSeries>;
using GaugeFamily = Family<GaugeSeries>;
using HistogramFamily = Family<HistogramSeries>;

// A sample produced at scrape time by a callback.
struct Sample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value;
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();

  // Registering the same name twice returns the existing family.
  CounterFamily& Counter(std::string name, std::string help, std::vector<std::string> labels = {});
  GaugeFamily& Gauge(std::string name, std::string help, std::vector<std::string> labels = {});
  HistogramFamily& Histogram(std::string name, std::string help, std::vector<std::string> labels,
                             std::vector<double> bounds);
  // A metric whose samples are computed at each scrape (pool usage, RSS).
  void Callback(std::string name, std::string help, MetricType type,
                std::function<std::vector<Sample>()> collect);

  // The exposition text.
  std::string Render() const;

 private:
  struct Entry;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Default latency buckets in seconds, 100 µs to 10 s.
const std::vector<double>& LatencyBuckets();

}  // namespace hcms::ops
