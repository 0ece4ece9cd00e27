// Civil time in a practice's time zone (IANA names, e.g. "America/Sao_Paulo"),
// from the system tz database (Debian's tzdata) through Howard Hinnant's date/tz.
// Thread-safe.

#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/error.h"

namespace hcms {

bool IsValidTimeZone(std::string_view name);

struct LocalTime {
  int year, month, day;
  int hour, minute, second;
  int weekday;             // 0 = Sunday ... 6 = Saturday
  int utc_offset_minutes;  // e.g. -180 for America/Sao_Paulo
};

// kInvalidArgument "invalid_timezone" for an unknown zone.
Result<LocalTime> ToLocalTime(TimePoint t, std::string_view zone);

// "2025-06-29T11:11:55" (local, no offset: WordPress's `date` field).
Result<std::string> FormatLocalTimestamp(TimePoint t, std::string_view zone);

// Interprets a local civil time (no offset) in `zone`; an ambiguous or skipped time
// (DST change) resolves to the earlier instant.
Result<TimePoint> FromLocalTimestamp(std::string_view local, std::string_view zone);

}  // namespace hcms
