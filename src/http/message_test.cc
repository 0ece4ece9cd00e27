#include "http/message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/problem.h"

namespace hcms::http {
namespace {

TEST(Request, HeadersAreCaseInsensitive) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"X-Custom", "1"}};
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("X-CUSTOM"), "1");
  EXPECT_EQ(r.Header("missing"), "");
  EXPECT_TRUE(HeaderNameEquals("accept-ENCODING", "Accept-Encoding"));
  EXPECT_FALSE(HeaderNameEquals("Accept-Encodinh", "Accept-Encoding"));
  EXPECT_FALSE(HeaderNameEquals("Accept", "Accept-Encoding"));
  EXPECT_FALSE(HeaderNameEquals("a[", "a{"));  // only letters fold
  EXPECT_FALSE(HeaderNameEquals("x@", "x`"));
  EXPECT_EQ(TrimOws(" \t gzip\t "), "gzip");
  EXPECT_TRUE(HeaderListHas("Accept,\tAccept-Encoding ", "accept-encoding"));
  EXPECT_FALSE(HeaderListHas("Accept, Accept-Encodings", "Accept-Encoding"));
  EXPECT_FALSE(HeaderListHas("", "x"));
}

TEST(Headers, IfNoneMatchComparesWeakly) {
  EXPECT_TRUE(IfNoneMatchHits("\"a\"", "\"a\""));
  EXPECT_TRUE(IfNoneMatchHits("W/\"a\"", "\"a\""));  // weak names the same version
  EXPECT_TRUE(IfNoneMatchHits("\"a\"", "W/\"a\""));
  EXPECT_TRUE(IfNoneMatchHits("\"x\",\t W/\"a\" ", "\"a\""));  // any of a list
  EXPECT_TRUE(IfNoneMatchHits("*", "\"a\""));
  EXPECT_FALSE(IfNoneMatchHits("\"ab\"", "\"a\""));
  EXPECT_FALSE(IfNoneMatchHits("\"a\"", ""));  // no current version
  EXPECT_FALSE(IfNoneMatchHits("", "\"a\""));
  EXPECT_FALSE(IfNoneMatchHits(" , ", "\"a\""));
}

TEST(Request, QueryParametersAreDecoded) {
  Request r;
  r.query = "search=caf%C3%A9+com+leite&page=2&tags[]=1&tags[]=2&tags=3&empty=&flag";
  EXPECT_EQ(r.QueryParam("search"), "café com leite");
  EXPECT_EQ(r.QueryParam("page"), "2");
  EXPECT_EQ(r.QueryParam("empty"), "");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_EQ(r.QueryParam("nope"), std::nullopt);
  EXPECT_THAT(r.QueryParams("tags"), ::testing::ElementsAre("1", "2", "3"));
}

TEST(Request, LanguageDefaultsToPortuguese) {
  Request r;
  EXPECT_EQ(r.Language(), "pt-BR");
  r.headers = {{"Accept-Language", "en-US,en;q=0.9"}};
  EXPECT_EQ(r.Language(), "en");
  r.headers = {{"Accept-Language", "pt-BR,en;q=0.5"}};
  EXPECT_EQ(r.Language(), "pt-BR");
}

TEST(Request, WantsWebSocketReadsTheUpgradeTokens) {
  Request r;
  EXPECT_FALSE(r.WantsWebSocket());
  r.headers = {{"upgrade", "WebSocket"}};
  EXPECT_TRUE(r.WantsWebSocket());
  r.headers = {{"Upgrade", "h2c, websocket"}};
  EXPECT_TRUE(r.WantsWebSocket());
  r.headers = {{"Upgrade", "websockets"}};
  EXPECT_FALSE(r.WantsWebSocket());
}

TEST(PercentCoding, RoundTripsAndToleratesBadEscapes) {
  EXPECT_EQ(PercentDecode(PercentEncode("a b/ç?&=%"), false), "a b/ç?&=%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
}

TEST(Response, SetReplacesAddAppends) {
  Response r = Response::Text(200, "x");
  r.Set("X-A", "1").Set("x-a", "2").Add("Set-Cookie", "a=1").Add("Set-Cookie", "b=2");
  EXPECT_EQ(r.Get("X-A"), "2");
  EXPECT_EQ(std::count_if(r.headers.begin(), r.headers.end(),
                          [](auto& h) { return h.name == "Set-Cookie"; }),
            2);
}

TEST(Problem, HasTheRfc9457FieldsAndTheRequestId) {
  Request req;
  req.request_id = "req-1";
  Response r = Problem(req, 413, "body_too_large");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Get("Content-Type"), "application/problem+json");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["type"], "urn:hcms:problem:body_too_large");
  EXPECT_EQ(j["status"], 413);
  EXPECT_EQ(j["code"], "body_too_large");
  EXPECT_EQ(j["request_id"], "req-1");
  EXPECT_EQ(j["title"], "Corpo da requisição grande demais");
  req.headers = {{"Accept-Language", "en"}};
  EXPECT_EQ(nlohmann::json::parse(Problem(req, 413, "body_too_large").body)["title"],
            "Request body too large");
}

TEST(Problem, ServerErrorsHideTheirCause) {
  Request req;
  req.request_id = "req-2";
  Error e(ErrorKind::kInternal, "database_error", "should not leak", "SELECT secret FROM t");
  Response r = Problem(req, e);
  EXPECT_EQ(r.status, 500);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["code"], "internal_error");
  EXPECT_FALSE(j.contains("detail"));
  EXPECT_THAT(r.body, ::testing::Not(::testing::HasSubstr("SELECT")));
}

TEST(Problem, ClientErrorsCarryDetailAndFieldErrors) {
  Request req;
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados inválidos.");
  e.WithField("email", "invalid_format");
  Response r = Problem(req, e);
  EXPECT_EQ(r.status, 422);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["detail"], "Dados inválidos.");
  ASSERT_EQ(j["errors"].size(), 1u);
  EXPECT_EQ(j["errors"][0]["field"], "email");
}

TEST(Problem, KindsMapToStatuses) {
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kNotFound, "x")), 404);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kConflict, "x")), 409);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kUnauthenticated, "x")), 401);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kPermissionDenied, "x")), 403);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kResourceExhausted, "x")), 429);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kUnavailable, "x")), 503);
  EXPECT_EQ(HttpStatusFor(Error(ErrorKind::kInvalidArgument, "x")), 400);
}

TEST(Problem, BusyAndLimitedAnswersSayWhenToRetry) {
  Request req;
  Response busy = Problem(req, Error(ErrorKind::kUnavailable, "database_busy"));
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(busy.Get("Retry-After"), "1");
  EXPECT_EQ(Problem(req, Error(ErrorKind::kResourceExhausted, "rate_limited")).Get("Retry-After"),
            "1");
  EXPECT_TRUE(Problem(req, Error(ErrorKind::kNotFound, "x")).Get("Retry-After").empty());
  // A caller that knows the wait says it.
  Response throttled = Problem(req, 429, "login_throttled");
  throttled.Set("Retry-After", "30");
  EXPECT_EQ(throttled.Get("Retry-After"), "30");
}

}  // namespace
}  // namespace hcms::http
