#include "core/clock.h"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace hcms {

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

std::string FormatTimestamp(TimePoint t) {
  using namespace std::chrono;
  const auto days_since = floor<days>(t);
  const year_month_day ymd{days_since};
  const hh_mm_ss<microseconds> hms{t - days_since};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

namespace {

bool ReadInt(std::string_view& s, size_t digits, int& out) {
  if (s.size() < digits) return false;
  for (size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  std::from_chars(s.data(), s.data() + digits, out);
  s.remove_prefix(digits);
  return true;
}

bool Expect(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Result<TimePoint> ParseTimestamp(std::string_view text) {
  using namespace std::chrono;
  auto fail = [] { return InvalidArgument("invalid_timestamp", "Data/hora inválida (RFC 3339)."); };
  std::string_view s = text;
  int y, mo, d, h, mi, sec;
  if (!ReadInt(s, 4, y) || !Expect(s, '-') || !ReadInt(s, 2, mo) || !Expect(s, '-') ||
      !ReadInt(s, 2, d)) {
    return fail();
  }
  if (s.empty() || (s.front() != 'T' && s.front() != 't' && s.front() != ' ')) return fail();
  s.remove_prefix(1);
  if (!ReadInt(s, 2, h) || !Expect(s, ':') || !ReadInt(s, 2, mi) || !Expect(s, ':') ||
      !ReadInt(s, 2, sec)) {
    return fail();
  }
  int64_t micros = 0;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    int n = 0;
    while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
      if (n < 6) micros = micros * 10 + (s.front() - '0');
      ++n;
      s.remove_prefix(1);
    }
    if (n == 0) return fail();
    for (; n < 6; ++n) micros *= 10;
  }
  int offset_minutes = 0;
  if (s == "Z" || s == "z") {
    s.remove_prefix(1);
  } else if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    const int sign = s.front() == '+' ? 1 : -1;
    s.remove_prefix(1);
    int oh = 0, om = 0;
    if (!ReadInt(s, 2, oh)) return fail();
    if (!s.empty()) {
      Expect(s, ':');
      if (!ReadInt(s, 2, om)) return fail();
    }
    if (oh > 23 || om > 59) return fail();
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return fail();
  }
  if (!s.empty()) return fail();
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return fail();
  auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{std::min(sec, 59)} +
            microseconds{micros} - minutes{offset_minutes};
  return TimePoint(duration_cast<microseconds>(tp.time_since_epoch()));
}

double ToUnixSeconds(TimePoint t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1e6;
}

}  // namespace hcms
