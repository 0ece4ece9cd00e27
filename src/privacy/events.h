// Privacy events: every step of consent and data-subject-request handling is
// recorded here, in one place, with ids and codes only (never personal data).
//
// Each event is written to privacy_events (the request's history, exported with it)
// and handed to an AuditSink. Until the tamper-evident audit trail of issue #3 is
// wired in (app/), the sink is NullAuditSink; the composition root replaces it with
// an adapter that appends each event to the audit chain.
//
// Event names (stable): subject.created, subject.rectified, subject.anonymized,
// subject.erased, consent.granted, consent.revoked, dsr.received, dsr.review_started,
// dsr.exported, dsr.rectification_approved, dsr.rejected, dsr.deletion_executed,
// dsr.completed, document.deleted, document.anonymized, retention.run.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::privacy {

namespace event {
inline constexpr std::string_view kSubjectCreated = "subject.created";
inline constexpr std::string_view kSubjectRectified = "subject.rectified";
inline constexpr std::string_view kSubjectAnonymized = "subject.anonymized";
inline constexpr std::string_view kSubjectErased = "subject.erased";
inline constexpr std::string_view kConsentGranted = "consent.granted";
inline constexpr std::string_view kConsentRevoked = "consent.revoked";
inline constexpr std::string_view kDsrReceived = "dsr.received";
inline constexpr std::string_view kDsrReviewStarted = "dsr.review_started";
inline constexpr std::string_view kDsrExported = "dsr.exported";
inline constexpr std::string_view kDsrRectificationApproved = "dsr.rectification_approved";
inline constexpr std::string_view kDsrRejected = "dsr.rejected";
inline constexpr std::string_view kDsrDeletionExecuted = "dsr.deletion_executed";
inline constexpr std::string_view kDsrCompleted = "dsr.completed";
inline constexpr std::string_view kDocumentDeleted = "document.deleted";
inline constexpr std::string_view kDocumentAnonymized = "document.anonymized";
inline constexpr std::string_view kRetentionRun = "retention.run";
}  // namespace event

struct PrivacyEvent {
  int64_t tenant_id = 0;
  std::string event;
  std::optional<std::string> subject_id;
  std::optional<std::string> request_id;
  std::optional<int64_t> actor_id;                   // user id; nullopt = the system (jobs)
  nlohmann::json detail = nlohmann::json::object();  // ids, codes, counts only
  std::string at;
};

// Where events go besides privacy_events. Implementations must be thread-safe.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual void Append(const PrivacyEvent& e) = 0;
};

class NullAuditSink final : public AuditSink {
 public:
  void Append(const PrivacyEvent&) override {}
};

class EventLog {
 public:
  EventLog(store::Database& db, const Clock& clock, AuditSink& sink)
      : db_(db), clock_(clock), sink_(sink) {}

  // Records the event (fills `at`) on `conn` when given (inside the caller's
  // transaction), else on a pooled connection; then forwards it to the sink.
  Status Record(PrivacyEvent e, store::Connection* conn = nullptr);
  Result<std::vector<PrivacyEvent>> ForRequest(int64_t tenant_id, std::string_view request_id);
  Result<std::vector<PrivacyEvent>> ForSubject(int64_t tenant_id, std::string_view subject_id);

 private:
  store::Database& db_;
  const Clock& clock_;
  AuditSink& sink_;
};

}  // namespace hcms::privacy
