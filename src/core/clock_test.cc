#include "core/clock.h"

#include <gtest/gtest.h>

#include "core/time_zone.h"

namespace hcms {
namespace {

TEST(Timestamp, FormatsUtcWithMicroseconds) {
  const TimePoint t{std::chrono::microseconds(1'795'957'509'123'456)};
  EXPECT_EQ(FormatTimestamp(t), "2026-11-29T13:05:09.123456Z");
  EXPECT_EQ(FormatTimestamp(TimePoint{}), "1970-01-01T00:00:00.000000Z");
}

TEST(Timestamp, ParsesTheFormsWeAccept) {
  auto a = ParseTimestamp("2026-11-24T13:05:09.123456Z");
  ASSERT_TRUE(a);
  EXPECT_EQ(FormatTimestamp(*a), "2026-11-24T13:05:09.123456Z");
  auto b = ParseTimestamp("2026-11-24T10:05:09-03:00");
  ASSERT_TRUE(b);
  EXPECT_EQ(FormatTimestamp(*b), "2026-11-24T13:05:09.000000Z");
  auto c = ParseTimestamp("2026-11-24 13:05:09.5+00");  // PostgreSQL text form
  ASSERT_TRUE(c);
  EXPECT_EQ(FormatTimestamp(*c), "2026-11-24T13:05:09.500000Z");
}

TEST(Timestamp, RejectsGarbage) {
  for (const char* bad :
       {"", "2026", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-24T25:00:00Z",
        "2026-11-24T13:05:09", "2026-11-24T13:05:09Zjunk", "2026-11-24T13:05:09.Z"}) {
    auto r = ParseTimestamp(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code(), "invalid_timestamp");
    }
  }
}

TEST(Timestamp, TextOrderIsTimeOrder) {
  const TimePoint a{std::chrono::microseconds(1)};
  const TimePoint b{std::chrono::microseconds(1'000'000)};
  EXPECT_LT(FormatTimestamp(a), FormatTimestamp(b));
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock c(TimePoint{std::chrono::seconds(10)});
  EXPECT_EQ(c.Now(), TimePoint{std::chrono::seconds(10)});
  c.Advance(std::chrono::seconds(5));
  EXPECT_EQ(c.Now(), TimePoint{std::chrono::seconds(15)});
}

TEST(TimeZone, SaoPauloIsThreeHoursBehindUtc) {
  auto t = ParseTimestamp("2025-06-29T14:11:55Z");
  ASSERT_TRUE(t);
  auto local = FormatLocalTimestamp(*t, "America/Sao_Paulo");
  ASSERT_TRUE(local);
  EXPECT_EQ(*local, "2025-06-29T11:11:55");
  auto lt = ToLocalTime(*t, "America/Sao_Paulo");
  ASSERT_TRUE(lt);
  EXPECT_EQ(lt->utc_offset_minutes, -180);
  EXPECT_EQ(lt->weekday, 0);  // a Sunday
  auto back = FromLocalTimestamp("2025-06-29T11:11:55", "America/Sao_Paulo");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *t);
}

TEST(TimeZone, UnknownZoneIsAnError) {
  EXPECT_FALSE(IsValidTimeZone("Mars/Olympus"));
  EXPECT_FALSE(IsValidTimeZone(""));
  auto r = ToLocalTime(TimePoint{}, "Mars/Olympus");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "invalid_timezone");
}

}  // namespace
}  // namespace hcms
