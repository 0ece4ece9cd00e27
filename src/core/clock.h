// Time, behind an interface so tests can move it.
//
// Timestamps are stored and exchanged as RFC 3339 UTC text with microseconds,
// "2026-11-24T13:05:09.123456Z": that text sorts in time order, so SQLite (TEXT)
// and PostgreSQL (timestamptz, normalised by the driver) compare them the same way.

#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hcms {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

// Thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  // A process-wide instance.
  static const SystemClock& Instance();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(now_.load())); }
  void Advance(std::chrono::microseconds d) { now_ += d.count(); }
  void Set(TimePoint t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> now_;
};

// "YYYY-MM-DDTHH:MM:SS.ffffffZ".
std::string FormatTimestamp(TimePoint t);
// Accepts RFC 3339 with or without fraction, with "Z" or "+hh:mm"/"-hh:mm", and the
// PostgreSQL text form "YYYY-MM-DD HH:MM:SS[.f]+hh[:mm]". Returns kInvalidArgument
// with code "invalid_timestamp" otherwise.
Result<TimePoint> ParseTimestamp(std::string_view text);

// Seconds since the Unix epoch, for metrics.
double ToUnixSeconds(TimePoint t);

}  // namespace hcms
