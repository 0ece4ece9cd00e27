#include "http/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hcms::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

Router Sample() {
  Router r;
  r.Add({Method::kGet, "/", ResourceClass::kPublic, Named("root")});
  r.Add({Method::kGet, "/api/v1/posts", ResourceClass::kPublic, Named("list")});
  r.Add({Method::kPost, "/api/v1/posts", ResourceClass::kInternal, Named("create")});
  r.Add({Method::kGet, "/api/v1/posts/{id}", ResourceClass::kPublic, Named("get")});
  r.Add({Method::kGet, "/api/v1/posts/search", ResourceClass::kPublic, Named("search")});
  r.Add({Method::kGet, "/api/v1/posts/{id}/revisions/{rev}", ResourceClass::kPublic, Named("rev")});
  r.Add({Method::kGet, "/admin/{path*}", ResourceClass::kPublic, Named("admin")});
  return r;
}

std::string Invoke(const RouteMatch& m) {
  Request req;
  return m.route->handler(req).body;
}

TEST(Router, MatchesLiteralsAndParameters) {
  Router r = Sample();
  ASSERT_TRUE(r.Validate());
  auto m = r.Find(Method::kGet, "/api/v1/posts/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(Invoke(m), "get");
  EXPECT_THAT(m.params, ElementsAre(Pair("id", "42")));
  EXPECT_EQ(Invoke(r.Find(Method::kGet, "/")), "root");
  EXPECT_EQ(Invoke(r.Find(Method::kGet, "/api/v1/posts")), "list");
  EXPECT_EQ(Invoke(r.Find(Method::kPost, "/api/v1/posts")), "create");
}

TEST(Router, LiteralWinsOverParameter) {
  Router r = Sample();
  EXPECT_EQ(Invoke(r.Find(Method::kGet, "/api/v1/posts/search")), "search");
}

TEST(Router, SeveralParametersAreDecoded) {
  Router r = Sample();
  auto m = r.Find(Method::kGet, "/api/v1/posts/a%20b/revisions/7");
  ASSERT_NE(m.route, nullptr);
  EXPECT_THAT(m.params, ElementsAre(Pair("id", "a b"), Pair("rev", "7")));
}

TEST(Router, RestParameterTakesTheRemainder) {
  Router r = Sample();
  auto m = r.Find(Method::kGet, "/admin/assets/app.js");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(Invoke(m), "admin");
  EXPECT_THAT(m.params, ElementsAre(Pair("path", "assets/app.js")));
}

TEST(Router, HeadUsesGet) {
  Router r = Sample();
  auto m = r.Find(Method::kHead, "/api/v1/posts/1");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(Invoke(m), "get");
}

TEST(Router, WrongMethodReportsAllowedMethods) {
  Router r = Sample();
  auto m = r.Find(Method::kDelete, "/api/v1/posts");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched);
  EXPECT_THAT(m.allowed, ::testing::UnorderedElementsAre(Method::kGet, Method::kPost));
}

TEST(Router, UnknownPathIsNotMatched) {
  Router r = Sample();
  for (const char* p :
       {"/nope", "/api/v1", "/api/v1/posts/1/extra", "/api/v1/posts/", "", "relative"}) {
    auto m = r.Find(Method::kGet, p);
    EXPECT_EQ(m.route, nullptr) << p;
    EXPECT_FALSE(m.path_matched) << p;
  }
}

TEST(Router, ARouteWithoutResourceClassFailsValidation) {
  Router r;
  r.Add({Method::kGet, "/x", ResourceClass::kUnset, Named("x")});
  auto s = r.Validate();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), "route_invalid");
  EXPECT_THAT(s.error().detail(), ::testing::HasSubstr("GET /x declares no resource class"));
}

TEST(Router, DuplicatesAndMalformedPatternsFailValidation) {
  {
    Router r;
    r.Add({Method::kGet, "/x", ResourceClass::kPublic, Named("a")});
    r.Add({Method::kGet, "/x", ResourceClass::kPublic, Named("b")});
    EXPECT_FALSE(r.Validate());
  }
  {
    Router r;
    r.Add({Method::kGet, "/a/{id}", ResourceClass::kPublic, Named("a")});
    r.Add({Method::kGet, "/a/{slug}/x", ResourceClass::kPublic, Named("b")});
    EXPECT_FALSE(r.Validate());
  }
  {
    Router r;
    r.Add({Method::kGet, "no-slash", ResourceClass::kPublic, Named("a")});
    EXPECT_FALSE(r.Validate());
  }
  {
    Router r;
    r.Add({Method::kGet, "/a/{rest*}/b", ResourceClass::kPublic, Named("a")});
    EXPECT_FALSE(r.Validate());
  }
  {
    Router r;
    r.Add({Method::kGet, "/x", ResourceClass::kPublic, nullptr});
    EXPECT_FALSE(r.Validate());
  }
}

}  // namespace
}  // namespace hcms::http
