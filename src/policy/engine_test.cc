#include "policy/engine.h"

#include <gtest/gtest.h>

namespace hcms::policy {
namespace {

using accounts::Role;

// Wednesday 2026-06-03 14:00 in São Paulo (17:00 UTC).
const TimePoint kDay{std::chrono::seconds(1'780'506'000)};

PolicyConfig AllDay() {
  auto c = ParsePolicyConfig("[hours]\nstart = \"00:00\"\nend = \"24:00\"\n", "test");
  EXPECT_TRUE(c);
  return *c;
}

Subject User(Role role, uint8_t amr, bool device_known = true) {
  return {.user_id = 7,
          .tenant_id = 1,
          .role = role,
          .amr = amr,
          .session_id = "s1",
          .authenticated_at = kDay,
          .device_known = device_known};
}

Request Req(ResourceClass c, Permission p, TimePoint now = kDay) {
  return {.resource_class = c,
          .permission = p,
          .action = "GET /x",
          .ip = "192.0.2.10",
          .timezone = "America/Sao_Paulo",
          .now = now};
}

TEST(PolicyEngine, ReaderNeverPublishesWhateverTheScore) {
  PolicyEngine pe(AllDay());
  const Decision d = pe.Evaluate(User(Role::kReader, kAmrPassword | kAmrOtp),
                                 Req(ResourceClass::kInternal, Permission::kPublishContent));
  EXPECT_EQ(d.effect, Effect::kDeny);
  EXPECT_EQ(d.reason, "role_not_permitted");
}

TEST(PolicyEngine, PublishingNeeds85AndMfaGetsThere) {
  PolicyEngine pe(AllDay());
  Decision pwd = pe.Evaluate(User(Role::kEditor, kAmrPassword),
                             Req(ResourceClass::kInternal, Permission::kPublishContent));
  EXPECT_EQ(pwd.required, 85);
  EXPECT_EQ(pwd.effect, Effect::kChallenge) << pwd.score;
  EXPECT_EQ(pwd.reason, "mfa_required");
  Decision mfa = pe.Evaluate(User(Role::kEditor, kAmrPassword | kAmrOtp),
                             Req(ResourceClass::kInternal, Permission::kPublishContent));
  EXPECT_EQ(mfa.effect, Effect::kAllow) << mfa.score;
  EXPECT_GE(mfa.score, 85);
}

TEST(PolicyEngine, EightFactorsFollowTheSignals) {
  PolicyEngine pe(AllDay());
  const Decision d = pe.Evaluate(User(Role::kEditor, kAmrPassword | kAmrOtp, false),
                                 Req(ResourceClass::kConfidential, Permission::kReadContent));
  EXPECT_EQ(d.factors[kAuthMethod], 100);
  EXPECT_EQ(d.factors[kDevice], 40);
  EXPECT_EQ(d.factors[kSessionAge], 100);
  EXPECT_EQ(d.factors[kIpReputation], 80);
  EXPECT_EQ(d.factors[kBehaviour], 100);
  EXPECT_EQ(d.factors[kResource], 70);
  EXPECT_EQ(d.factors[kTimeOfDay], 100);
  EXPECT_EQ(d.factors[kHistory], 50);
  // 30 + 6 + 10 + 8 + 10 + 10.5 + 5 + 2.5 = 82
  EXPECT_EQ(d.score, 82);
}

TEST(PolicyEngine, OutsideWorkingHoursLowersTheScore) {
  auto cfg = ParsePolicyConfig("[hours]\nstart = \"08:00\"\nend = \"18:00\"\n", "t");
  ASSERT_TRUE(cfg);
  PolicyEngine pe(*cfg);
  const TimePoint night = kDay + std::chrono::hours(9);  // 23:00 local
  const Decision d = pe.Evaluate(User(Role::kEditor, kAmrPassword | kAmrOtp),
                                 Req(ResourceClass::kInternal, Permission::kReadContent, night));
  EXPECT_EQ(d.factors[kTimeOfDay], 30);
}

TEST(PolicyEngine, OldSessionsAndBurstsLowerTheScore) {
  PolicyEngine pe(AllDay());
  Subject s = User(Role::kEditor, kAmrPassword | kAmrOtp);
  s.authenticated_at = kDay - std::chrono::hours(30);
  EXPECT_EQ(
      pe.Evaluate(s, Req(ResourceClass::kInternal, Permission::kReadContent)).factors[kSessionAge],
      10);
  auto cfg = ParsePolicyConfig(
      "[behaviour]\nrequests_per_minute = 5\n[cache]\ndecision_seconds = 0\n", "t");
  ASSERT_TRUE(cfg);
  PolicyEngine busy(*cfg);
  Decision d;
  for (int i = 0; i < 12; ++i)
    d = busy.Evaluate(User(Role::kEditor, kAmrPassword),
                      Req(ResourceClass::kInternal, Permission::kReadContent));
  EXPECT_EQ(d.factors[kBehaviour], 0);
}

TEST(PolicyEngine, CriticalPatientDataChallengesWithoutMfa) {
  PolicyEngine pe(AllDay());
  const Decision d =
      pe.Evaluate(User(Role::kDoctor, kAmrPassword),
                  Req(ResourceClass::kCriticalPatientData, Permission::kManagePatients));
  EXPECT_EQ(d.effect, Effect::kChallenge);
  EXPECT_EQ(d.required, 85);
  // App passwords cannot step up: deny instead.
  Subject app = User(Role::kDoctor, kAmrAppPassword);
  app.session_id = "app:1";
  EXPECT_EQ(pe.Evaluate(app, Req(ResourceClass::kCriticalPatientData, Permission::kManagePatients))
                .effect,
            Effect::kDeny);
}

// A session's trust score is kept for `score_refresh_seconds` (900) even when the
// signals change; the periodic refresher (RefreshScores) recomputes the scores of
// active sessions from their own signals.
TEST(PolicyEngine, SessionScoresAreRefreshedPeriodically) {
  auto cfg = ParsePolicyConfig("[hours]\nstart = \"08:00\"\nend = \"14:10\"\n", "t");
  ASSERT_TRUE(cfg);
  PolicyEngine pe(*cfg);
  const Subject s = User(Role::kEditor, kAmrPassword | kAmrOtp);
  const auto at = [](std::chrono::minutes m) {
    return Req(ResourceClass::kInternal, Permission::kReadContent, kDay + m);
  };
  const int in_hours = pe.SessionScore(s, at(std::chrono::minutes(0)));  // 14:00 local
  // 14:14: outside working hours, but the score is not recomputed yet.
  EXPECT_EQ(pe.SessionScore(s, at(std::chrono::minutes(14))), in_hours);
  pe.RefreshScores(kDay + std::chrono::minutes(14));
  const int after_hours = pe.SessionScore(s, at(std::chrono::minutes(14)));
  EXPECT_LT(after_hours, in_hours);
  // A fresh engine computes the same score: the refresher used the session's signals.
  PolicyEngine fresh(*cfg);
  EXPECT_EQ(fresh.SessionScore(s, at(std::chrono::minutes(14))), after_hours);
}

TEST(PolicyEngine, CachesDecisionsPerSessionAndClass) {
  PolicyEngine pe(AllDay());
  const Subject s = User(Role::kEditor, kAmrPassword | kAmrOtp);
  EXPECT_FALSE(pe.Evaluate(s, Req(ResourceClass::kInternal, Permission::kReadContent)).cached);
  EXPECT_TRUE(pe.Evaluate(s, Req(ResourceClass::kInternal, Permission::kReadContent)).cached);
  EXPECT_FALSE(pe.Evaluate(s, Req(ResourceClass::kConfidential, Permission::kReadContent)).cached);
  // Five minutes later the entry has expired.
  EXPECT_FALSE(pe.Evaluate(s, Req(ResourceClass::kInternal, Permission::kReadContent,
                                  kDay + std::chrono::seconds(301)))
                   .cached);
  pe.Reload(AllDay());
  EXPECT_FALSE(pe.Evaluate(s, Req(ResourceClass::kConfidential, Permission::kReadContent)).cached);
}

TEST(PolicyEngine, DenyListedNetworksAreDeniedOutright) {
  auto cfg =
      ParsePolicyConfig("[network]\ndeny = [\"192.0.2.0/24\"]\nallow = [\"10.0.0.0/8\"]\n", "t");
  ASSERT_TRUE(cfg);
  PolicyEngine pe(*cfg);
  EXPECT_EQ(pe.Evaluate(User(Role::kSuperAdmin, kAmrPassword | kAmrOtp),
                        Req(ResourceClass::kPublic, Permission::kPublic))
                .reason,
            "ip_denied");
  EXPECT_EQ(pe.EvaluateAnonymous(Req(ResourceClass::kPublic, Permission::kPublic)).reason,
            "ip_denied");
  Request r = Req(ResourceClass::kPublic, Permission::kPublic);
  r.ip = "10.1.2.3";
  EXPECT_EQ(pe.Evaluate(User(Role::kReader, kAmrPassword), r).factors[kIpReputation], 100);
}

TEST(PolicyEngine, AnonymousOnlyOnPublicRoutes) {
  PolicyEngine pe(AllDay());
  EXPECT_EQ(pe.EvaluateAnonymous(Req(ResourceClass::kPublic, Permission::kPublic)).effect,
            Effect::kAllow);
  EXPECT_EQ(pe.EvaluateAnonymous(Req(ResourceClass::kInternal, Permission::kReadContent)).reason,
            "anonymous");
}

TEST(PolicyConfig, RejectsBadFiles) {
  EXPECT_FALSE(ParsePolicyConfig("[weights]\nauth_method = 50\n", "t"));  // sum != 100
  EXPECT_FALSE(ParsePolicyConfig("[required]\npublic = 101\n", "t"));
  EXPECT_FALSE(ParsePolicyConfig("[network]\ndeny = [\"not-an-ip\"]\n", "t"));
  EXPECT_FALSE(ParsePolicyConfig("[hours]\nstart = \"25:00\"\n", "t"));
  EXPECT_FALSE(ParsePolicyConfig("[nope]\nx = 1\n", "t"));
  EXPECT_FALSE(ParsePolicyConfig("[roles]\nreader = [\"super_admin\"]\n", "t"));
  auto ok = ParsePolicyConfig("[roles]\nreviewer = [\"read_content\", \"read_audit\"]\n", "t");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->Grants(Role::kReviewer) & Bit(Permission::kReadAudit));
  EXPECT_FALSE(ok->Grants(Role::kReviewer) & Bit(Permission::kReviewContent));
}

}  // namespace
}  // namespace hcms::policy
