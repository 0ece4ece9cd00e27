#include "ops/metrics.h"

#include <cmath>
#include <mutex>

#include <fmt/format.h>

namespace hcms::ops {

HistogramSeries::HistogramSeries(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void HistogramSeries::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

HistogramSeries::Snapshot HistogramSeries::Take() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  s.count = running;
  return s;
}

template <class Series>
Series& Family<Series>::With(const std::vector<std::string>& values) {
  {
    std::shared_lock lock(mu_);
    if (auto it = series_.find(values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  auto [it, inserted] = series_.try_emplace(values);
  if (inserted) it->second = make_();
  return *it->second;
}

template <class Series>
Series& Family<Series>::With(std::initializer_list<std::string_view> values) {
  std::vector<std::string> v(values.begin(), values.end());
  return With(v);
}

template class Family<CounterSeries>;
template class Family<GaugeSeries>;
template class Family<HistogramSeries>;

struct MetricsRegistry::Entry {
  std::string name;
  std::string help;
  MetricType type;
  std::vector<double> bounds;
  std::unique_ptr<CounterFamily> counter;
  std::unique_ptr<GaugeFamily> gauge;
  std::unique_ptr<HistogramFamily> histogram;
  std::function<std::vector<Sample>()> collect;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

CounterFamily& MetricsRegistry::Counter(std::string name, std::string help,
                                        std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    if (e->name == name && e->counter) return *e->counter;
  }
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = MetricType::kCounter;
  e->counter = std::make_unique<CounterFamily>(std::move(labels),
                                               [] { return std::make_unique<CounterSeries>(); });
  entries_.push_back(std::move(e));
  return *entries_.back()->counter;
}

GaugeFamily& MetricsRegistry::Gauge(std::string name, std::string help,
                                    std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    if (e->name == name && e->gauge) return *e->gauge;
  }
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = MetricType::kGauge;
  e->gauge = std::make_unique<GaugeFamily>(std::move(labels),
                                           [] { return std::make_unique<GaugeSeries>(); });
  entries_.push_back(std::move(e));
  return *entries_.back()->gauge;
}

HistogramFamily& MetricsRegistry::Histogram(std::string name, std::string help,
                                            std::vector<std::string> labels,
                                            std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    if (e->name == name && e->histogram) return *e->histogram;
  }
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = MetricType::kHistogram;
  e->bounds = std::move(bounds);
  const std::vector<double>* b = &e->bounds;  // stable: Entry is heap-allocated
  e->histogram = std::make_unique<HistogramFamily>(
      std::move(labels), [b] { return std::make_unique<HistogramSeries>(*b); });
  entries_.push_back(std::move(e));
  return *entries_.back()->histogram;
}

void MetricsRegistry::Callback(std::string name, std::string help, MetricType type,
                               std::function<std::vector<Sample>()> collect) {
  std::lock_guard lock(mu_);
  auto e = std::make_unique<Entry>();
  e->name = std::move(name);
  e->help = std::move(help);
  e->type = type;
  e->collect = std::move(collect);
  entries_.push_back(std::move(e));
}

namespace {

std::string EscapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

std::string Labels(const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
  std::string s;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    s += fmt::format("{}{}=\"{}\"", s.empty() ? "" : ",", names[i], EscapeLabel(values[i]));
  }
  if (!extra_name.empty())
    s += fmt::format("{}{}=\"{}\"", s.empty() ? "" : ",", extra_name, extra_value);
  return s.empty() ? s : "{" + s + "}";
}

std::string_view TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string MetricsRegistry::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& e : entries_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", e->name, EscapeHelp(e->help), e->name,
                       TypeName(e->type));
    if (e->counter) {
      e->counter->ForEach([&](const std::vector<std::string>& labels, const CounterSeries& s) {
        out += fmt::format("{}{} {}\n", e->name, Labels(e->counter->label_names(), labels),
                           FormatValue(s.value()));
      });
    } else if (e->gauge) {
      e->gauge->ForEach([&](const std::vector<std::string>& labels, const GaugeSeries& s) {
        out += fmt::format("{}{} {}\n", e->name, Labels(e->gauge->label_names(), labels),
                           FormatValue(s.value()));
      });
    } else if (e->histogram) {
      const auto& names = e->histogram->label_names();
      e->histogram->ForEach([&](const std::vector<std::string>& labels, const HistogramSeries& s) {
        auto snap = s.Take();
        for (size_t i = 0; i < snap.cumulative.size(); ++i) {
          const std::string le = i < e->bounds.size() ? FormatValue(e->bounds[i]) : "+Inf";
          out += fmt::format("{}_bucket{} {}\n", e->name, Labels(names, labels, "le", le),
                             snap.cumulative[i]);
        }
        out += fmt::format("{}_sum{} {}\n", e->name, Labels(names, labels), FormatValue(snap.sum));
        out += fmt::format("{}_count{} {}\n", e->name, Labels(names, labels), snap.count);
      });
    } else if (e->collect) {
      for (const auto& sample : e->collect()) {
        std::vector<std::string> names, values;
        for (const auto& [k, v] : sample.labels) {
          names.push_back(k);
          values.push_back(v);
        }
        out += fmt::format("{}{} {}\n", e->name, Labels(names, values), FormatValue(sample.value));
      }
    }
  }
  return out;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> b = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                        0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  return b;
}

}  // namespace hcms::ops
