#include "api/public_cache.h"

#include <fmt/format.h>
// Header-only XXH3 (inlined; no run-time library).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "store/database.h"

namespace hcms::api {

namespace {

bool HeaderHas(std::string_view value, std::string_view token) {
  return value.find(token) != std::string_view::npos;
}

size_t Footprint(const std::string& key, const http::Response& r) {
  size_t n = key.size() * 2 + r.Body().size() + sizeof(PublicCache::Entry) + 64;
  for (const auto& h : r.headers) n += h.name.size() + h.value.size() + sizeof(http::HeaderField);
  return n;
}

}  // namespace

std::string BodyEtag(std::string_view body) {
  return fmt::format("W/\"{:016x}{:x}\"", XXH3_64bits(body.data(), body.size()), body.size());
}

bool NotModified(const http::Request& req, std::string_view etag, std::string_view last_modified) {
  const std::string_view inm = req.Header("If-None-Match");
  if (!inm.empty()) return http::IfNoneMatchHits(inm, etag);
  const std::string_view ims = req.Header("If-Modified-Since");
  return !ims.empty() && !last_modified.empty() && http::TrimOws(ims) == last_modified;
}

http::Response NotModifiedResponse(const http::Response& full) {
  http::Response nm;
  nm.status = 304;
  for (std::string_view name : {"ETag", "Last-Modified", "Cache-Control", "Vary"}) {
    if (auto v = full.Get(name); !v.empty()) nm.Set(name, std::string(v));
  }
  return nm;
}

PublicCache::PublicCache(GenerationFn generation, PublicCacheOptions options)
    : generation_(std::move(generation)), options_(options) {}

std::optional<int64_t> PublicCache::KnownGeneration(int64_t tenant_id) const {
  if (options_.recheck.count() == 0) return std::nullopt;
  const uint64_t epoch = store::WriteEpoch();
  std::lock_guard lock(known_mu_);
  auto it = known_.find(tenant_id);
  if (it == known_.end() || it->second.write_epoch != epoch ||
      std::chrono::steady_clock::now() - it->second.read_at >= options_.recheck) {
    return std::nullopt;
  }
  return it->second.generation;
}

Result<int64_t> PublicCache::Generation(int64_t tenant_id) {
  if (auto known = KnownGeneration(tenant_id)) return *known;
  // The epoch before the read: a write committed during the read makes the next
  // request read again.
  const uint64_t epoch = store::WriteEpoch();
  const auto read_at = std::chrono::steady_clock::now();
  HCMS_TRY(const int64_t generation, generation_(tenant_id));
  std::lock_guard lock(known_mu_);
  if (known_.size() > 4096) known_.clear();  // practices, not request input; still bounded
  known_[tenant_id] = {generation, epoch, read_at};
  return generation;
}

std::string PublicCache::Key(int64_t tenant_id, const http::Request& req) {
  const bool html = req.Header("Accept").find("text/html") != std::string_view::npos;
  return fmt::format("{}\x1f{}\x1f{}", tenant_id, html ? 'h' : '-', req.target);
}

bool PublicCache::Storable(const http::Response& r) {
  if (r.stream) return false;
  if (r.status != 200 && r.status != 301 && r.status != 404) return false;
  if (!r.Get("Set-Cookie").empty()) return false;
  const std::string_view cc = r.Get("Cache-Control");
  if (HeaderHas(cc, "private") || HeaderHas(cc, "no-store")) return false;
  if (r.Get("Content-Type").starts_with("application/problem+json")) return false;
  return true;
}

std::shared_ptr<const PublicCache::Entry> PublicCache::Find(const std::string& key,
                                                            int64_t generation, bool count_miss) {
  std::lock_guard lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end()) {
    if (count_miss) ++stats_.misses;
    return nullptr;
  }
  const Entry& e = *it->second.entry;
  if (e.generation != generation) {
    // Older than the generation: no request will want it again.
    if (e.generation <= generation) EraseLocked(it);
    if (count_miss) ++stats_.misses;
    return nullptr;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - e.stored_at >= options_.ttl) {
    // Expired, the content unchanged (only the footer's year or a feed's date may
    // be due): one request renders it again while the others keep getting this
    // answer, instead of every request at that moment rendering the same page
    // (on PostgreSQL such a stampede held a busy page for up to 1.7 s). The fast
    // path never takes the turn (its miss is looked up again on a worker); a turn
    // not finished in kRefreshTurn passes to the next request.
    Slot& slot = it->second;
    const bool turn_taken =
        slot.refreshing_since.has_value() && now - *slot.refreshing_since < kRefreshTurn;
    if (!turn_taken) {
      if (count_miss) {
        slot.refreshing_since = now;
        ++stats_.misses;
      }
      return nullptr;
    }
    ++stats_.stale_hits;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  ++stats_.hits;
  return it->second.entry;
}

std::shared_ptr<const PublicCache::Entry> PublicCache::Store(const std::string& key,
                                                             int64_t generation,
                                                             const http::Response& response,
                                                             std::string route_template) {
  if (options_.max_bytes == 0 || !Storable(response)) return nullptr;
  auto entry = std::make_shared<Entry>();
  entry->generation = generation;
  entry->stored_at = std::chrono::steady_clock::now();
  entry->response = response;
  if (!entry->response.shared_body) {
    // Hits share the body instead of copying it (http::Response::shared_body).
    entry->response.shared_body =
        std::make_shared<const std::string>(std::move(entry->response.body));
    entry->response.body.clear();
  }
  if (http::Compressible(entry->response, options_.compression)) {
    http::AddVaryAcceptEncoding(entry->response);
    entry->gzip = http::GzipVariant(entry->response, options_.compression);
    if (entry->gzip) {
      entry->gzip->shared_body = std::make_shared<const std::string>(std::move(entry->gzip->body));
      entry->gzip->body.clear();
    }
  }
  size_t bytes = Footprint(key, entry->response);
  if (entry->gzip) bytes += Footprint({}, *entry->gzip);
  if (bytes > options_.max_bytes / 8) return nullptr;  // one answer never takes the cache
  entry->route_template = std::move(route_template);
  std::lock_guard lock(mu_);
  if (auto it = slots_.find(key); it != slots_.end()) {
    // A newer generation wins; an older one (a slow miss finishing late) does not.
    if (it->second.entry->generation > generation) return nullptr;
    EraseLocked(it);
  }
  while (!lru_.empty() && bytes_ + bytes > options_.max_bytes) {
    EraseLocked(slots_.find(lru_.back()));
    ++stats_.evictions;
  }
  lru_.push_front(key);
  std::shared_ptr<const Entry> stored = entry;
  slots_.emplace(key, Slot{std::move(entry), bytes, lru_.begin()});
  bytes_ += bytes;
  ++stats_.stores;
  return stored;
}

void PublicCache::EraseLocked(std::unordered_map<std::string, Slot>::iterator it) {
  bytes_ -= it->second.bytes;
  lru_.erase(it->second.lru);
  slots_.erase(it);
}

PublicCacheStats PublicCache::Stats() const {
  std::lock_guard lock(mu_);
  PublicCacheStats s = stats_;
  s.entries = slots_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace hcms::api
