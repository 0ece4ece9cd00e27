// File: core/lru_cache.h — a map that forgets the least recently used entries.
//
// Bounded by an approximate byte count the caller gives with each value (so an
// attacker choosing keys can only evict entries, never grow memory). Values are
// immutable and shared: Find hands out a shared_ptr that stays valid after the
// entry is evicted or replaced. Thread-safe (one mutex; every operation is a hash
// lookup and a list splice under it).
//
//   LruCache<std::string> cache(16 << 20);
//   cache.Store("k", std::make_shared<const std::string>("v"), 1 + 64);
//   if (auto v = cache.Find("k")) Use(*v);

#pragma once

#include <utility>

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hcms {

struct LruCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  size_t entries = 0;
  size_t bytes = 0;
};

template <typename Value>
class LruCache {
 public:
  // max_bytes 0: nothing is ever kept.
  explicit LruCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  // The value stored under `key`, or null. Marks it most recently used.
  std::shared_ptr<const Value> Find(const std::string& key) {
    return Find(key, [](const Value&) { return true; });
  }

  // The value stored under `key` if `valid(value)` (called under the lock; keep it
  // cheap), else null; an invalid value counts as a miss and stays until replaced.
  template <typename Valid>
  std::shared_ptr<const Value> Find(const std::string& key, Valid&& valid) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || !valid(*it->second.value)) {
      ++stats_.misses;
      return nullptr;
    }
    ++stats_.hits;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.value;
  }

  // Keeps `value` under `key` (replacing what was there), `bytes` being what it
  // costs in memory; then evicts from the least recently used end until the cache
  // fits. A value larger than the whole cache is not kept.
  void Store(const std::string& key, std::shared_ptr<const Value> value, size_t bytes) {
    bytes += key.size() * 2 + kOverhead;
    if (bytes > max_bytes_) return;
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      bytes_ -= it->second.bytes;
      it->second.value = std::move(value);
      it->second.bytes = bytes;
      lru_.splice(lru_.begin(), lru_, it->second.lru);
    } else {
      lru_.push_front(key);
      map_.emplace(key, Slot{std::move(value), bytes, lru_.begin()});
    }
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && !lru_.empty()) {
      auto victim = map_.find(lru_.back());
      bytes_ -= victim->second.bytes;
      map_.erase(victim);
      lru_.pop_back();
      ++stats_.evictions;
    }
  }

  void Erase(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return;
    bytes_ -= it->second.bytes;
    lru_.erase(it->second.lru);
    map_.erase(it);
  }

  LruCacheStats Stats() const {
    std::lock_guard lock(mu_);
    LruCacheStats s = stats_;
    s.entries = map_.size();
    s.bytes = bytes_;
    return s;
  }

  size_t max_bytes() const { return max_bytes_; }

 private:
  // The map node, the list node and the shared_ptr control block, roughly.
  static constexpr size_t kOverhead = 128;

  struct Slot {
    std::shared_ptr<const Value> value;
    size_t bytes = 0;
    std::list<std::string>::iterator lru;
  };

  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> map_;  // guarded by mu_
  std::list<std::string> lru_;                 // guarded by mu_; front: most recent
  size_t bytes_ = 0;                           // guarded by mu_
  LruCacheStats stats_;                        // guarded by mu_
};

}  // namespace hcms
