#include "audit/audit_log.h"

#include <fmt/format.h>

#include "core/log.h"
#include "core/random.h"
#include "crypto/sha256.h"

namespace hcms::audit {

namespace {

constexpr std::string_view kZeroHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

constexpr std::string_view kHeadForUpdate =
    "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
constexpr std::string_view kHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
constexpr std::string_view kSetHead = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
constexpr std::string_view kInsert =
    "INSERT INTO audit_log (seq, id, at, tenant_id, actor_user_id, action, resource, decision, "
    "trust_score, ip_anon, request_id, details, prev_hash, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";
constexpr std::string_view kInsertCheckpoint =
    "INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES ($1, $2, $3, $4, $5)";
constexpr std::string_view kColumns =
    "seq, id, at, tenant_id, actor_user_id, action, resource, decision, trust_score, ip_anon, "
    "request_id, details, prev_hash, hash";

StoredEntry FromRow(const store::Row& r) {
  StoredEntry e;
  e.seq = r.Int("seq");
  e.id = r.Text("id");
  e.at = r.Text("at");
  e.entry.tenant_id = r.OptInt("tenant_id");
  e.entry.actor_user_id = r.OptInt("actor_user_id");
  e.entry.action = r.Text("action");
  e.entry.resource = r.Text("resource");
  e.entry.decision = r.Text("decision");
  if (auto t = r.OptInt("trust_score")) e.entry.trust_score = static_cast<int>(*t);
  e.entry.ip_anon = r.Text("ip_anon");
  e.entry.request_id = r.Text("request_id");
  e.entry.details = nlohmann::json::parse(r.Text("details"), nullptr, false);
  e.prev_hash = r.Text("prev_hash");
  e.hash = r.Text("hash");
  return e;
}

nlohmann::json Nullable(const std::optional<int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string CanonicalContent(const StoredEntry& e) {
  const nlohmann::json a = nlohmann::json::array(
      {e.seq, e.id, e.at, Nullable(e.entry.tenant_id), Nullable(e.entry.actor_user_id),
       e.entry.action, e.entry.resource, e.entry.decision,
       e.entry.trust_score ? nlohmann::json(*e.entry.trust_score) : nlohmann::json(nullptr),
       e.entry.ip_anon, e.entry.request_id,
       e.entry.details.is_discarded() ? std::string("<invalid>") : e.entry.details.dump()});
  return a.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

std::string ChainHash(std::string_view prev_hash, std::string_view canonical) {
  crypto::Sha256Hasher h;
  h.Update(prev_hash);
  h.Update("\n");
  h.Update(canonical);
  const auto d = h.Finish();
  return HexEncode(d);
}

std::string CheckpointMessage(int64_t seq, std::string_view hash) {
  return fmt::format("hcms-audit-checkpoint\n{}\n{}", seq, hash);
}

AuditLog::AuditLog(store::Database& db, const Clock& clock, crypto::SigningKey key,
                   AuditOptions options)
    : db_(db), clock_(clock), key_(std::move(key)), options_(options) {
  writer_ = std::thread([this] { WriterLoop(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(queue_mu_);
    stop_ = true;
  }
  queue_cv_.notify_all();
  writer_.join();
}

// GCC 12 reports a false -Wstringop-overflow inside std::string copies once the
// lambda below is inlined (a known GCC 12 bug with std::string and -O2).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wrestrict"
Status AuditLog::WriteBatch(std::vector<Entry> batch) {
  if (batch.empty()) return Ok();
  std::lock_guard write_lock(write_mu_);
  const std::string at = FormatTimestamp(clock_.Now());
  HCMS_CHECK(db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(auto head,
             c.QueryOne(c.dialect() == store::Dialect::kPostgres ? kHeadForUpdate : kHead));
    if (!head) return Internal("audit_head row missing");
    int64_t seq = head->Int("seq");
    std::string prev = head->Text("hash");
    for (auto& entry : batch) {
      StoredEntry e;
      e.seq = ++seq;
      e.id = NewUuidV7(clock_.Now());
      e.at = at;
      e.entry = std::move(entry);
      if (!e.entry.details.is_object()) e.entry.details = nlohmann::json::object();
      if (e.entry.ip_anon.empty()) e.entry.ip_anon = "-";
      e.prev_hash = prev;
      e.hash = ChainHash(prev, CanonicalContent(e));
      std::optional<int64_t> trust;
      if (e.entry.trust_score) trust = *e.entry.trust_score;
      HCMS_TRY(auto r,
               c.Query(kInsert,
                       {e.seq, e.id, e.at, e.entry.tenant_id, e.entry.actor_user_id, e.entry.action,
                        e.entry.resource, e.entry.decision, trust, e.entry.ip_anon,
                        e.entry.request_id, e.entry.details.dump(), e.prev_hash, e.hash}));
      (void)r;
      prev = e.hash;
    }
    HCMS_TRY(auto n, c.Execute(kSetHead, {seq, prev}));
    (void)n;
    return Ok();
  }));
  return MaybeCheckpointLocked(false);
}
#pragma GCC diagnostic pop

Status AuditLog::MaybeCheckpoint(bool force) {
  std::lock_guard write_lock(write_mu_);
  return MaybeCheckpointLocked(force);
}

Status AuditLog::MaybeCheckpointLocked(bool force) {
  return db_.Transact([&](store::Connection& c) -> Status {
    HCMS_TRY(auto last, c.QueryOne("SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC "
                                   "LIMIT 1"));
    const int64_t last_seq = last ? last->Int("seq") : 0;
    HCMS_TRY(auto head, c.QueryOne(kHead));
    if (!head) return Internal("audit_head row missing");
    const int64_t seq = head->Int("seq");
    if (seq == 0 || seq == last_seq) return Ok();
    if (!force && seq - last_seq < options_.checkpoint_every) return Ok();
    // Never sign what does not verify: the segment since the last checkpoint must
    // link to it and every entry must match its hash.
    std::string prev = last ? last->Text("hash") : std::string(kZeroHash);
    if (last) {
      HCMS_TRY(auto at_cp, c.QueryOne("SELECT hash FROM audit_log WHERE seq = $1", {last_seq}));
      if (!at_cp || at_cp->Text("hash") != prev)
        return Internal("audit chain does not match its last checkpoint; not signing");
    }
    HCMS_TRY(auto rows, c.Query(fmt::format("SELECT {} FROM audit_log WHERE seq > $1 AND seq <= $2 "
                                            "ORDER BY seq",
                                            kColumns),
                                {last_seq, seq}));
    int64_t expected = last_seq + 1;
    for (const auto& r : rows) {
      StoredEntry e = FromRow(r);
      if (e.seq != expected++ || e.prev_hash != prev ||
          ChainHash(prev, CanonicalContent(e)) != e.hash)
        return Internal(fmt::format("audit entry {} does not verify; not signing", e.seq));
      prev = e.hash;
    }
    if (expected != seq + 1 || prev != head->Text("hash"))
      return Internal("audit head does not match the chain; not signing");
    const std::string sig = key_.SignHex(CheckpointMessage(seq, prev));
    if (sig.empty()) return Internal("audit checkpoint signing failed");
    HCMS_TRY(auto n, c.Execute(kInsertCheckpoint,
                               {seq, prev, FormatTimestamp(clock_.Now()), key_.key_id(), sig}));
    (void)n;
    return Ok();
  });
}

Status AuditLog::Checkpoint() {
  HCMS_CHECK(Flush());
  return MaybeCheckpoint(true);
}

Status AuditLog::Append(Entry entry) {
  HCMS_CHECK(Flush());
  std::vector<Entry> one;
  one.push_back(std::move(entry));
  Status s = WriteBatch(std::move(one));
  RecordWrite(s);
  return s;
}

void AuditLog::RecordWrite(const Status& s) {
  std::lock_guard lock(queue_mu_);
  if (s) {
    last_error_code_.clear();
  } else {
    ++failed_writes_;
    last_error_code_ = s.error().code().empty() ? "audit_write_failed" : s.error().code();
  }
}

AuditLog::Health AuditLog::CheckHealth() {
  std::lock_guard lock(queue_mu_);
  return {.queued = queue_.size(),
          .written = static_cast<int64_t>(written_),
          .failed_writes = failed_writes_,
          .last_write_ok = last_error_code_.empty(),
          .last_error_code = last_error_code_};
}

void AuditLog::Enqueue(Entry entry) {
  {
    std::lock_guard lock(queue_mu_);
    queue_.push_back(std::move(entry));
    ++enqueued_;
  }
  queue_cv_.notify_one();
}

Status AuditLog::Flush() {
  std::unique_lock lock(queue_mu_);
  const uint64_t target = enqueued_;
  queue_cv_.notify_one();
  done_cv_.wait(lock, [&] { return written_ >= target; });
  return Ok();
}

void AuditLog::WriterLoop() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait_for(lock, options_.flush_interval, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) {
      if (stop_) return;
      continue;
    }
    std::vector<Entry> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const size_t n = batch.size();
    lock.unlock();
    Status s = WriteBatch(std::move(batch));
    RecordWrite(s);
    if (!s) {
      // The entries are lost; say so loudly (never silently drop audit data).
      log::Error("audit_write_failed", {{"entries", n}, {"error", s.error().ToLogString()}});
    }
    lock.lock();
    written_ += n;
    done_cv_.notify_all();
  }
}

Result<std::vector<StoredEntry>> AuditLog::List(const ListFilter& f) {
  HCMS_CHECK(Flush());
  std::string sql = fmt::format("SELECT {} FROM audit_log WHERE tenant_id = $1", kColumns);
  std::vector<store::Value> params{f.tenant_id};
  auto add = [&](std::string_view clause, store::Value v) {
    params.push_back(std::move(v));
    sql += fmt::format(" AND {} ${}", clause, params.size());
  };
  if (f.action) {
    if (!f.action->empty() && f.action->back() == '*') {
      add("action LIKE", f.action->substr(0, f.action->size() - 1) + "%");
    } else {
      add("action =", *f.action);
    }
  }
  if (f.actor_user_id) add("actor_user_id =", *f.actor_user_id);
  if (f.decision) add("decision =", *f.decision);
  if (f.since) add("at >=", *f.since);
  if (f.until) add("at <", *f.until);
  if (f.before_seq) add("seq <", *f.before_seq);
  sql += fmt::format(" ORDER BY seq DESC LIMIT {}", std::clamp(f.limit, 1, 500));
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(sql, std::span<const store::Value>(params));
  }));
  std::vector<StoredEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<VerifyReport> VerifyAuditTrail(store::Database& db, const crypto::SigningKey& key) {
  VerifyReport report;
  HCMS_TRY(auto conn, db.Acquire());
  auto fail = [&](int64_t seq, std::string id, std::string problem, std::string detail) {
    if (!report.ok) return;
    report.ok = false;
    report.first_bad_seq = seq;
    report.first_bad_id = std::move(id);
    report.problem = std::move(problem);
    report.detail = std::move(detail);
  };
  // Checkpoints first: their signatures, then their hashes during the walk.
  HCMS_TRY(auto cps, conn->Query("SELECT seq, hash, key_id, signature FROM audit_checkpoints "
                                 "ORDER BY seq"));
  std::map<int64_t, std::string> checkpoint_hash;
  std::vector<std::pair<int64_t, std::string>> bad_checkpoints;
  for (const auto& r : cps) {
    const int64_t seq = r.Int("seq");
    const std::string hash = r.Text("hash");
    ++report.checkpoints;
    if (r.Text("key_id") != key.key_id()) {
      bad_checkpoints.emplace_back(seq, "checkpoint_key_unknown");
    } else if (!key.VerifyHex(CheckpointMessage(seq, hash), r.Text("signature"))) {
      bad_checkpoints.emplace_back(seq, "checkpoint_signature_invalid");
    }
    checkpoint_hash[seq] = hash;
  }
  HCMS_TRY(auto head, conn->QueryOne(kHead));
  report.head_seq = head ? head->Int("seq") : 0;

  int64_t expected = 1;
  std::string prev(kZeroHash);
  int64_t after = 0;
  for (;;) {
    HCMS_TRY(auto rows, conn->Query(fmt::format("SELECT {} FROM audit_log WHERE seq > $1 "
                                                "ORDER BY seq LIMIT 2000",
                                                kColumns),
                                    {after}));
    if (rows.empty()) break;
    for (const auto& r : rows) {
      StoredEntry e = FromRow(r);
      after = e.seq;
      ++report.entries;
      if (!report.ok) continue;
      if (e.seq != expected) {
        fail(e.seq, e.id, "entry_missing",
             fmt::format("entries {}..{} are missing before this one", expected, e.seq - 1));
        continue;
      }
      if (e.prev_hash != prev) {
        fail(e.seq, e.id, "chain_broken",
             "prev_hash does not match the previous entry (moved, reordered or replaced)");
        continue;
      }
      if (ChainHash(e.prev_hash, CanonicalContent(e)) != e.hash) {
        fail(e.seq, e.id, "entry_altered", "the content does not match its hash");
        continue;
      }
      if (auto it = checkpoint_hash.find(e.seq);
          it != checkpoint_hash.end() && it->second != e.hash) {
        fail(e.seq, e.id, "checkpoint_mismatch",
             "a signed checkpoint recorded a different hash for this entry");
        continue;
      }
      prev = e.hash;
      ++expected;
    }
  }
  const int64_t last = expected - 1;
  if (report.ok) {
    const int64_t max_cp = checkpoint_hash.empty() ? 0 : checkpoint_hash.rbegin()->first;
    if (report.head_seq > last || max_cp > last) {
      fail(last + 1, "", "entries_truncated",
           fmt::format("the chain ends at {} but {} entries were recorded", last,
                       std::max(report.head_seq, max_cp)));
    } else if (head && report.head_seq == last && head->Text("hash") != prev) {
      fail(last, "", "chain_broken", "the chain head does not match the last entry");
    }
  }
  if (report.ok && !bad_checkpoints.empty()) {
    fail(bad_checkpoints.front().first, "", bad_checkpoints.front().second,
         "a checkpoint's signature does not verify with the configured key");
  }
  return report;
}

}  // namespace hcms::audit
