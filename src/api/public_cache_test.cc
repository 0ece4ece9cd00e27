#include "api/public_cache.h"

#include <gtest/gtest.h>

namespace hcms::api {
namespace {

http::Response Page(std::string body, int status = 200) {
  http::Response r(status, "text/html; charset=utf-8", std::move(body));
  r.Set("Cache-Control", "public, max-age=60");
  return r;
}

http::Request Get(std::string target, std::string accept = {}) {
  http::Request req;
  req.target = std::move(target);
  if (!accept.empty()) req.headers.push_back({"Accept", std::move(accept)});
  return req;
}

PublicCache MakeCache(size_t max_bytes = size_t{1} << 20,
                      std::chrono::seconds ttl = std::chrono::seconds(60)) {
  return PublicCache([](int64_t) -> Result<int64_t> { return 7; },
                     {.max_bytes = max_bytes, .ttl = ttl});
}

TEST(PublicCache, ServesWhatWasStoredAtTheSameGenerationOnly) {
  PublicCache cache = MakeCache();
  ASSERT_TRUE(cache.Store("k", 3, Page("<p>v3</p>"), "/{path*}"));
  auto hit = cache.Find("k", 3);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->response.Body(), "<p>v3</p>");
  EXPECT_EQ(hit->route_template, "/{path*}");
  // A committed change moved the generation: the old answer is gone for good.
  EXPECT_EQ(cache.Find("k", 4), nullptr);
  EXPECT_EQ(cache.Find("k", 3), nullptr);
  const auto s = cache.Stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 2u);
  EXPECT_EQ(s.entries, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(PublicCache, AnOlderRenderNeverReplacesANewerOne) {
  PublicCache cache = MakeCache();
  ASSERT_TRUE(cache.Store("k", 5, Page("new"), "r"));
  EXPECT_FALSE(cache.Store("k", 4, Page("old"), "r"));
  ASSERT_NE(cache.Find("k", 5), nullptr);
  EXPECT_EQ(cache.Find("k", 5)->response.Body(), "new");
}

TEST(PublicCache, EntriesExpire) {
  PublicCache cache = MakeCache(size_t{1} << 20, std::chrono::seconds(0));
  ASSERT_TRUE(cache.Store("k", 1, Page("x"), "r"));
  EXPECT_EQ(cache.Find("k", 1), nullptr);
}

// An expired answer (content unchanged) is rendered again by one request; the
// others meanwhile keep the old one instead of all rendering the same page.
TEST(PublicCache, OneRequestRendersAnExpiredAnswerAgain) {
  PublicCache cache = MakeCache(size_t{1} << 20, std::chrono::seconds(0));
  ASSERT_TRUE(cache.Store("k", 1, Page("old"), "r"));
  // The I/O thread's look never takes the turn: its miss is looked up again.
  EXPECT_EQ(cache.Find("k", 1, /*count_miss=*/false), nullptr);
  EXPECT_EQ(cache.Find("k", 1), nullptr);  // this one renders
  for (bool fast : {false, true}) {
    auto stale = cache.Find("k", 1, /*count_miss=*/!fast);
    ASSERT_NE(stale, nullptr);
    EXPECT_EQ(stale->response.Body(), "old");
  }
  EXPECT_EQ(cache.Stats().stale_hits, 2u);
  // A change of content is never served stale, turn or not.
  EXPECT_EQ(cache.Find("k", 2), nullptr);
  EXPECT_EQ(cache.Find("k", 1), nullptr);
  // The new render replaces it, and its own expiry starts a new turn.
  ASSERT_TRUE(cache.Store("k", 2, Page("new"), "r"));
  EXPECT_EQ(cache.Find("k", 2), nullptr);
  EXPECT_EQ(cache.Find("k", 2)->response.Body(), "new");
}

TEST(PublicCache, StaysWithinItsSizeEvictingTheLeastRecentlyUsed) {
  const std::string body(10'000, 'a');
  PublicCache cache = MakeCache(100'000);
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(cache.Store("k" + std::to_string(i), 1, Page(body), "r"));
    if (i >= 1) {
      ASSERT_NE(cache.Find("k0", 1), nullptr) << i;  // k0 stays in use
    }
    EXPECT_LE(cache.Stats().bytes, 100'000u);
  }
  EXPECT_NE(cache.Find("k0", 1), nullptr);
  EXPECT_NE(cache.Find("k29", 1), nullptr);
  EXPECT_EQ(cache.Find("k1", 1), nullptr);
  EXPECT_GT(cache.Stats().evictions, 0u);
  // One answer may not take more than an eighth of the cache.
  EXPECT_FALSE(cache.Store("big", 1, Page(std::string(20'000, 'b')), "r"));
}

TEST(PublicCache, ZeroBytesStoresNothing) {
  PublicCache cache = MakeCache(0);
  EXPECT_FALSE(cache.Store("k", 1, Page("x"), "r"));
}

TEST(PublicCache, OnlySharedAnswersAreStorable) {
  EXPECT_TRUE(PublicCache::Storable(Page("ok")));
  EXPECT_TRUE(PublicCache::Storable(Page("gone", 404)));
  http::Response moved(301, "text/html", "");
  moved.Set("Location", "/x/");
  EXPECT_TRUE(PublicCache::Storable(moved));
  EXPECT_FALSE(PublicCache::Storable(Page("err", 500)));
  EXPECT_FALSE(PublicCache::Storable(Page("bad", 400)));
  EXPECT_FALSE(PublicCache::Storable(http::Response(404, "application/problem+json", "{}")));
  http::Response cookie = Page("c");
  cookie.Set("Set-Cookie", "a=b");
  EXPECT_FALSE(PublicCache::Storable(cookie));
  http::Response priv = Page("p");
  priv.Set("Cache-Control", "private, max-age=10");
  EXPECT_FALSE(PublicCache::Storable(priv));
  http::Response nostore = Page("n");
  nostore.Set("Cache-Control", "no-store");
  EXPECT_FALSE(PublicCache::Storable(nostore));
}

TEST(PublicCache, KeysSeparatePracticesTargetsAndHtmlClients) {
  const auto a = PublicCache::Key(1, Get("/?s=x"));
  EXPECT_NE(a, PublicCache::Key(2, Get("/?s=x")));
  EXPECT_NE(a, PublicCache::Key(1, Get("/?s=y")));
  EXPECT_NE(a, PublicCache::Key(1, Get("/?s=x", "text/html,application/xhtml+xml")));
  EXPECT_EQ(a, PublicCache::Key(1, Get("/?s=x", "application/json")));
}

TEST(PublicCache, KeepsTheGzipFormOfCompressibleAnswers) {
  PublicCache cache = MakeCache();
  std::string page;
  for (int i = 0; i < 200; ++i)
    page += "<p>Artigo sobre diabetes tipo 2, parte " + std::to_string(i);
  http::Response full = Page(page);
  full.Set("ETag", BodyEtag(page));
  auto stored = cache.Store("big", 1, full, "r");
  ASSERT_TRUE(stored);
  ASSERT_TRUE(stored->gzip);
  EXPECT_EQ(stored->response.Get("Vary"), "Accept-Encoding");
  EXPECT_EQ(stored->gzip->Get("Content-Encoding"), "gzip");
  EXPECT_EQ(stored->gzip->Get("ETag"), full.Get("ETag"));  // same content, same validator
  EXPECT_EQ(stored->gzip->Body(), http::Gzip(page, http::CompressionOptions{}.level));

  http::Request gzip = Get("/");
  gzip.headers.push_back({"Accept-Encoding", "gzip, br"});
  auto hit = cache.Find("big", 1);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->For(gzip).Get("Content-Encoding"), "gzip");
  EXPECT_EQ(hit->For(Get("/")).Body(), page);
  // Both forms count against the size limit.
  EXPECT_GT(cache.Stats().bytes, page.size() + stored->gzip->Body().size());

  // Small answers, and a cache told not to compress, keep the plain form only.
  auto small = cache.Store("small", 1, Page("<p>oi</p>"), "r");
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->gzip);
  EXPECT_EQ(&small->For(gzip), &small->response);
  PublicCache plain([](int64_t) -> Result<int64_t> { return 1; },
                    {.max_bytes = size_t{1} << 20, .compression = {.enabled = false}});
  auto p = plain.Store("big", 1, full, "r");
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->gzip);
}

TEST(PublicCache, ConditionalRequests) {
  const std::string etag = BodyEtag("body");
  EXPECT_EQ(etag, BodyEtag("body"));
  EXPECT_NE(etag, BodyEtag("body2"));
  auto with = [](std::string name, std::string value) {
    http::Request r;
    r.headers.push_back({std::move(name), std::move(value)});
    return r;
  };
  EXPECT_TRUE(NotModified(with("If-None-Match", etag), etag, ""));
  EXPECT_TRUE(NotModified(with("If-None-Match", "\"a\", " + etag), etag, ""));
  EXPECT_TRUE(NotModified(with("If-None-Match", etag.substr(2)), etag, ""));  // weak match
  EXPECT_TRUE(NotModified(with("If-None-Match", "*"), etag, ""));
  EXPECT_FALSE(NotModified(with("If-None-Match", "\"other\""), etag, ""));
  const std::string date = "Tue, 01 Dec 2026 10:00:00 GMT";
  EXPECT_TRUE(NotModified(with("If-Modified-Since", date), etag, date));
  EXPECT_FALSE(NotModified(with("If-Modified-Since", date), etag, ""));
  EXPECT_FALSE(NotModified(http::Request{}, etag, date));

  http::Response full = Page("body");
  full.Set("ETag", etag);
  full.Set("Last-Modified", date);
  const http::Response nm = NotModifiedResponse(full);
  EXPECT_EQ(nm.status, 304);
  EXPECT_TRUE(nm.body.empty());
  EXPECT_EQ(nm.Get("ETag"), etag);
  EXPECT_EQ(nm.Get("Last-Modified"), date);
  EXPECT_EQ(nm.Get("Cache-Control"), "public, max-age=60");
}

}  // namespace
}  // namespace hcms::api
