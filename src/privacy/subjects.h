// Data subjects (titulares, LGPD art. 5 V): patients, readers and newsletter
// contacts of a practice, and the documents the practice holds about them.
//
// Personal fields are nullable so that anonymisation can clear them while the row
// (and its UUIDv7 id, referenced by consents, requests and audit rows) stays.
// Every call takes the tenant id and puts it in every WHERE. Thread-safe.

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "store/database.h"

namespace hcms::privacy {

enum class SubjectKind { kPatient, kReader, kNewsletterContact };
std::string_view SubjectKindName(SubjectKind k);  // "patient", "reader", "newsletter_contact"
std::optional<SubjectKind> ParseSubjectKind(std::string_view s);

struct DataSubject {
  std::string id;  // UUIDv7
  int64_t tenant_id = 0;
  SubjectKind kind = SubjectKind::kPatient;
  std::optional<std::string> full_name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> cpf;         // digits only
  std::optional<std::string> birth_date;  // YYYY-MM-DD
  std::string status = "active";          // active | anonymized | erased
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> anonymized_at;
};

struct NewDataSubject {
  SubjectKind kind = SubjectKind::kPatient;
  std::optional<std::string> full_name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> cpf;
  std::optional<std::string> birth_date;
};

// Rectifiable fields ("full_name", "email", "phone", "cpf", "birth_date") -> new value.
using SubjectChanges = std::vector<std::pair<std::string, std::string>>;

// kInvalidArgument "validation_failed" with field errors (CPF check digits, e-mail
// shape, date format, unknown field).
Status ValidateSubject(const NewDataSubject& s);
Status ValidateChanges(const SubjectChanges& changes);

enum class DocumentCategory {
  kMedicalRecord,
  kExamResult,
  kAppointment,
  kBilling,
  kNewsletter,
  kContactMessage,
  kComment,
};
std::string_view DocumentCategoryName(DocumentCategory c);
std::optional<DocumentCategory> ParseDocumentCategory(std::string_view s);
const std::vector<DocumentCategory>& AllDocumentCategories();

struct SubjectDocument {
  std::string id;
  int64_t tenant_id = 0;
  std::string subject_id;
  DocumentCategory category = DocumentCategory::kMedicalRecord;
  std::string title;
  std::string content;
  std::string content_type = "text/plain";
  std::string created_at;
  std::optional<std::string> anonymized_at;
};

class SubjectRepository {
 public:
  SubjectRepository(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<DataSubject> Create(int64_t tenant_id, const NewDataSubject& s);
  // kNotFound "subject_not_found".
  Result<DataSubject> Find(int64_t tenant_id, std::string_view id);
  Result<std::vector<DataSubject>> FindByEmail(int64_t tenant_id, std::string_view email);
  Result<DataSubject> ApplyChanges(int64_t tenant_id, std::string_view id,
                                   const SubjectChanges& changes);
  // Clears every personal field; status "anonymized" (documents retained) or "erased".
  Status Anonymize(int64_t tenant_id, std::string_view id, bool erased);

  // Documents. `created_at` empty = now (imports pass the original date).
  Result<SubjectDocument> AddDocument(int64_t tenant_id, std::string_view subject_id,
                                      DocumentCategory category, std::string_view title,
                                      std::string_view content, std::string_view created_at = {});
  Result<std::vector<SubjectDocument>> Documents(int64_t tenant_id, std::string_view subject_id);
  // Documents of `category` created before `cutoff` and not yet anonymised.
  Result<std::vector<SubjectDocument>> DocumentsBefore(int64_t tenant_id, DocumentCategory category,
                                                       std::string_view cutoff);
  Status DeleteDocument(int64_t tenant_id, std::string_view id);
  // Replaces the content with its anonymised form (lgpd::Anonymize) and stamps it.
  Status AnonymizeDocument(int64_t tenant_id, std::string_view id, std::string_view content);

 private:
  store::Database& db_;
  const Clock& clock_;
};

}  // namespace hcms::privacy
