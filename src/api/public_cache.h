// File: api/public_cache.h — what anonymous readers get, kept in memory.
//
// The public site and the read side of /wp-json answer every anonymous reader the
// same thing for the same practice, URL and content. Routes that say so
// (api::Route::public_cache) keep their anonymous GET answers here, keyed by
//
//   practice id, request target (path + query, as sent), whether the client
//   accepts text/html (the 404 page differs), and the practice's content
//   generation (ContentService::Generation).
//
// Database triggers move the generation forward inside every transaction that
// changes what readers see, whichever process commits it. The cache reads it from
// the database (one indexed row) and then trusts what it read while this process
// has committed no write since (store::WriteEpoch) and for at most `recheck`:
//   - a change made through this server is never followed by an old answer;
//   - a change committed by another process (`hcms import wxr` beside the server,
//     another node on the same PostgreSQL) is seen within `recheck` (1 s).
// Entries also expire after `ttl` (the theme's footer year, the feeds' build date).
//
// Hits need neither the database nor a worker thread: the API layer answers them
// on the I/O thread (http::Route::fast), and sends everything else (misses,
// credentials, a generation to read again) to the worker pool as before.
//
// Never cached: requests with credentials (Authorization, the session cookie), so
// drafts and staff views never enter; answers other than 200, 301 and 404;
// problem+json (it carries the request id); answers with Set-Cookie or a
// Cache-Control of private/no-store; event streams.
//
// Conditional requests are answered here as well: every cacheable 200 carries an
// ETag (a hash of the body when the handler gave none) and If-None-Match /
// If-Modified-Since get 304.
//
// Each entry keeps the gzip form of a compressible answer beside the plain one
// (http/compression.h), made once when stored: a hit for a client that accepts
// gzip sends it as it is.
//
// Bounded by bytes (least recently used entries go first); an attacker varying the
// query string can only evict entries, not grow memory. Thread-safe.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "http/compression.h"
#include "http/message.h"

namespace hcms::api {

struct PublicCacheOptions {
  size_t max_bytes = size_t{64} << 20;  // 0: nothing is stored (conditionals still work)
  std::chrono::seconds ttl{60};
  // How long a generation read from the database is trusted when this process has
  // written nothing since; 0: read it for every request.
  std::chrono::milliseconds recheck{1000};
  // The server's compression settings: stored answers get their gzip form.
  http::CompressionOptions compression;
};

struct PublicCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t stores = 0;
  uint64_t evictions = 0;
  uint64_t stale_hits = 0;  // hits on an expired answer while another request renders it
  size_t entries = 0;
  size_t bytes = 0;
};

class PublicCache {
 public:
  // The practice's content generation; an error disables caching for the request.
  using GenerationFn = std::function<Result<int64_t>(int64_t tenant_id)>;

  PublicCache(GenerationFn generation, PublicCacheOptions options);
  PublicCache(const PublicCache&) = delete;
  PublicCache& operator=(const PublicCache&) = delete;

  struct Entry {
    int64_t generation = 0;
    std::chrono::steady_clock::time_point stored_at;
    http::Response response;
    std::optional<http::Response> gzip;  // the compressed form, when it is worth having
    std::string route_template;          // what the request was counted as (metrics)

    // The representation for this request: gzip when it accepts it.
    const http::Response& For(const http::Request& req) const {
      return gzip && http::AcceptsGzip(req.Header("Accept-Encoding")) ? *gzip : response;
    }
  };

  // The practice's generation as last read, while it may be trusted (see above);
  // never touches the database.
  std::optional<int64_t> KnownGeneration(int64_t tenant_id) const;
  // KnownGeneration, or read from the database (and remembered).
  Result<int64_t> Generation(int64_t tenant_id);

  // The entry for `key` if it was stored at `generation` and has not expired.
  // `count_miss`: false for a look that will be repeated (the fast path's).
  std::shared_ptr<const Entry> Find(const std::string& key, int64_t generation,
                                    bool count_miss = true);
  // Keeps `response` (and its gzip form) when Storable(); returns the entry, or
  // null when it kept nothing.
  std::shared_ptr<const Entry> Store(const std::string& key, int64_t generation,
                                     const http::Response& response, std::string route_template);

  PublicCacheStats Stats() const;
  const PublicCacheOptions& options() const { return options_; }

  // The key of an anonymous request (see above).
  static std::string Key(int64_t tenant_id, const http::Request& req);
  // Whether an answer may be kept and shared between anonymous readers.
  static bool Storable(const http::Response& response);

 private:
  struct Slot {
    std::shared_ptr<const Entry> entry;
    size_t bytes = 0;
    std::list<std::string>::iterator lru;
    // Set when a request took the turn to render the expired entry again.
    std::optional<std::chrono::steady_clock::time_point> refreshing_since;
  };
  static constexpr std::chrono::seconds kRefreshTurn{5};
  void EraseLocked(std::unordered_map<std::string, Slot>::iterator it);

  struct Known {
    int64_t generation = 0;
    uint64_t write_epoch = 0;  // store::WriteEpoch() just before the read
    std::chrono::steady_clock::time_point read_at;
  };

  GenerationFn generation_;
  PublicCacheOptions options_;
  mutable std::mutex known_mu_;
  std::unordered_map<int64_t, Known> known_;  // guarded by known_mu_
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> slots_;  // guarded by mu_
  std::list<std::string> lru_;                   // front: most recent; guarded by mu_
  size_t bytes_ = 0;                             // guarded by mu_
  PublicCacheStats stats_;                       // guarded by mu_
};

// A weak ETag of the body: W/"<64-bit XXH3><length>" (XXH3 hashes a 60 KB page in
// about 2 µs; the byte-at-a-time FNV-1a it replaced took 5 % of an uncached list).
std::string BodyEtag(std::string_view body);

// 304 when the request's If-None-Match names `etag` (or is "*"), or, without
// If-None-Match, when If-Modified-Since equals `last_modified` (an HTTP date).
bool NotModified(const http::Request& req, std::string_view etag, std::string_view last_modified);

// The 304 answer for `full`: its ETag, Last-Modified, Cache-Control and Vary.
http::Response NotModifiedResponse(const http::Response& full);

}  // namespace hcms::api
