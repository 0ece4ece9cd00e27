// Small core pieces: randomness and ids, IP anonymisation, JSON escaping, errors.

#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/ip_address.h"
#include "core/json_escape.h"
#include "core/random.h"
#include "core/resource_class.h"

namespace hcms {
namespace {

TEST(Random, HexAndTokensHaveTheRightShapeAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string h = RandomHex(16);
    ASSERT_EQ(h.size(), 32u);
    ASSERT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
    ASSERT_TRUE(seen.insert(h).second);
  }
  // Request ids: more than a refill's worth, each unique, odd sizes across the refill.
  for (int i = 0; i < 1000; ++i) {
    const std::string h = RandomIdHex(i % 7 == 0 ? 13 : 16);
    ASSERT_EQ(h.size(), i % 7 == 0 ? 26u : 32u);
    ASSERT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
    ASSERT_TRUE(seen.insert(h).second);
  }
  EXPECT_EQ(RandomIdHex(5000).size(), 10000u);
  const std::string t = RandomToken(32);
  EXPECT_EQ(t.size(), 43u);
  EXPECT_EQ(t.find_first_of("+/="), std::string::npos);
}

TEST(UuidV7, EncodesTimeVersionAndVariant) {
  const TimePoint t{std::chrono::milliseconds(0x0192'f3c4'5e6fLL)};
  const std::string id = NewUuidV7(t);
  ASSERT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id.substr(0, 13), "0192f3c4-5e6f");
  EXPECT_EQ(id[14], '7');
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
  // Later times sort later.
  EXPECT_LT(NewUuidV7(t), NewUuidV7(t + std::chrono::milliseconds(1)));
  EXPECT_FALSE(IsUuid("0192f3c4-5e6f-7abc-8def-0123456789a"));
  EXPECT_FALSE(IsUuid("0192f3c4x5e6f-7abc-8def-0123456789ab"));
}

TEST(JsonEscape, ProducesValidJsonForAnyBytes) {
  const std::string nasty =
      std::string("quote\" backslash\\ newline\n tab\t nul") + '\0' + "\x01 \xff\xfe bad utf8 é ✓";
  const std::string doc = "{\"v\":\"" + JsonEscape(nasty) + "\"}";
  auto parsed = nlohmann::json::parse(doc);  // throws if invalid
  const std::string v = parsed["v"].get<std::string>();
  EXPECT_THAT(v, ::testing::HasSubstr("quote\" backslash\\ newline\n"));
  EXPECT_THAT(v, ::testing::HasSubstr("é ✓"));
  EXPECT_THAT(v, ::testing::HasSubstr("\xEF\xBF\xBD"));  // replacement character
}

TEST(Error, HelpersCarryKindCodeAndFields) {
  Result<int> r = InvalidArgument("bad_slug", "Identificador inválido.");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(r.error().code(), "bad_slug");
  Error e = Error(ErrorKind::kInternal, "x", {}, "driver said no").WithContext("while saving");
  EXPECT_EQ(e.internal(), "while saving: driver said no");
  EXPECT_EQ(e.ToLogString(), "internal/x: while saving: driver said no");
  e.WithField("email", "required");
  ASSERT_EQ(e.fields().size(), 1u);
}

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd");
  return x / 2;
}
Result<int> Quarter(int x) {
  HCMS_TRY(int h, Half(x));
  HCMS_TRY(int q, Half(h));
  return q;
}

TEST(Error, TryPropagatesTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "odd");
}

TEST(ResourceClass, NamesRoundTrip) {
  for (auto c : {ResourceClass::kPublic, ResourceClass::kInternal, ResourceClass::kConfidential,
                 ResourceClass::kPatientData, ResourceClass::kResearchData,
                 ResourceClass::kCriticalPatientData, ResourceClass::kFinancial}) {
    EXPECT_EQ(ParseResourceClass(ResourceClassName(c)), c);
  }
  EXPECT_EQ(ParseResourceClass("unset"), std::nullopt);
  EXPECT_EQ(ParseResourceClass("nope"), std::nullopt);
}

}  // namespace
}  // namespace hcms
