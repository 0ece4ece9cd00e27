// Sessions, refresh-token rotation, application passwords and the LGPD soft
// delete, on SQLite and PostgreSQL.

#include "accounts/sessions.h"

#include <gtest/gtest.h>

#include "accounts/app_passwords.h"
#include "accounts/users.h"
#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::accounts {
namespace {

class CredentialStoreTest : public hcms::testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenants::TenantRepository t(db(), clock());
    a_ = t.Create({.slug = "a", .name = "A"})->id;
    b_ = t.Create({.slug = "b", .name = "B"})->id;
    UserRepository users(db(), clock());
    auto reg = ValidateRegistration("CRM", "123456", "SP", std::string_view("4321"));
    user_ = users
                .Create(a_, {.email = "ana@a.test",
                             .display_name = "Ana",
                             .role = Role::kDoctor,
                             .password_hash = "$argon2id$x",
                             .specialty = "Cardiologia",
                             .registration = *reg})
                ->id;
  }
  int64_t a_ = 0, b_ = 0, user_ = 0;
};

TEST_P(CredentialStoreTest, RefreshTokensRotateOnceAndReuseRevokesTheSession) {
  SessionRepository sessions(db(), clock());
  auto created = sessions.Create(a_, {.user_id = user_, .amr = "pwd otp", .ip_anon = "192.0.2.0"});
  ASSERT_TRUE(created) << created.error().ToLogString();
  EXPECT_TRUE(*sessions.IsActive(a_, created->session.id));
  // Another practice cannot use or even see it.
  EXPECT_EQ(sessions.Rotate(b_, created->refresh_token).error().code(), "refresh_token_invalid");
  EXPECT_FALSE(*sessions.IsActive(b_, created->session.id));
  auto next = sessions.Rotate(a_, created->refresh_token);
  ASSERT_TRUE(next) << next.error().ToLogString();
  EXPECT_EQ(next->session.id, created->session.id);
  EXPECT_NE(next->refresh_token, created->refresh_token);
  auto reuse = sessions.Rotate(a_, created->refresh_token);
  ASSERT_FALSE(reuse);
  EXPECT_EQ(reuse.error().code(), "refresh_token_reused");
  EXPECT_FALSE(*sessions.IsActive(a_, created->session.id));
  EXPECT_EQ(sessions.Rotate(a_, next->refresh_token).error().code(), "refresh_token_invalid");
  // Expiry.
  auto short_lived = sessions.Create(
      a_, {.user_id = user_, .amr = "pwd", .ip_anon = "-", .lifetime = std::chrono::seconds(60)});
  clock().Advance(std::chrono::seconds(61));
  EXPECT_EQ(sessions.Rotate(a_, short_lived->refresh_token).error().code(),
            "refresh_token_invalid");
}

TEST_P(CredentialStoreTest, DevicesBecomeKnownPerUserAndPractice) {
  SessionRepository sessions(db(), clock());
  EXPECT_FALSE(*sessions.IsKnownDevice(a_, user_, "device-1234567890"));
  ASSERT_TRUE(sessions.RememberDevice(a_, user_, "device-1234567890"));
  ASSERT_TRUE(sessions.RememberDevice(a_, user_, "device-1234567890"));  // idempotent
  EXPECT_TRUE(*sessions.IsKnownDevice(a_, user_, "device-1234567890"));
  EXPECT_FALSE(*sessions.IsKnownDevice(b_, user_, "device-1234567890"));
}

TEST_P(CredentialStoreTest, AppPasswordsVerifyUntilRevokedAndStayInTheirPractice) {
  AppPasswordRepository apps(db(), clock());
  auto created = apps.Create(a_, user_, "WordPress");
  ASSERT_TRUE(created) << created.error().ToLogString();
  EXPECT_TRUE(*apps.Verify(a_, user_, created->password));
  std::string squeezed = created->password;
  std::erase(squeezed, ' ');
  EXPECT_TRUE(*apps.Verify(a_, user_, squeezed));
  EXPECT_FALSE(*apps.Verify(b_, user_, created->password));
  EXPECT_FALSE(*apps.Verify(a_, user_, "abcd efgh ijkl mnop qrst uvwx"));
  EXPECT_EQ(apps.List(a_, user_)->size(), 1u);
  EXPECT_EQ(apps.Revoke(b_, user_, created->info.id).error().code(), "app_password_not_found");
  ASSERT_TRUE(apps.Revoke(a_, user_, created->info.id));
  EXPECT_FALSE(*apps.Verify(a_, user_, created->password));
  EXPECT_EQ(apps.Create(a_, user_, "").error().code(), "validation_failed");
}

TEST_P(CredentialStoreTest, SoftDeleteAnonymisesButKeepsTheId) {
  UserRepository users(db(), clock());
  SessionRepository sessions(db(), clock());
  AppPasswordRepository apps(db(), clock());
  auto s = sessions.Create(a_, {.user_id = user_, .amr = "pwd", .ip_anon = "-"});
  auto app = apps.Create(a_, user_, "x");
  auto u = users.FindById(a_, user_);
  ASSERT_TRUE(u->registration);
  EXPECT_EQ(u->registration_status, "pending");
  EXPECT_EQ(users.SetRegistrationStatus(a_, user_, "verified")->registration_status, "verified");
  EXPECT_EQ(users.SoftDelete(b_, user_).error().code(), "user_not_found");
  ASSERT_TRUE(users.SoftDelete(a_, user_));
  auto gone = users.FindById(a_, user_);
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->deleted_at);
  EXPECT_EQ(gone->status, "deleted");
  EXPECT_EQ(gone->email, "deleted-" + std::to_string(user_) + "@invalid");
  EXPECT_EQ(gone->display_name, "Usuário removido");
  EXPECT_FALSE(gone->registration);
  EXPECT_FALSE(gone->specialty);
  EXPECT_EQ(users.FindByEmail(a_, "ana@a.test").error().code(), "user_not_found");
  EXPECT_FALSE(*sessions.IsActive(a_, s->session.id));
  EXPECT_FALSE(*apps.Verify(a_, user_, app->password));
  EXPECT_EQ(users.SoftDelete(a_, user_).error().code(), "user_not_found");
  // The address can be used again.
  EXPECT_TRUE(users.Create(a_, {.email = "ana@a.test", .display_name = "Ana 2"}));
}

TEST_P(CredentialStoreTest, UpdatesProfilesAndMfaState) {
  UserRepository users(db(), clock());
  auto up = users.Update(a_, user_, {.display_name = "Ana Souza", .role = Role::kEditor});
  ASSERT_TRUE(up) << up.error().ToLogString();
  EXPECT_EQ(up->role, Role::kEditor);
  EXPECT_EQ(users.Update(b_, user_, {.display_name = "x"}).error().code(), "user_not_found");
  EXPECT_EQ(users.Update(a_, user_, {.status = "weird"}).error().code(), "validation_failed");
  ASSERT_TRUE(users.SetPendingMfaSecret(a_, user_, "sealed"));
  ASSERT_TRUE(users.EnableMfa(a_, user_, {"h1", "h2"}));
  auto cred = users.GetCredentials(a_, user_);
  EXPECT_TRUE(cred->mfa_enabled);
  EXPECT_EQ(cred->mfa_secret, "sealed");
  EXPECT_TRUE(*users.UseRecoveryCode(a_, user_, "h1"));
  EXPECT_FALSE(*users.UseRecoveryCode(a_, user_, "h1"));
  EXPECT_FALSE(*users.UseRecoveryCode(b_, user_, "h2"));
  ASSERT_TRUE(users.DisableMfa(a_, user_));
  EXPECT_FALSE(users.GetCredentials(a_, user_)->mfa_enabled);
}

HCMS_INSTANTIATE_BACKENDS(CredentialStoreTest);

}  // namespace
}  // namespace hcms::accounts
