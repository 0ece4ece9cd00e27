#include "core/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>

namespace hcms {

namespace {

const date::time_zone* Find(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::unexpected<Error> BadZone() {
  return InvalidArgument("invalid_timezone",
                         "Fuso horário desconhecido (use um nome IANA, ex.: America/Sao_Paulo).");
}

}  // namespace

bool IsValidTimeZone(std::string_view name) { return !name.empty() && Find(name) != nullptr; }

Result<LocalTime> ToLocalTime(TimePoint t, std::string_view zone) {
  const date::time_zone* z = Find(zone);
  if (z == nullptr) return BadZone();
  const auto info = z->get_info(t);
  const auto local = t + info.offset;
  const auto day = std::chrono::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::microseconds> hms{local - day};
  LocalTime lt{};
  lt.year = static_cast<int>(ymd.year());
  lt.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  lt.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  lt.hour = static_cast<int>(hms.hours().count());
  lt.minute = static_cast<int>(hms.minutes().count());
  lt.second = static_cast<int>(hms.seconds().count());
  lt.weekday = static_cast<int>(date::weekday{day}.c_encoding());
  lt.utc_offset_minutes =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
  return lt;
}

Result<std::string> FormatLocalTimestamp(TimePoint t, std::string_view zone) {
  HCMS_TRY(LocalTime lt, ToLocalTime(t, zone));
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", lt.year, lt.month, lt.day, lt.hour,
                     lt.minute, lt.second);
}

Result<TimePoint> FromLocalTimestamp(std::string_view local, std::string_view zone) {
  const date::time_zone* z = Find(zone);
  if (z == nullptr) return BadZone();
  // Parse as if UTC, then reinterpret the civil time in the zone.
  HCMS_TRY(TimePoint as_utc, ParseTimestamp(std::string(local) + "Z"));
  const date::local_time<std::chrono::microseconds> lt{as_utc.time_since_epoch()};
  const auto sys = z->to_sys(lt, date::choose::earliest);
  return TimePoint(std::chrono::duration_cast<std::chrono::microseconds>(sys.time_since_epoch()));
}

}  // namespace hcms
