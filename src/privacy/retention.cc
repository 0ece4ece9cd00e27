#include "privacy/retention.h"

#include "lgpd/anonymizer.h"

namespace hcms::privacy {

namespace {

constexpr std::string_view kRules =
    "SELECT category, years, action, legal_reference FROM retention_rules WHERE tenant_id = $1";
constexpr std::string_view kDeleteRule =
    "DELETE FROM retention_rules WHERE tenant_id = $1 AND category = $2";
constexpr std::string_view kInsertRule =
    "INSERT INTO retention_rules (tenant_id, category, years, action, legal_reference) "
    "VALUES ($1, $2, $3, $4, $5)";

}  // namespace

std::string_view RetentionActionName(RetentionAction a) {
  return a == RetentionAction::kAnonymize ? "anonymize" : "delete";
}

const std::vector<RetentionRule>& DefaultRetentionMatrix() {
  static const std::vector<RetentionRule> matrix = {
      {DocumentCategory::kMedicalRecord, 20, RetentionAction::kAnonymize,
       "Lei 13.787/2018 art. 6; Res. CFM 1.821/2007 art. 8 (prontuário: 20 anos)"},
      {DocumentCategory::kExamResult, 20, RetentionAction::kAnonymize,
       "Lei 13.787/2018 art. 6; Res. CFM 1.821/2007 art. 8 (prontuário: 20 anos)"},
      {DocumentCategory::kAppointment, 5, RetentionAction::kDelete,
       "Código de Defesa do Consumidor art. 27 (5 anos)"},
      {DocumentCategory::kBilling, 5, RetentionAction::kAnonymize,
       "Código Tributário Nacional arts. 173-174 (5 anos)"},
      {DocumentCategory::kNewsletter, 0, RetentionAction::kDelete,
       "LGPD arts. 15 e 16 (fim da finalidade ou revogação do consentimento)"},
      {DocumentCategory::kContactMessage, 2, RetentionAction::kDelete,
       "Política de retenção da clínica (2 anos)"},
      {DocumentCategory::kComment, 0, RetentionAction::kDelete, "LGPD arts. 15 e 16"},
  };
  return matrix;
}

std::optional<TimePoint> RetainedUntil(const RetentionRule& rule, TimePoint created_at) {
  if (rule.years <= 0) return std::nullopt;
  return created_at +
         std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::years(rule.years));
}

Result<std::vector<RetentionRule>> RetentionPolicy::Matrix(int64_t tenant_id) {
  std::vector<RetentionRule> matrix = DefaultRetentionMatrix();
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) { return c.Query(kRules, {tenant_id}); }));
  for (const auto& r : rows) {
    auto cat = ParseDocumentCategory(r.Text("category"));
    if (!cat) continue;
    for (RetentionRule& rule : matrix) {
      if (rule.category != *cat) continue;
      rule.years = static_cast<int>(r.Int("years"));
      rule.action =
          r.Text("action") == "anonymize" ? RetentionAction::kAnonymize : RetentionAction::kDelete;
      rule.legal_reference = r.Text("legal_reference");
    }
  }
  return matrix;
}

Result<RetentionRule> RetentionPolicy::RuleFor(int64_t tenant_id, DocumentCategory category) {
  HCMS_TRY(auto matrix, Matrix(tenant_id));
  for (const RetentionRule& r : matrix) {
    if (r.category == category) return r;
  }
  return Internal("category without retention rule");
}

Status RetentionPolicy::SetRule(int64_t tenant_id, const RetentionRule& rule) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Regra de retenção inválida.");
  if (rule.years < 0 || rule.years > 100) e.WithField("years", "out_of_range", "0 a 100");
  if (rule.legal_reference.empty() || rule.legal_reference.size() > 300)
    e.WithField("legal_reference", "required");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  HCMS_TRY(auto done, db_.Transact([&](store::Connection& c) -> Result<bool> {
    HCMS_TRY(auto a, c.Execute(kDeleteRule, {tenant_id, DocumentCategoryName(rule.category)}));
    (void)a;
    HCMS_TRY(auto b,
             c.Execute(kInsertRule, {tenant_id, DocumentCategoryName(rule.category), rule.years,
                                     RetentionActionName(rule.action), rule.legal_reference}));
    (void)b;
    return true;
  }));
  (void)done;
  return Ok();
}

Result<std::string> AnonymizedContent(std::string_view content) {
  HCMS_TRY(lgpd::Analysis a, lgpd::Analyze(content));
  HCMS_TRY(lgpd::Anonymized out, lgpd::Anonymize(content, a.detections, {}));
  return std::move(out.text);
}

nlohmann::json RetentionReportToJson(const RetentionReport& r) {
  nlohmann::json items = nlohmann::json::array();
  for (const RetentionItem& i : r.items) {
    items.push_back({{"document_id", i.document_id},
                     {"subject_id", i.subject_id},
                     {"category", DocumentCategoryName(i.category)},
                     {"action", RetentionActionName(i.action)},
                     {"created_at", i.created_at},
                     {"retained_until", i.retained_until},
                     {"legal_reference", i.legal_reference}});
  }
  return {{"dry_run", r.dry_run},
          {"ran_at", r.ran_at},
          {"anonymized", r.anonymized},
          {"deleted", r.deleted},
          {"items", std::move(items)}};
}

Result<RetentionReport> RetentionJob::Run(int64_t tenant_id, bool dry_run) {
  const TimePoint now = clock_.Now();
  RetentionReport report;
  report.dry_run = dry_run;
  report.ran_at = FormatTimestamp(now);
  HCMS_TRY(auto matrix, policy_.Matrix(tenant_id));
  for (const RetentionRule& rule : matrix) {
    if (rule.years <= 0) continue;  // no time-based period: removed on request
    const TimePoint cutoff =
        now - std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::years(rule.years));
    HCMS_TRY(auto docs,
             subjects_.DocumentsBefore(tenant_id, rule.category, FormatTimestamp(cutoff)));
    for (const SubjectDocument& d : docs) {
      HCMS_TRY(TimePoint created, ParseTimestamp(d.created_at));
      report.items.push_back({d.id, d.subject_id, d.category, rule.action, d.created_at,
                              FormatTimestamp(*RetainedUntil(rule, created)),
                              rule.legal_reference});
      if (rule.action == RetentionAction::kAnonymize) {
        ++report.anonymized;
      } else {
        ++report.deleted;
      }
      if (dry_run) continue;
      if (rule.action == RetentionAction::kAnonymize) {
        HCMS_TRY(std::string text, AnonymizedContent(d.content));
        HCMS_CHECK(subjects_.AnonymizeDocument(tenant_id, d.id, text));
        HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                                   .event = std::string(event::kDocumentAnonymized),
                                   .subject_id = d.subject_id,
                                   .detail = {{"document_id", d.id}, {"reason", "retention"}}}));
      } else {
        HCMS_CHECK(subjects_.DeleteDocument(tenant_id, d.id));
        HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                                   .event = std::string(event::kDocumentDeleted),
                                   .subject_id = d.subject_id,
                                   .detail = {{"document_id", d.id}, {"reason", "retention"}}}));
      }
    }
  }
  if (!dry_run) {
    HCMS_CHECK(events_.Record(
        {.tenant_id = tenant_id,
         .event = std::string(event::kRetentionRun),
         .detail = {{"anonymized", report.anonymized}, {"deleted", report.deleted}}}));
  }
  return report;
}

}  // namespace hcms::privacy
