#include "core/lru_cache.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace hcms {
namespace {

std::shared_ptr<const std::string> S(std::string v) {
  return std::make_shared<const std::string>(std::move(v));
}

TEST(LruCache, FindsWhatWasStoredAndReplacesOnStore) {
  LruCache<std::string> cache(1 << 20);
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Store("a", S("one"), 3);
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(*cache.Find("a"), "one");
  cache.Store("a", S("two"), 3);
  EXPECT_EQ(*cache.Find("a"), "two");
  const auto stats = cache.Stats();
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.hits, 3u);
  EXPECT_EQ(stats.misses, 1u);
  cache.Erase("a");
  EXPECT_EQ(cache.Find("a"), nullptr);
  EXPECT_EQ(cache.Stats().bytes, 0u);
}

TEST(LruCache, AValueFoundInvalidIsAMiss) {
  LruCache<std::string> cache(1 << 20);
  cache.Store("a", S("old"), 3);
  EXPECT_EQ(cache.Find("a", [](const std::string& v) { return v == "new"; }), nullptr);
  EXPECT_NE(cache.Find("a", [](const std::string& v) { return v == "old"; }), nullptr);
  EXPECT_EQ(cache.Stats().misses, 1u);
  EXPECT_EQ(cache.Stats().hits, 1u);
}

TEST(LruCache, EvictsTheLeastRecentlyUsedToStayWithinItsBytes) {
  // Each entry costs 1,000 bytes plus the key and the overhead: three fit in 4,000.
  LruCache<std::string> cache(4000);
  cache.Store("a", S("a"), 1000);
  cache.Store("b", S("b"), 1000);
  cache.Store("c", S("c"), 1000);
  ASSERT_NE(cache.Find("a"), nullptr);  // "b" is now the least recently used
  cache.Store("d", S("d"), 1000);
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_NE(cache.Find("a"), nullptr);
  EXPECT_NE(cache.Find("c"), nullptr);
  EXPECT_NE(cache.Find("d"), nullptr);
  EXPECT_LE(cache.Stats().bytes, 4000u);
  EXPECT_EQ(cache.Stats().evictions, 1u);
}

TEST(LruCache, KeepsNothingLargerThanItselfAndNothingWhenSizedZero) {
  LruCache<std::string> small(100);
  small.Store("big", S("x"), 1000);
  EXPECT_EQ(small.Find("big"), nullptr);
  LruCache<std::string> off(0);
  off.Store("a", S("a"), 1);
  EXPECT_EQ(off.Find("a"), nullptr);
  EXPECT_EQ(off.Stats().entries, 0u);
}

TEST(LruCache, AValueHandedOutOutlivesItsEviction) {
  LruCache<std::string> cache(1500);
  cache.Store("a", S("kept by the reader"), 1000);
  auto held = cache.Find("a");
  cache.Store("b", S("b"), 1000);  // evicts "a"
  EXPECT_EQ(cache.Find("a"), nullptr);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, "kept by the reader");
}

TEST(LruCache, ConcurrentReadersAndWritersStayWithinBounds) {
  LruCache<std::string> cache(64 * 1024);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 300);
        if (auto v = cache.Find(key)) {
          EXPECT_EQ(*v, key);
        } else {
          cache.Store(key, S(key), 512);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  const auto stats = cache.Stats();
  EXPECT_LE(stats.bytes, 64u * 1024);
  EXPECT_GT(stats.entries, 0u);
}

}  // namespace
}  // namespace hcms
