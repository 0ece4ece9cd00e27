#include "tenants/tenants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tenants/resolver.h"
#include "tests/support/db_fixture.h"

namespace hcms::tenants {
namespace {

class TenantRepositoryTest : public hcms::testing::DatabaseTest {};

TEST_P(TenantRepositoryTest, CreatesFindsAndLists) {
  TenantRepository repo(db(), clock());
  auto t =
      repo.Create({.slug = "clinica-sol", .name = "Clínica Sol", .host = "www.clinicasol.com.br"});
  ASSERT_TRUE(t) << t.error().ToLogString();
  EXPECT_GT(t->id, 0);
  EXPECT_EQ(t->timezone, "America/Sao_Paulo");
  EXPECT_EQ(t->status, "active");
  EXPECT_EQ(t->created_at, FormatTimestamp(clock().Now()));
  auto by_slug = repo.FindBySlug("clinica-sol");
  ASSERT_TRUE(by_slug);
  EXPECT_EQ(by_slug->id, t->id);
  auto by_host = repo.FindByHost("www.clinicasol.com.br");
  ASSERT_TRUE(by_host && *by_host);
  EXPECT_EQ((*by_host)->name, "Clínica Sol");
  auto list = repo.List();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(*repo.Count(), 1);
}

TEST_P(TenantRepositoryTest, DuplicateSlugIsAConflict) {
  TenantRepository repo(db(), clock());
  ASSERT_TRUE(repo.Create({.slug = "x", .name = "X"}));
  auto again = repo.Create({.slug = "x", .name = "Other"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), "tenant_exists");
  EXPECT_EQ(again.error().kind(), ErrorKind::kConflict);
}

TEST_P(TenantRepositoryTest, InvalidInputIsRejectedWithFieldErrors) {
  TenantRepository repo(db(), clock());
  auto bad = repo.Create({.slug = "Not Valid!", .name = "", .timezone = "Mars/Base"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), "validation_failed");
  std::vector<std::string> fields;
  for (const auto& f : bad.error().fields()) fields.push_back(f.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("slug", "name", "timezone"));
}

TEST_P(TenantRepositoryTest, MissingTenantIsNotFound) {
  TenantRepository repo(db(), clock());
  auto t = repo.FindBySlug("ghost");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), "tenant_not_found");
  auto h = repo.FindByHost("ghost.example");
  ASSERT_TRUE(h);
  EXPECT_FALSE(*h);
}

TEST_P(TenantRepositoryTest, ResolverPrefersTheHostThenTheDefault) {
  TenantRepository repo(db(), clock());
  ASSERT_TRUE(repo.Create({.slug = "default", .name = "Default"}));
  ASSERT_TRUE(repo.Create({.slug = "sol", .name = "Sol", .host = "sol.example"}));
  TenantResolver resolver(repo, "default");
  EXPECT_EQ(resolver.Resolve("sol.example:8080")->slug, "sol");
  EXPECT_EQ(resolver.Resolve("SOL.EXAMPLE")->slug, "sol");
  EXPECT_EQ(resolver.Resolve("other.example")->slug, "default");
  EXPECT_EQ(resolver.Resolve("")->slug, "default");
  TenantResolver none(repo, "missing");
  auto r = none.Resolve("other.example");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "tenant_not_found");
}

HCMS_INSTANTIATE_BACKENDS(TenantRepositoryTest);

TEST(TenantSlug, Rules) {
  EXPECT_TRUE(IsValidSlug("clinica-sao-lucas-2"));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug("-x"));
  EXPECT_FALSE(IsValidSlug("x-"));
  EXPECT_FALSE(IsValidSlug("Upper"));
  EXPECT_FALSE(IsValidSlug("acentuação"));
  EXPECT_FALSE(IsValidSlug(std::string(64, 'a')));
}

}  // namespace
}  // namespace hcms::tenants
