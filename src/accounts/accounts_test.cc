#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "accounts/password.h"
#include "accounts/users.h"
#include "tenants/tenants.h"
#include "tests/support/db_fixture.h"

namespace hcms::accounts {
namespace {

constexpr PasswordParams kFast{1, 8 << 20};

TEST(Password, HashesVerifyAndDetectParameterChanges) {
  auto h = HashPassword("correct horse battery", kFast);
  ASSERT_TRUE(h);
  EXPECT_THAT(*h, ::testing::StartsWith("$argon2id$"));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse battery!", *h));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
  EXPECT_FALSE(NeedsRehash(*h, kFast));
  EXPECT_TRUE(NeedsRehash(*h, PasswordParams{2, 8 << 20}));
  EXPECT_NE(*h, *HashPassword("correct horse battery", kFast));  // salted
}

TEST(Password, PolicyRejectsWeakPasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("doze caracteres!"));
  for (const char* weak : {"", "short", "aaaaaaaaaaaaaaaa", "elevenchars"}) {
    auto s = CheckPasswordPolicy(weak);
    ASSERT_FALSE(s) << weak;
    EXPECT_EQ(s.error().code(), "weak_password");
  }
  std::string huge(1026, 'x');
  huge[0] = 'y';
  EXPECT_FALSE(CheckPasswordPolicy(huge));
  // More than twelve bytes but only eleven code points.
  EXPECT_FALSE(CheckPasswordPolicy("ããããããããããã"));
}

TEST(Password, GeneratedPasswordsAreLongUniqueAndPassThePolicy) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = GeneratePassword(20);
    EXPECT_EQ(p.size(), 20u);
    EXPECT_TRUE(CheckPasswordPolicy(p));
    EXPECT_TRUE(seen.insert(p).second);
  }
}

TEST(Email, Normalisation) {
  EXPECT_EQ(NormalizeEmail("  Ana.Souza@Clinica.COM.br "), "ana.souza@clinica.com.br");
  for (const char* bad :
       {"", "a", "@x.com", "a@", "a@@b.com", "a b@c.com", "a@.com", "a@b..com", "a@b.com."}) {
    EXPECT_FALSE(NormalizeEmail(bad)) << bad;
  }
}

TEST(Roles, NamesRoundTrip) {
  for (Role r : {Role::kSuperAdmin, Role::kPracticeAdmin, Role::kEditor, Role::kDoctor,
                 Role::kReviewer, Role::kContributor, Role::kReader}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("admin"));
}

class UserRepositoryTest : public hcms::testing::DatabaseTest {
 protected:
  int64_t Tenant(std::string slug) {
    tenants::TenantRepository t(db(), clock());
    return t.Create({.slug = slug, .name = slug})->id;
  }
};

TEST_P(UserRepositoryTest, CreatesAndFindsWithinTheTenantOnly) {
  UserRepository users(db(), clock());
  const int64_t a = Tenant("a"), b = Tenant("b");
  auto u = users.Create(a, {.email = "Ana@Example.com",
                            .display_name = "Ana",
                            .role = Role::kDoctor,
                            .password_hash = "$argon2id$x"});
  ASSERT_TRUE(u) << u.error().ToLogString();
  EXPECT_EQ(u->email, "ana@example.com");
  EXPECT_EQ(u->role, Role::kDoctor);
  EXPECT_EQ(users.FindByEmail(a, "ANA@example.com")->id, u->id);
  EXPECT_EQ(users.FindById(a, u->id)->display_name, "Ana");
  // Another tenant sees nothing.
  EXPECT_EQ(users.FindByEmail(b, "ana@example.com").error().code(), "user_not_found");
  EXPECT_EQ(users.FindById(b, u->id).error().code(), "user_not_found");
  // The same e-mail may exist in another tenant, not twice in one.
  EXPECT_TRUE(users.Create(b, {.email = "ana@example.com", .display_name = "Ana B"}));
  auto dup = users.Create(a, {.email = "ANA@example.com", .display_name = "Other"});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), "email_taken");
  EXPECT_EQ(*users.CountAll(), 2);
}

TEST_P(UserRepositoryTest, RejectsInvalidInputAndUnknownTenant) {
  UserRepository users(db(), clock());
  auto bad = users.Create(Tenant("a"), {.email = "not-an-email", .display_name = ""});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), "validation_failed");
  EXPECT_EQ(bad.error().fields().size(), 2u);
  auto orphan = users.Create(999, {.email = "x@example.com", .display_name = "X"});
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code(), "tenant_not_found");
}

HCMS_INSTANTIATE_BACKENDS(UserRepositoryTest);

}  // namespace
}  // namespace hcms::accounts
