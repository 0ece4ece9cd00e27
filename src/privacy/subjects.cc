#include "privacy/subjects.h"

#include <array>

#include "core/random.h"
#include "lgpd/validators.h"

namespace hcms::privacy {

namespace {

// One statement per rectifiable field (never SQL built from input).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kUpdateField = {{
    {"full_name",
     "UPDATE data_subjects SET full_name = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
     "AND status = 'active'"},
    {"email",
     "UPDATE data_subjects SET email = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
     "AND status = 'active'"},
    {"phone",
     "UPDATE data_subjects SET phone = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
     "AND status = 'active'"},
    {"cpf",
     "UPDATE data_subjects SET cpf = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
     "AND status = 'active'"},
    {"birth_date",
     "UPDATE data_subjects SET birth_date = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 "
     "AND status = 'active'"},
}};
constexpr std::string_view kInsertSubject =
    "INSERT INTO data_subjects (id, tenant_id, kind, full_name, email, phone, cpf, birth_date, "
    "status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)";
constexpr std::string_view kSelectSubject =
    "SELECT id, tenant_id, kind, full_name, email, phone, cpf, birth_date, status, created_at, "
    "updated_at, anonymized_at FROM data_subjects WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kSelectByEmail =
    "SELECT id, tenant_id, kind, full_name, email, phone, cpf, birth_date, status, created_at, "
    "updated_at, anonymized_at FROM data_subjects WHERE tenant_id = $1 AND email = $2 ORDER BY id";
constexpr std::string_view kAnonymizeSubject =
    "UPDATE data_subjects SET full_name = NULL, email = NULL, phone = NULL, cpf = NULL, "
    "birth_date = NULL, status = $3, anonymized_at = $4, updated_at = $4 "
    "WHERE tenant_id = $1 AND id = $2";
// Inserts only when the subject belongs to the tenant (the composite foreign key
// enforces the same in the schema).
constexpr std::string_view kInsertDocument =
    "INSERT INTO subject_documents (id, tenant_id, subject_id, category, title, content, "
    "content_type, created_at) SELECT $1, tenant_id, id, $4, $5, $6, 'text/plain', $7 "
    "FROM data_subjects WHERE tenant_id = $2 AND id = $3";
constexpr std::string_view kSelectDocuments =
    "SELECT id, tenant_id, subject_id, category, title, content, content_type, created_at, "
    "anonymized_at FROM subject_documents WHERE tenant_id = $1 AND subject_id = $2 "
    "ORDER BY created_at, id";
constexpr std::string_view kSelectDocumentsBefore =
    "SELECT id, tenant_id, subject_id, category, title, content, content_type, created_at, "
    "anonymized_at FROM subject_documents WHERE tenant_id = $1 AND category = $2 "
    "AND created_at < $3 AND anonymized_at IS NULL ORDER BY created_at, id";
constexpr std::string_view kDeleteDocument =
    "DELETE FROM subject_documents WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kAnonymizeDocument =
    "UPDATE subject_documents SET content = $3, title = '[anonimizado]', anonymized_at = $4 "
    "WHERE tenant_id = $1 AND id = $2";

constexpr std::array<std::string_view, 3> kKindNames = {"patient", "reader", "newsletter_contact"};
constexpr std::array<std::string_view, 7> kCategoryNames = {
    "medical_record", "exam_result",     "appointment", "billing",
    "newsletter",     "contact_message", "comment"};

DataSubject SubjectFromRow(const store::Row& r) {
  DataSubject s;
  s.id = r.Text("id");
  s.tenant_id = r.Int("tenant_id");
  s.kind = ParseSubjectKind(r.Text("kind")).value_or(SubjectKind::kPatient);
  s.full_name = r.OptText("full_name");
  s.email = r.OptText("email");
  s.phone = r.OptText("phone");
  s.cpf = r.OptText("cpf");
  s.birth_date = r.OptText("birth_date");
  s.status = r.Text("status");
  s.created_at = r.Text("created_at");
  s.updated_at = r.Text("updated_at");
  s.anonymized_at = r.OptText("anonymized_at");
  return s;
}

SubjectDocument DocumentFromRow(const store::Row& r) {
  SubjectDocument d;
  d.id = r.Text("id");
  d.tenant_id = r.Int("tenant_id");
  d.subject_id = r.Text("subject_id");
  d.category = ParseDocumentCategory(r.Text("category")).value_or(DocumentCategory::kComment);
  d.title = r.Text("title");
  d.content = r.Text("content");
  d.content_type = r.Text("content_type");
  d.created_at = r.Text("created_at");
  d.anonymized_at = r.OptText("anonymized_at");
  return d;
}

bool LooksLikeEmail(std::string_view e) {
  const size_t at = e.find('@');
  return at != std::string_view::npos && at > 0 && e.find('.', at) != std::string_view::npos &&
         e.size() <= 254 && e.find(' ') == std::string_view::npos;
}

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return lgpd::PlausibleDate(std::stoi(std::string(d.substr(8, 2))),
                             std::stoi(std::string(d.substr(5, 2))),
                             std::stoi(std::string(d.substr(0, 4))));
}

void CheckField(Error& e, std::string_view field, std::string_view value) {
  if (field == "full_name") {
    if (value.empty() || value.size() > 200) e.WithField("full_name", "invalid_length");
  } else if (field == "email") {
    if (!LooksLikeEmail(value)) e.WithField("email", "invalid_format");
  } else if (field == "phone") {
    if (!lgpd::BrPhoneKind(value)) e.WithField("phone", "invalid_format");
  } else if (field == "cpf") {
    if (!lgpd::CpfValid(value)) e.WithField("cpf", "invalid_check_digits");
  } else if (field == "birth_date") {
    if (!IsIsoDate(value)) e.WithField("birth_date", "invalid_format", "AAAA-MM-DD");
  } else {
    e.WithField(std::string(field), "not_rectifiable");
  }
}

}  // namespace

std::string_view SubjectKindName(SubjectKind k) { return kKindNames[static_cast<size_t>(k)]; }

std::optional<SubjectKind> ParseSubjectKind(std::string_view s) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == s) return static_cast<SubjectKind>(i);
  }
  return std::nullopt;
}

std::string_view DocumentCategoryName(DocumentCategory c) {
  return kCategoryNames[static_cast<size_t>(c)];
}

std::optional<DocumentCategory> ParseDocumentCategory(std::string_view s) {
  for (size_t i = 0; i < kCategoryNames.size(); ++i) {
    if (kCategoryNames[i] == s) return static_cast<DocumentCategory>(i);
  }
  return std::nullopt;
}

const std::vector<DocumentCategory>& AllDocumentCategories() {
  static const std::vector<DocumentCategory> all = [] {
    std::vector<DocumentCategory> v;
    for (size_t i = 0; i < kCategoryNames.size(); ++i)
      v.push_back(static_cast<DocumentCategory>(i));
    return v;
  }();
  return all;
}

Status ValidateSubject(const NewDataSubject& s) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Dados do titular inválidos.");
  if (s.full_name) CheckField(e, "full_name", *s.full_name);
  if (s.email) CheckField(e, "email", *s.email);
  if (s.phone) CheckField(e, "phone", *s.phone);
  if (s.cpf) CheckField(e, "cpf", *s.cpf);
  if (s.birth_date) CheckField(e, "birth_date", *s.birth_date);
  if (!s.full_name && !s.email && !s.cpf) e.WithField("full_name", "required");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return Ok();
}

Status ValidateChanges(const SubjectChanges& changes) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Retificação inválida.");
  if (changes.empty()) e.WithField("changes", "required");
  for (const auto& [field, value] : changes) CheckField(e, field, value);
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return Ok();
}

Result<DataSubject> SubjectRepository::Create(int64_t tenant_id, const NewDataSubject& s) {
  HCMS_CHECK(ValidateSubject(s));
  const TimePoint now = clock_.Now();
  const std::string id = NewUuidV7(now);
  std::optional<std::string> cpf;
  if (s.cpf) cpf = lgpd::DigitsOf(*s.cpf);
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kInsertSubject, {id, tenant_id, SubjectKindName(s.kind), s.full_name, s.email,
                                      s.phone, cpf, s.birth_date, FormatTimestamp(now)});
  }));
  (void)n;
  return Find(tenant_id, id);
}

Result<DataSubject> SubjectRepository::Find(int64_t tenant_id, std::string_view id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kSelectSubject, {tenant_id, id});
  }));
  if (!row) return NotFound("subject_not_found", "Titular não encontrado.");
  return SubjectFromRow(*row);
}

Result<std::vector<DataSubject>> SubjectRepository::FindByEmail(int64_t tenant_id,
                                                                std::string_view email) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kSelectByEmail, {tenant_id, email});
  }));
  std::vector<DataSubject> out;
  for (const auto& r : rows) out.push_back(SubjectFromRow(r));
  return out;
}

Result<DataSubject> SubjectRepository::ApplyChanges(int64_t tenant_id, std::string_view id,
                                                    const SubjectChanges& changes) {
  HCMS_CHECK(ValidateChanges(changes));
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(auto done, db_.Transact([&](store::Connection& c) -> Result<bool> {
    for (const auto& [field, value] : changes) {
      std::string_view sql;
      for (const auto& [name, stmt] : kUpdateField) {
        if (name == field) sql = stmt;
      }
      const std::string stored = field == "cpf" ? lgpd::DigitsOf(value) : value;
      HCMS_TRY(auto n, c.Execute(sql, {tenant_id, id, stored, now}));
      if (n == 0) return NotFound("subject_not_found", "Titular não encontrado.");
    }
    return true;
  }));
  (void)done;
  return Find(tenant_id, id);
}

Status SubjectRepository::Anonymize(int64_t tenant_id, std::string_view id, bool erased) {
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kAnonymizeSubject, {tenant_id, id, erased ? "erased" : "anonymized", now});
  }));
  if (n == 0) return NotFound("subject_not_found", "Titular não encontrado.");
  return Ok();
}

Result<SubjectDocument> SubjectRepository::AddDocument(
    int64_t tenant_id, std::string_view subject_id, DocumentCategory category,
    std::string_view title, std::string_view content, std::string_view created_at) {
  const TimePoint now = clock_.Now();
  SubjectDocument d;
  d.id = NewUuidV7(now);
  d.tenant_id = tenant_id;
  d.subject_id = subject_id;
  d.category = category;
  d.title = title;
  d.content = content;
  d.created_at = created_at.empty() ? FormatTimestamp(now) : std::string(created_at);
  auto n = db_.Run([&](store::Connection& c) {
    return c.Execute(kInsertDocument, {d.id, tenant_id, subject_id, DocumentCategoryName(category),
                                       title, content, d.created_at});
  });
  if (!n) return std::unexpected(std::move(n).error());
  if (*n == 0) return NotFound("subject_not_found", "Titular não encontrado.");
  return d;
}

Result<std::vector<SubjectDocument>> SubjectRepository::Documents(int64_t tenant_id,
                                                                  std::string_view subject_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kSelectDocuments, {tenant_id, subject_id});
  }));
  std::vector<SubjectDocument> out;
  for (const auto& r : rows) out.push_back(DocumentFromRow(r));
  return out;
}

Result<std::vector<SubjectDocument>> SubjectRepository::DocumentsBefore(int64_t tenant_id,
                                                                        DocumentCategory category,
                                                                        std::string_view cutoff) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kSelectDocumentsBefore, {tenant_id, DocumentCategoryName(category), cutoff});
  }));
  std::vector<SubjectDocument> out;
  for (const auto& r : rows) out.push_back(DocumentFromRow(r));
  return out;
}

Status SubjectRepository::DeleteDocument(int64_t tenant_id, std::string_view id) {
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kDeleteDocument, {tenant_id, id});
  }));
  (void)n;
  return Ok();
}

Status SubjectRepository::AnonymizeDocument(int64_t tenant_id, std::string_view id,
                                            std::string_view content) {
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(auto n, db_.Run([&](store::Connection& c) {
    return c.Execute(kAnonymizeDocument, {tenant_id, id, content, now});
  }));
  (void)n;
  return Ok();
}

}  // namespace hcms::privacy
