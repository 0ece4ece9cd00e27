// Data-subject requests (LGPD art. 18-19): access, portability, rectification and
// deletion, each answered within 15 days (art. 19 II) and every step recorded as a
// privacy event.
//
// States: received -> in_review -> completed | rejected. Access and portability can
// be answered straight from "received" (Export); rectification needs a reviewer's
// approval (ApproveRectification applies the validated changes); deletion removes or
// anonymises what no legal retention holds and says what was kept, until when and
// why (ExecuteDeletion).
//
//   HCMS_TRY(auto r, dsr.Open(tenant, subject_id, DsrKind::kAccess, "web"));
//   HCMS_TRY(nlohmann::json bundle, dsr.Export(tenant, r.id, ExportFormat::kFhir, staff_id));

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/error.h"
#include "privacy/consents.h"
#include "privacy/events.h"
#include "privacy/retention.h"
#include "privacy/subjects.h"
#include "store/database.h"

namespace hcms::privacy {

enum class DsrKind { kAccess, kPortability, kRectification, kDeletion };
std::string_view DsrKindName(DsrKind k);  // "access", "portability", "rectification", "deletion"
std::optional<DsrKind> ParseDsrKind(std::string_view s);

enum class DsrStatus { kReceived, kInReview, kCompleted, kRejected };
std::string_view DsrStatusName(DsrStatus s);
std::optional<DsrStatus> ParseDsrStatus(std::string_view s);

inline constexpr int kDsrDeadlineDays = 15;

struct DsrRequest {
  std::string id;
  int64_t tenant_id = 0;
  std::string subject_id;
  DsrKind kind = DsrKind::kAccess;
  DsrStatus status = DsrStatus::kReceived;
  std::string channel;
  SubjectChanges changes;  // rectification only
  nlohmann::json outcome;  // deletion: what was removed and what was kept, and why
  std::optional<std::string> reason_code;
  std::optional<int64_t> reviewer_id;
  std::string received_at;
  std::string due_at;  // received_at + 15 days
  std::optional<std::string> completed_at;

  bool open() const { return status == DsrStatus::kReceived || status == DsrStatus::kInReview; }
};
nlohmann::json DsrRequestToJson(const DsrRequest& r);

enum class ExportFormat { kJson, kFhir };

// Stable reasons for rejecting a request.
bool IsRejectionReason(std::string_view code);  // "identity_not_verified",
                                                // "invalid_changes", "duplicate", "other"

class DsrService {
 public:
  DsrService(store::Database& db, const Clock& clock, SubjectRepository& subjects,
             ConsentService& consents, RetentionPolicy& retention, EventLog& events)
      : db_(db),
        clock_(clock),
        subjects_(subjects),
        consents_(consents),
        retention_(retention),
        events_(events) {}

  // kNotFound "subject_not_found"; kInvalidArgument "validation_failed" (rectification
  // changes, channel).
  Result<DsrRequest> Open(int64_t tenant_id, std::string_view subject_id, DsrKind kind,
                          std::string_view channel, const SubjectChanges& changes = {},
                          std::optional<int64_t> actor_id = std::nullopt);
  // kNotFound "request_not_found".
  Result<DsrRequest> Get(int64_t tenant_id, std::string_view id);
  Result<std::vector<DsrRequest>> ListOpen(int64_t tenant_id);
  // Open requests whose due date has passed.
  Result<std::vector<DsrRequest>> ListOverdue(int64_t tenant_id);

  // kFailedPrecondition "request_closed" unless received.
  Result<DsrRequest> StartReview(int64_t tenant_id, std::string_view id, int64_t reviewer_id);

  // Access/portability: the export, and the request completed.
  // kFailedPrecondition "wrong_request_kind" / "request_closed".
  Result<nlohmann::json> Export(int64_t tenant_id, std::string_view id, ExportFormat format,
                                int64_t reviewer_id);

  // Rectification: applies the changes (re-validated), completes the request.
  // kFailedPrecondition "review_required" when not in review.
  Result<DsrRequest> ApproveRectification(int64_t tenant_id, std::string_view id,
                                          int64_t reviewer_id);

  // kInvalidArgument "validation_failed" for an unknown reason code.
  Result<DsrRequest> Reject(int64_t tenant_id, std::string_view id, int64_t reviewer_id,
                            std::string_view reason_code);

  // Deletion: documents past (or without) a legal hold are deleted, those whose rule
  // says anonymise are anonymised, the rest are kept; the subject's personal fields
  // are cleared ("erased" when nothing is kept, else "anonymized"). Consent records
  // stay as proof (LGPD art. 8 §2). The outcome is stored on the request.
  Result<DsrRequest> ExecuteDeletion(int64_t tenant_id, std::string_view id, int64_t reviewer_id);

 private:
  Result<DsrRequest> Transition(int64_t tenant_id, std::string_view id, DsrStatus to,
                                int64_t reviewer_id, const nlohmann::json& outcome,
                                std::optional<std::string> reason, std::string_view event,
                                const nlohmann::json& detail);
  store::Database& db_;
  const Clock& clock_;
  SubjectRepository& subjects_;
  ConsentService& consents_;
  RetentionPolicy& retention_;
  EventLog& events_;
};

// The JSON export (format "hcms-dsr-export/1"): subject, consents, documents, requests.
nlohmann::json JsonExport(const DataSubject& subject, const std::vector<Consent>& consents,
                          const std::vector<SubjectDocument>& documents,
                          const std::vector<DsrRequest>& requests, std::string_view generated_at);

}  // namespace hcms::privacy
