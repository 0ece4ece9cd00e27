// The tamper-evident audit trail: an append-only, hash-chained log with signed
// checkpoints, in the same database as everything else (SQLite or PostgreSQL).
//
// Each entry has a gap-free sequence number; its hash is SHA-256 over the previous
// entry's hash and the entry's canonical content (CanonicalContent). Every
// `checkpoint_every` entries, and on Checkpoint()/shutdown, the head (seq, hash) is
// signed with Ed25519 (`audit.signing_key_file`). VerifyAuditTrail walks the chain
// and names the first entry that was edited, deleted or moved, and any checkpoint
// whose signature or hash does not match. Entries never carry personal data: ids,
// codes, scores, anonymised IPs and request ids only.
//
//   AuditLog audit(db, clock, std::move(key), {});
//   audit.Append({.tenant_id = 1, .actor_user_id = 7, .action = "auth.login",
//                 .resource = "user:7", .decision = "success", ...});   // synchronous
//   audit.Enqueue(entry);   // batched by the writer thread (policy decisions)
//
// Thread-safe. The destructor writes what is queued; the server calls Checkpoint()
// when it stops. A checkpoint is only signed after the entries since the previous
// one verify, so the key never blesses an already-tampered chain.

#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "crypto/ed25519.h"
#include "store/database.h"

namespace hcms::audit {

struct Entry {
  std::optional<int64_t> tenant_id;
  std::optional<int64_t> actor_user_id;
  std::string action;    // "auth.login", "policy.decision", "user.create", ...
  std::string resource;  // "user:42", "route:GET /api/v1/users/{id}"
  std::string decision;  // allow | deny | challenge | success | failure | done
  std::optional<int> trust_score;
  std::string ip_anon;  // AnonymizeIp() output, or "-"
  std::string request_id;
  nlohmann::json details = nlohmann::json::object();  // ids and codes only
};

struct StoredEntry {
  int64_t seq = 0;
  std::string id;  // UUIDv7
  std::string at;
  Entry entry;
  std::string prev_hash;
  std::string hash;
};

// The exact text hashed for an entry (after its previous hash).
std::string CanonicalContent(const StoredEntry& e);
std::string ChainHash(std::string_view prev_hash, std::string_view canonical);
// The message a checkpoint signs.
std::string CheckpointMessage(int64_t seq, std::string_view hash);

struct AuditOptions {
  int64_t checkpoint_every = 1000;
  std::chrono::milliseconds flush_interval{20};
  size_t max_batch = 512;
};

struct ListFilter {
  int64_t tenant_id = 0;
  std::optional<std::string> action;  // exact, or prefix when it ends with '*'
  std::optional<int64_t> actor_user_id;
  std::optional<std::string> decision;
  std::optional<std::string> since;  // RFC 3339
  std::optional<std::string> until;
  std::optional<int64_t> before_seq;  // cursor: entries older than this
  int limit = 50;
};

class AuditLog {
 public:
  AuditLog(store::Database& db, const Clock& clock, crypto::SigningKey key, AuditOptions options);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writes the entry (and anything queued before it) now.
  Status Append(Entry entry);
  // Queues the entry for the writer thread.
  void Enqueue(Entry entry);
  // Waits until everything queued so far is written.
  Status Flush();
  // Signs the current head if it moved since the last checkpoint.
  Status Checkpoint();

  // Newest first.
  Result<std::vector<StoredEntry>> List(const ListFilter& filter);

  // For /health: the writer's queue and how the last write went.
  struct Health {
    size_t queued = 0;            // entries waiting for the writer thread
    int64_t written = 0;          // entries written (or given up) by the writer
    int64_t failed_writes = 0;    // batches that could not be written, since start
    bool last_write_ok = true;    // true until a write fails; again after one succeeds
    std::string last_error_code;  // the failure's stable code
  };
  Health CheckHealth();

 private:
  Status WriteBatch(std::vector<Entry> batch);
  Status MaybeCheckpoint(bool force);
  Status MaybeCheckpointLocked(bool force);  // write_mu_ held
  void WriterLoop();

  store::Database& db_;
  const Clock& clock_;
  crypto::SigningKey key_;
  AuditOptions options_;
  std::mutex write_mu_;  // one writer at a time in this process

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::condition_variable done_cv_;
  std::deque<Entry> queue_;           // guarded by queue_mu_
  uint64_t enqueued_ = 0;             // guarded by queue_mu_
  uint64_t written_ = 0;              // guarded by queue_mu_
  bool stop_ = false;                 // guarded by queue_mu_
  int64_t failed_writes_ = 0;         // guarded by queue_mu_
  std::string last_error_code_;       // guarded by queue_mu_; empty: the last write was ok
  void RecordWrite(const Status& s);  // takes queue_mu_
  std::thread writer_;
};

struct VerifyReport {
  bool ok = true;
  int64_t entries = 0;
  int64_t checkpoints = 0;
  int64_t head_seq = 0;
  std::optional<int64_t> first_bad_seq;  // the first entry that fails
  std::string first_bad_id;
  std::string problem;  // stable code: entry_altered, entry_missing, chain_broken,
                        // entries_truncated, checkpoint_signature_invalid,
                        // checkpoint_mismatch, checkpoint_key_unknown
  std::string detail;   // a sentence for the operator
};

// Walks the whole chain. `key` verifies the checkpoints' signatures.
Result<VerifyReport> VerifyAuditTrail(store::Database& db, const crypto::SigningKey& key);

}  // namespace hcms::audit
