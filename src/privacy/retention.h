// Legal retention: how long each category of document must be kept, and the job
// that anonymises or deletes what is past its period.
//
// Default matrix (per tenant overrides in retention_rules; e.g. a practice that
// also follows HIPAA sets 6 years on billing, 45 CFR 164.316(b)(2)):
//   medical_record, exam_result  20 years, then anonymise  (Lei 13.787/2018 art. 6;
//                                                           Res. CFM 1.821/2007 art. 8)
//   billing                       5 years, then anonymise  (CTN arts. 173-174)
//   appointment                   5 years, then delete     (CDC art. 27)
//   contact_message               2 years, then delete     (practice policy)
//   newsletter, comment           0: no legal hold; kept while the purpose lasts and
//                                 removed on request (LGPD arts. 15-16)
// A deletion request cannot remove a document inside its period: the answer says
// what was kept, until when and why (LGPD art. 16 I).

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "privacy/events.h"
#include "privacy/subjects.h"
#include "store/database.h"

namespace hcms::privacy {

enum class RetentionAction { kAnonymize, kDelete };
std::string_view RetentionActionName(RetentionAction a);  // "anonymize" | "delete"

struct RetentionRule {
  DocumentCategory category = DocumentCategory::kMedicalRecord;
  int years = 0;  // 0: no legal hold
  RetentionAction action = RetentionAction::kDelete;
  std::string legal_reference;
};

const std::vector<RetentionRule>& DefaultRetentionMatrix();

// The end of the legal hold of a document created at `created_at`; nullopt when the
// rule has none (years == 0).
std::optional<TimePoint> RetainedUntil(const RetentionRule& rule, TimePoint created_at);

class RetentionPolicy {
 public:
  explicit RetentionPolicy(store::Database& db) : db_(db) {}
  // The tenant's matrix: defaults overridden by its retention_rules rows.
  Result<std::vector<RetentionRule>> Matrix(int64_t tenant_id);
  Result<RetentionRule> RuleFor(int64_t tenant_id, DocumentCategory category);
  // kInvalidArgument "validation_failed" (years 0-100, reference required).
  Status SetRule(int64_t tenant_id, const RetentionRule& rule);

 private:
  store::Database& db_;
};

struct RetentionItem {
  std::string document_id;
  std::string subject_id;
  DocumentCategory category;
  RetentionAction action;
  std::string created_at;
  std::string retained_until;
  std::string legal_reference;
};

struct RetentionReport {
  bool dry_run = true;
  std::string ran_at;
  std::vector<RetentionItem> items;  // what was (or, dry run, would be) done
  int anonymized = 0;
  int deleted = 0;
};
nlohmann::json RetentionReportToJson(const RetentionReport& r);

// Finds documents past their period and anonymises (lgpd::Anonymize with the
// recommended operators) or deletes them. A dry run changes nothing and records no
// event. Thread-safe; run it from one scheduler at a time.
class RetentionJob {
 public:
  RetentionJob(store::Database& db, const Clock& clock, SubjectRepository& subjects,
               RetentionPolicy& policy, EventLog& events)
      : db_(db), clock_(clock), subjects_(subjects), policy_(policy), events_(events) {}
  Result<RetentionReport> Run(int64_t tenant_id, bool dry_run);

 private:
  store::Database& db_;
  const Clock& clock_;
  SubjectRepository& subjects_;
  RetentionPolicy& policy_;
  EventLog& events_;
};

// The anonymised form of a document's text (personal data replaced by type tags).
Result<std::string> AnonymizedContent(std::string_view content);

}  // namespace hcms::privacy
