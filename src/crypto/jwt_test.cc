#include "crypto/jwt.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace hcms::crypto {
namespace {

const TimePoint kNow{std::chrono::seconds(1'780'000'000)};
int64_t Secs(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

nlohmann::json Claims(int64_t exp_offset = 600) {
  return {{"sub", "1"}, {"iat", Secs(kNow)}, {"exp", Secs(kNow) + exp_offset}};
}

std::string Code(const Result<nlohmann::json>& r) { return r ? "ok" : r.error().code(); }

TEST(Jwt, SignsAndVerifies) {
  KeyRing ring = NewKeyRing(kNow);
  auto token = SignJwt(ring, Claims());
  ASSERT_TRUE(token);
  auto claims = VerifyJwt(ring, *token, kNow);
  ASSERT_TRUE(claims) << claims.error().code();
  EXPECT_EQ((*claims)["sub"], "1");
}

TEST(Jwt, RejectsAlgNone) {
  KeyRing ring = NewKeyRing(kNow);
  auto token = SignJwtWith("none", ring.active, {}, Claims());
  ASSERT_TRUE(token);
  EXPECT_EQ(Code(VerifyJwt(ring, *token, kNow)), "token_algorithm_rejected");
  // The same with a signature part glued on.
  EXPECT_EQ(Code(VerifyJwt(ring, *token + "c2ln", kNow)), "token_algorithm_rejected");
}

TEST(Jwt, RejectsOtherAlgorithmsEvenWithTheRightKey) {
  KeyRing ring = NewKeyRing(kNow);
  for (const char* alg : {"HS384", "HS512"}) {
    auto token = SignJwtWith(alg, ring.active, ring.keys[0].secret, Claims());
    ASSERT_TRUE(token);
    EXPECT_EQ(Code(VerifyJwt(ring, *token, kNow)), "token_algorithm_rejected") << alg;
  }
  // An RS256 header over an HMAC signature (the classic confusion).
  auto hs = SignJwt(ring, Claims());
  const std::string header = Base64UrlEncode(
      nlohmann::json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", ring.active}}.dump());
  const std::string forged = header + hs->substr(hs->find('.'));
  EXPECT_EQ(Code(VerifyJwt(ring, forged, kNow)), "token_algorithm_rejected");
}

TEST(Jwt, RejectsTamperedPayloadAndSignature) {
  KeyRing ring = NewKeyRing(kNow);
  auto token = *SignJwt(ring, Claims());
  const size_t d1 = token.find('.'), d2 = token.rfind('.');
  std::string payload = Base64UrlEncode(Claims().dump().replace(8, 1, "2"));
  std::string tampered = token.substr(0, d1 + 1) + payload + token.substr(d2);
  EXPECT_EQ(Code(VerifyJwt(ring, tampered, kNow)), "token_signature_invalid");
  std::string bad_sig = token;
  bad_sig.back() = bad_sig.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(Code(VerifyJwt(ring, bad_sig, kNow)), "token_signature_invalid");
  KeyRing other = NewKeyRing(kNow);
  other.keys[0].kid = ring.active;
  other.active = ring.active;
  EXPECT_EQ(Code(VerifyJwt(ring, *SignJwt(other, Claims()), kNow)), "token_signature_invalid");
}

TEST(Jwt, ChecksTimeClaims) {
  KeyRing ring = NewKeyRing(kNow);
  EXPECT_EQ(Code(VerifyJwt(ring, *SignJwt(ring, Claims(-60)), kNow)), "token_expired");
  auto future = Claims();
  future["nbf"] = Secs(kNow) + 120;
  EXPECT_EQ(Code(VerifyJwt(ring, *SignJwt(ring, future), kNow)), "token_not_yet_valid");
  auto no_exp = Claims();
  no_exp.erase("exp");
  EXPECT_EQ(Code(VerifyJwt(ring, *SignJwt(ring, no_exp), kNow)), "token_malformed");
}

TEST(Jwt, KeyRotationKeepsOldKeysForVerification) {
  KeyRing ring = NewKeyRing(kNow);
  auto old_token = *SignJwt(ring, Claims());
  KeyRing next = NewKeyRing(kNow);
  next.keys.push_back(ring.keys[0]);
  EXPECT_TRUE(VerifyJwt(next, old_token, kNow));
  KeyRing unrelated = NewKeyRing(kNow);
  EXPECT_EQ(Code(VerifyJwt(unrelated, old_token, kNow)), "token_key_unknown");
}

TEST(Jwt, RejectsGarbage) {
  KeyRing ring = NewKeyRing(kNow);
  for (std::string_view t : {"", "abc", "a.b", "a.b.c.d", "!!!.###.$$$"}) {
    EXPECT_FALSE(VerifyJwt(ring, t, kNow)) << t;
  }
}

}  // namespace
}  // namespace hcms::crypto
