#include <gtest/gtest.h>

#include "accounts/amr.h"
#include "accounts/registration.h"
#include "accounts/throttle.h"
#include "accounts/totp.h"

namespace hcms::accounts {
namespace {

std::string Fields(const Result<Registration>& r) {
  if (r) return "ok";
  std::string s;
  for (const auto& f : r.error().fields()) s += f.field + ":" + f.code + " ";
  return s;
}

TEST(Registration, AcceptsTheFormatsOfThePiiSpec) {
  auto crm = ValidateRegistration("crm", "123.456", "sp", std::string_view("12345"));
  ASSERT_TRUE(crm) << Fields(crm);
  EXPECT_EQ(crm->number, "123456");
  EXPECT_EQ(crm->uf, "SP");
  EXPECT_EQ(FormatRegistration(*crm), "CRM-SP 123456 RQE 12345");
  auto crp = ValidateRegistration("CRP", "123456", "06", std::nullopt);
  ASSERT_TRUE(crp) << Fields(crp);
  EXPECT_EQ(FormatRegistration(*crp), "CRP 06/123456");
  auto coren = ValidateRegistration("COREN", "123456-enf", "RJ", std::nullopt);
  ASSERT_TRUE(coren) << Fields(coren);
  EXPECT_EQ(coren->number, "123456-ENF");
}

TEST(Registration, RejectsWhatIsNotARegistration) {
  EXPECT_EQ(Fields(ValidateRegistration("CRM", "1234567", "SP", std::nullopt)),
            "registration.number:invalid_format ");
  EXPECT_EQ(Fields(ValidateRegistration("CRM", "1234", "XX", std::nullopt)),
            "registration.uf:invalid_value ");
  EXPECT_EQ(Fields(ValidateRegistration("CRO", "1234", "SP", std::nullopt)),
            "registration.kind:invalid_value ");
  EXPECT_EQ(Fields(ValidateRegistration("CRP", "1234", "25", std::nullopt)),
            "registration.uf:invalid_value ");
  EXPECT_EQ(Fields(ValidateRegistration("COREN", "1234-XYZ", "SP", std::nullopt)),
            "registration.number:invalid_format ");
  EXPECT_EQ(Fields(ValidateRegistration("CRP", "1234", "06", std::string_view("12"))),
            "registration.rqe:not_applicable ");
  EXPECT_EQ(Fields(ValidateRegistration("CRM", "12a4", "SP", std::string_view("x"))),
            "registration.number:invalid_format registration.rqe:invalid_format ");
}

TEST(Totp, MatchesRfc6238AndToleratesOneStep) {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s -> 94287082 (8
  // digits); the 6-digit code is its last six digits.
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  const TimePoint t59{std::chrono::seconds(59)};
  EXPECT_EQ(*TotpCode(secret, t59), "287082");
  EXPECT_TRUE(VerifyTotp(secret, "287082", t59));
  EXPECT_TRUE(VerifyTotp(secret, "287082", t59 + std::chrono::seconds(30)));
  EXPECT_FALSE(VerifyTotp(secret, "287082", t59 + std::chrono::seconds(90)));
  EXPECT_FALSE(VerifyTotp(secret, "28708", t59));
  EXPECT_FALSE(VerifyTotp(secret, "abcdef", t59));
  const std::string fresh = NewTotpSecret();
  EXPECT_EQ(fresh.size(), 32u);
  EXPECT_EQ(OtpAuthUri("hcms", "ana@x.test", "ABC"),
            "otpauth://totp/hcms:ana@x.test?secret=ABC&issuer=hcms&algorithm=SHA1&digits=6&"
            "period=30");
}

TEST(RecoveryCodes, AreRandomAndHashNormalised) {
  auto codes = NewRecoveryCodes();
  ASSERT_EQ(codes.size(), 10u);
  EXPECT_EQ(codes[0].size(), 14u);
  EXPECT_NE(codes[0], codes[1]);
  std::string upper = codes[0];
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string spaced = upper;
  spaced.erase(std::remove(spaced.begin(), spaced.end(), '-'), spaced.end());
  EXPECT_EQ(HashRecoveryCode(codes[0]), HashRecoveryCode(spaced));
}

TEST(SecretBox, SealsAndOpens) {
  SecretBox box = SecretBox::FromKey(std::vector<uint8_t>(32, 9));
  const std::string sealed = box.Seal("JBSWY3DPEHPK3PXP");
  EXPECT_EQ(*box.Open(sealed), "JBSWY3DPEHPK3PXP");
  EXPECT_NE(sealed, box.Seal("JBSWY3DPEHPK3PXP"));  // fresh nonce
  SecretBox other = SecretBox::FromKey(std::vector<uint8_t>(32, 8));
  EXPECT_FALSE(other.Open(sealed));
}

TEST(LoginThrottle, LocksWithExponentialBackoffAndPerIp) {
  ManualClock clock(TimePoint(std::chrono::seconds(1'000'000)));
  LoginThrottle t(clock, {.max_failures = 3,
                          .base_lockout = std::chrono::seconds(60),
                          .max_lockout = std::chrono::seconds(300),
                          .ip_max_failures = 10,
                          .ip_window = std::chrono::seconds(600)});
  for (int i = 0; i < 2; ++i) t.RecordFailure(1, "Ana@X.test", "198.51.100.1");
  EXPECT_EQ(t.RetryAfter(1, "ana@x.test", "198.51.100.2").count(), 0);
  t.RecordFailure(1, "ana@x.test", "198.51.100.1");
  EXPECT_EQ(t.RetryAfter(1, "ana@x.test", "198.51.100.2").count(), 60);
  EXPECT_EQ(t.RetryAfter(2, "ana@x.test", "198.51.100.2").count(), 0);  // other tenant
  clock.Advance(std::chrono::seconds(61));
  t.RecordFailure(1, "ana@x.test", "198.51.100.1");
  EXPECT_EQ(t.RetryAfter(1, "ana@x.test", "198.51.100.2").count(), 120);
  clock.Advance(std::chrono::seconds(121));
  t.RecordFailure(1, "ana@x.test", "198.51.100.1");
  t.RecordFailure(1, "ana@x.test", "198.51.100.1");
  EXPECT_EQ(t.RetryAfter(1, "ana@x.test", "198.51.100.2").count(), 300);  // capped
  t.RecordSuccess(1, "ana@x.test");
  EXPECT_EQ(t.RetryAfter(1, "ana@x.test", "198.51.100.2").count(), 0);
  for (int i = 0; i < 10; ++i) t.RecordFailure(1, "u" + std::to_string(i) + "@x", "203.0.113.5");
  EXPECT_GT(t.RetryAfter(1, "new@x", "203.0.113.5").count(), 0);
  clock.Advance(std::chrono::seconds(601));
  EXPECT_EQ(t.RetryAfter(1, "new@x", "203.0.113.5").count(), 0);
}

TEST(Amr, RoundTrips) {
  EXPECT_EQ(AmrToString(kAmrPassword | kAmrOtp), "pwd otp");
  EXPECT_EQ(AmrFromString("pwd otp"), kAmrPassword | kAmrOtp);
  EXPECT_EQ(AmrFromString("app nonsense"), kAmrAppPassword);
}

}  // namespace
}  // namespace hcms::accounts
