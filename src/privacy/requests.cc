#include "privacy/requests.h"

#include <array>

#include "core/random.h"
#include "privacy/fhir.h"

namespace hcms::privacy {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO dsr_requests (id, tenant_id, subject_id, kind, status, channel, changes, "
    "received_at, due_at, updated_at) VALUES ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $7)";
constexpr std::string_view kSelect =
    "SELECT id, tenant_id, subject_id, kind, status, channel, changes, outcome, reason_code, "
    "reviewer_id, received_at, due_at, completed_at FROM dsr_requests "
    "WHERE tenant_id = $1 AND id = $2";
constexpr std::string_view kOpen =
    "SELECT id, tenant_id, subject_id, kind, status, channel, changes, outcome, reason_code, "
    "reviewer_id, received_at, due_at, completed_at FROM dsr_requests "
    "WHERE tenant_id = $1 AND status IN ('received', 'in_review') ORDER BY due_at, id";
constexpr std::string_view kOverdue =
    "SELECT id, tenant_id, subject_id, kind, status, channel, changes, outcome, reason_code, "
    "reviewer_id, received_at, due_at, completed_at FROM dsr_requests "
    "WHERE tenant_id = $1 AND status IN ('received', 'in_review') AND due_at < $2 "
    "ORDER BY due_at, id";
constexpr std::string_view kBySubject =
    "SELECT id, tenant_id, subject_id, kind, status, channel, changes, outcome, reason_code, "
    "reviewer_id, received_at, due_at, completed_at FROM dsr_requests "
    "WHERE tenant_id = $1 AND subject_id = $2 ORDER BY received_at, id";
constexpr std::string_view kUpdate =
    "UPDATE dsr_requests SET status = $3, reviewer_id = $4, outcome = $5, reason_code = $6, "
    "completed_at = $7, updated_at = $8 WHERE tenant_id = $1 AND id = $2";

constexpr std::array<std::string_view, 4> kKinds = {"access", "portability", "rectification",
                                                    "deletion"};
constexpr std::array<std::string_view, 4> kStatuses = {"received", "in_review", "completed",
                                                       "rejected"};
constexpr std::array<std::string_view, 4> kReasons = {"identity_not_verified", "invalid_changes",
                                                      "duplicate", "other"};

DsrRequest FromRow(const store::Row& r) {
  DsrRequest q;
  q.id = r.Text("id");
  q.tenant_id = r.Int("tenant_id");
  q.subject_id = r.Text("subject_id");
  q.kind = ParseDsrKind(r.Text("kind")).value_or(DsrKind::kAccess);
  q.status = ParseDsrStatus(r.Text("status")).value_or(DsrStatus::kReceived);
  q.channel = r.Text("channel");
  if (auto ch = r.OptText("changes")) {
    auto j = nlohmann::json::parse(*ch, nullptr, false);
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it->is_string()) q.changes.emplace_back(it.key(), it->get<std::string>());
      }
    }
  }
  if (auto o = r.OptText("outcome")) q.outcome = nlohmann::json::parse(*o, nullptr, false);
  q.reason_code = r.OptText("reason_code");
  q.reviewer_id = r.OptInt("reviewer_id");
  q.received_at = r.Text("received_at");
  q.due_at = r.Text("due_at");
  q.completed_at = r.OptText("completed_at");
  return q;
}

Result<std::vector<DsrRequest>> Many(const store::Rows& rows) {
  std::vector<DsrRequest> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

nlohmann::json SubjectJson(const DataSubject& s) {
  auto opt = [](const std::optional<std::string>& v) -> nlohmann::json {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  return {{"id", s.id},
          {"kind", SubjectKindName(s.kind)},
          {"full_name", opt(s.full_name)},
          {"email", opt(s.email)},
          {"phone", opt(s.phone)},
          {"cpf", opt(s.cpf)},
          {"birth_date", opt(s.birth_date)},
          {"status", s.status},
          {"created_at", s.created_at}};
}

}  // namespace

std::string_view DsrKindName(DsrKind k) { return kKinds[static_cast<size_t>(k)]; }
std::optional<DsrKind> ParseDsrKind(std::string_view s) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i] == s) return static_cast<DsrKind>(i);
  }
  return std::nullopt;
}
std::string_view DsrStatusName(DsrStatus s) { return kStatuses[static_cast<size_t>(s)]; }
std::optional<DsrStatus> ParseDsrStatus(std::string_view s) {
  for (size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == s) return static_cast<DsrStatus>(i);
  }
  return std::nullopt;
}

bool IsRejectionReason(std::string_view code) {
  return std::find(kReasons.begin(), kReasons.end(), code) != kReasons.end();
}

nlohmann::json DsrRequestToJson(const DsrRequest& r) {
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& [k, v] : r.changes) changes[k] = v;
  auto opt = [](const auto& v) -> nlohmann::json {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  return {{"id", r.id},
          {"subject_id", r.subject_id},
          {"kind", DsrKindName(r.kind)},
          {"status", DsrStatusName(r.status)},
          {"channel", r.channel},
          {"changes", changes},
          {"outcome", r.outcome},
          {"reason_code", opt(r.reason_code)},
          {"reviewer_id", opt(r.reviewer_id)},
          {"received_at", r.received_at},
          {"due_at", r.due_at},
          {"completed_at", opt(r.completed_at)}};
}

nlohmann::json JsonExport(const DataSubject& subject, const std::vector<Consent>& consents,
                          const std::vector<SubjectDocument>& documents,
                          const std::vector<DsrRequest>& requests, std::string_view generated_at) {
  nlohmann::json cs = nlohmann::json::array();
  for (const Consent& c : consents) {
    cs.push_back({{"id", c.id},
                  {"purpose", c.purpose},
                  {"legal_basis", lgpd::LegalBasisName(c.legal_basis)},
                  {"text_version", c.text_version},
                  {"channel", c.channel},
                  {"granted_at", c.granted_at},
                  {"revoked_at", c.revoked_at ? nlohmann::json(*c.revoked_at) : nlohmann::json()}});
  }
  nlohmann::json ds = nlohmann::json::array();
  for (const SubjectDocument& d : documents) {
    ds.push_back({{"id", d.id},
                  {"category", DocumentCategoryName(d.category)},
                  {"title", d.title},
                  {"content", d.content},
                  {"created_at", d.created_at}});
  }
  nlohmann::json rs = nlohmann::json::array();
  for (const DsrRequest& r : requests) rs.push_back(DsrRequestToJson(r));
  return {{"format", "hcms-dsr-export/1"},
          {"generated_at", generated_at},
          {"controller_note",
           "Dados pessoais mantidos pela clínica sobre o titular (LGPD art. 18, II e V)."},
          {"subject", SubjectJson(subject)},
          {"consents", cs},
          {"documents", ds},
          {"requests", rs}};
}

Result<DsrRequest> DsrService::Open(int64_t tenant_id, std::string_view subject_id, DsrKind kind,
                                    std::string_view channel, const SubjectChanges& changes,
                                    std::optional<int64_t> actor_id) {
  if (!IsConsentChannel(channel)) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "validation_failed", "Canal inválido.")
            .WithField("channel", "invalid_value"));
  }
  if (kind == DsrKind::kRectification) HCMS_CHECK(ValidateChanges(changes));
  HCMS_TRY(DataSubject subject, subjects_.Find(tenant_id, subject_id));
  if (subject.status != "active") {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "subject_not_active",
                                 "Os dados deste titular já foram anonimizados."));
  }
  const TimePoint now = clock_.Now();
  const std::string id = NewUuidV7(now);
  nlohmann::json ch = nlohmann::json::object();
  for (const auto& [k, v] : changes) ch[k] = v;
  HCMS_TRY(auto done, db_.Transact([&](store::Connection& c) -> Result<bool> {
    HCMS_TRY(auto n,
             c.Execute(kInsert, {id, tenant_id, subject_id, DsrKindName(kind), channel,
                                 changes.empty() ? store::Value() : store::Value(ch.dump()),
                                 FormatTimestamp(now),
                                 FormatTimestamp(now + std::chrono::days(kDsrDeadlineDays))}));
    (void)n;
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& [k, v] : changes) fields.push_back(k);
    HCMS_CHECK(events_.Record(
        {.tenant_id = tenant_id,
         .event = std::string(event::kDsrReceived),
         .subject_id = std::string(subject_id),
         .request_id = id,
         .actor_id = actor_id,
         .detail = {{"kind", DsrKindName(kind)}, {"channel", channel}, {"fields", fields}}},
        &c));
    return true;
  }));
  (void)done;
  return Get(tenant_id, id);
}

Result<DsrRequest> DsrService::Get(int64_t tenant_id, std::string_view id) {
  HCMS_TRY(auto row, db_.Run([&](store::Connection& c) {
    return c.QueryOne(kSelect, {tenant_id, id});
  }));
  if (!row) return NotFound("request_not_found", "Solicitação não encontrada.");
  return FromRow(*row);
}

Result<std::vector<DsrRequest>> DsrService::ListOpen(int64_t tenant_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) { return c.Query(kOpen, {tenant_id}); }));
  return Many(rows);
}

Result<std::vector<DsrRequest>> DsrService::ListOverdue(int64_t tenant_id) {
  const std::string now = FormatTimestamp(clock_.Now());
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
    return c.Query(kOverdue, {tenant_id, now});
  }));
  return Many(rows);
}

Result<DsrRequest> DsrService::Transition(int64_t tenant_id, std::string_view id, DsrStatus to,
                                          int64_t reviewer_id, const nlohmann::json& outcome,
                                          std::optional<std::string> reason,
                                          std::string_view event_name,
                                          const nlohmann::json& detail) {
  const std::string now = FormatTimestamp(clock_.Now());
  const bool closes = to == DsrStatus::kCompleted || to == DsrStatus::kRejected;
  HCMS_TRY(auto done, db_.Transact([&](store::Connection& c) -> Result<bool> {
    HCMS_TRY(auto row, c.QueryOne(kSelect, {tenant_id, id}));
    if (!row) return NotFound("request_not_found", "Solicitação não encontrada.");
    const DsrRequest cur = FromRow(*row);
    if (!cur.open()) {
      return std::unexpected(Error(ErrorKind::kFailedPrecondition, "request_closed",
                                   "Esta solicitação já foi encerrada."));
    }
    HCMS_TRY(auto n,
             c.Execute(kUpdate, {tenant_id, id, DsrStatusName(to), reviewer_id,
                                 outcome.is_null() ? store::Value() : store::Value(outcome.dump()),
                                 reason, closes ? store::Value(now) : store::Value(), now}));
    (void)n;
    HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                               .event = std::string(event_name),
                               .subject_id = cur.subject_id,
                               .request_id = std::string(id),
                               .actor_id = reviewer_id,
                               .detail = detail},
                              &c));
    if (closes && event_name != event::kDsrCompleted && to == DsrStatus::kCompleted) {
      HCMS_CHECK(events_.Record(
          {.tenant_id = tenant_id,
           .event = std::string(event::kDsrCompleted),
           .subject_id = cur.subject_id,
           .request_id = std::string(id),
           .actor_id = reviewer_id,
           .detail = {{"kind", DsrKindName(cur.kind)}, {"on_time", now <= cur.due_at}}},
          &c));
    }
    return true;
  }));
  (void)done;
  return Get(tenant_id, id);
}

Result<DsrRequest> DsrService::StartReview(int64_t tenant_id, std::string_view id,
                                           int64_t reviewer_id) {
  HCMS_TRY(DsrRequest r, Get(tenant_id, id));
  if (r.status != DsrStatus::kReceived) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "request_closed",
                                 "A solicitação não está aguardando análise."));
  }
  return Transition(tenant_id, id, DsrStatus::kInReview, reviewer_id, nullptr, std::nullopt,
                    event::kDsrReviewStarted, {{"kind", DsrKindName(r.kind)}});
}

Result<nlohmann::json> DsrService::Export(int64_t tenant_id, std::string_view id,
                                          ExportFormat format, int64_t reviewer_id) {
  HCMS_TRY(DsrRequest r, Get(tenant_id, id));
  if (r.kind != DsrKind::kAccess && r.kind != DsrKind::kPortability) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "wrong_request_kind",
                                 "Exportação só atende pedidos de acesso ou portabilidade."));
  }
  if (!r.open()) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "request_closed",
                                 "Esta solicitação já foi encerrada."));
  }
  HCMS_TRY(DataSubject subject, subjects_.Find(tenant_id, r.subject_id));
  HCMS_TRY(auto consents, consents_.History(tenant_id, r.subject_id));
  HCMS_TRY(auto documents, subjects_.Documents(tenant_id, r.subject_id));
  const std::string now = FormatTimestamp(clock_.Now());
  nlohmann::json out;
  if (format == ExportFormat::kFhir) {
    out = FhirBundle(subject, consents, documents, r.id, now);
  } else {
    HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) {
      return c.Query(kBySubject, {tenant_id, r.subject_id});
    }));
    HCMS_TRY(auto requests, Many(rows));
    out = JsonExport(subject, consents, documents, requests, now);
  }
  const std::string fmt_name = format == ExportFormat::kFhir ? "fhir_r4" : "json";
  HCMS_TRY(
      auto done,
      Transition(
          tenant_id, id, DsrStatus::kCompleted, reviewer_id,
          {{"format", fmt_name}, {"consents", consents.size()}, {"documents", documents.size()}},
          std::nullopt, event::kDsrExported,
          {{"format", fmt_name}, {"consents", consents.size()}, {"documents", documents.size()}}));
  (void)done;
  return out;
}

Result<DsrRequest> DsrService::ApproveRectification(int64_t tenant_id, std::string_view id,
                                                    int64_t reviewer_id) {
  HCMS_TRY(DsrRequest r, Get(tenant_id, id));
  if (r.kind != DsrKind::kRectification) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "wrong_request_kind",
                                 "A solicitação não é de retificação."));
  }
  if (r.status != DsrStatus::kInReview) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "review_required",
                                 "A retificação precisa estar em análise por um revisor."));
  }
  HCMS_TRY(auto updated, subjects_.ApplyChanges(tenant_id, r.subject_id, r.changes));
  (void)updated;
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& [k, v] : r.changes) fields.push_back(k);
  HCMS_CHECK(events_.Record({.tenant_id = tenant_id,
                             .event = std::string(event::kSubjectRectified),
                             .subject_id = r.subject_id,
                             .request_id = r.id,
                             .actor_id = reviewer_id,
                             .detail = {{"fields", fields}}}));
  return Transition(tenant_id, id, DsrStatus::kCompleted, reviewer_id, {{"rectified", fields}},
                    std::nullopt, event::kDsrRectificationApproved, {{"fields", fields}});
}

Result<DsrRequest> DsrService::Reject(int64_t tenant_id, std::string_view id, int64_t reviewer_id,
                                      std::string_view reason_code) {
  if (!IsRejectionReason(reason_code)) {
    return std::unexpected(
        Error(ErrorKind::kInvalidArgument, "validation_failed", "Motivo de recusa inválido.")
            .WithField("reason_code", "invalid_value"));
  }
  return Transition(tenant_id, id, DsrStatus::kRejected, reviewer_id, nullptr,
                    std::string(reason_code), event::kDsrRejected, {{"reason_code", reason_code}});
}

Result<DsrRequest> DsrService::ExecuteDeletion(int64_t tenant_id, std::string_view id,
                                               int64_t reviewer_id) {
  HCMS_TRY(DsrRequest r, Get(tenant_id, id));
  if (r.kind != DsrKind::kDeletion) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "wrong_request_kind",
                                 "A solicitação não é de eliminação."));
  }
  if (!r.open()) {
    return std::unexpected(Error(ErrorKind::kFailedPrecondition, "request_closed",
                                 "Esta solicitação já foi encerrada."));
  }
  const TimePoint now = clock_.Now();
  HCMS_TRY(auto matrix, retention_.Matrix(tenant_id));
  HCMS_TRY(auto documents, subjects_.Documents(tenant_id, r.subject_id));
  nlohmann::json deleted = nlohmann::json::array(), anonymized = nlohmann::json::array(),
                 kept = nlohmann::json::array();
  for (const SubjectDocument& d : documents) {
    const RetentionRule* rule = nullptr;
    for (const RetentionRule& x : matrix) {
      if (x.category == d.category) rule = &x;
    }
    HCMS_TRY(TimePoint created, ParseTimestamp(d.created_at));
    const auto until = rule ? RetainedUntil(*rule, created) : std::nullopt;
    if (until && *until > now) {
      kept.push_back({{"document_id", d.id},
                      {"category", DocumentCategoryName(d.category)},
                      {"retained_until", FormatTimestamp(*until)},
                      {"legal_reference", rule->legal_reference},
                      {"reason", "legal_retention"}});
      continue;
    }
    if (rule && rule->action == RetentionAction::kAnonymize && rule->years > 0) {
      HCMS_TRY(std::string text, AnonymizedContent(d.content));
      HCMS_CHECK(subjects_.AnonymizeDocument(tenant_id, d.id, text));
      anonymized.push_back({{"document_id", d.id}, {"category", DocumentCategoryName(d.category)}});
      HCMS_CHECK(
          events_.Record({.tenant_id = tenant_id,
                          .event = std::string(event::kDocumentAnonymized),
                          .subject_id = r.subject_id,
                          .request_id = r.id,
                          .actor_id = reviewer_id,
                          .detail = {{"document_id", d.id}, {"reason", "deletion_request"}}}));
    } else {
      HCMS_CHECK(subjects_.DeleteDocument(tenant_id, d.id));
      deleted.push_back({{"document_id", d.id}, {"category", DocumentCategoryName(d.category)}});
      HCMS_CHECK(
          events_.Record({.tenant_id = tenant_id,
                          .event = std::string(event::kDocumentDeleted),
                          .subject_id = r.subject_id,
                          .request_id = r.id,
                          .actor_id = reviewer_id,
                          .detail = {{"document_id", d.id}, {"reason", "deletion_request"}}}));
    }
  }
  const bool erased = kept.empty();
  HCMS_CHECK(subjects_.Anonymize(tenant_id, r.subject_id, erased));
  HCMS_CHECK(events_.Record(
      {.tenant_id = tenant_id,
       .event = std::string(erased ? event::kSubjectErased : event::kSubjectAnonymized),
       .subject_id = r.subject_id,
       .request_id = r.id,
       .actor_id = reviewer_id,
       .detail = {{"documents_kept", kept.size()}}}));
  HCMS_TRY(auto consents, consents_.History(tenant_id, r.subject_id));
  nlohmann::json outcome = {
      {"subject", erased ? "erased" : "anonymized"},
      {"deleted", deleted},
      {"anonymized", anonymized},
      {"kept", kept},
      {"consents_kept", consents.size()},
      {"consents_reason",
       "Registros de consentimento mantidos como prova (LGPD art. 8, §2), sem dados pessoais."}};
  return Transition(
      tenant_id, id, DsrStatus::kCompleted, reviewer_id, outcome, std::nullopt,
      event::kDsrDeletionExecuted,
      {{"deleted", deleted.size()}, {"anonymized", anonymized.size()}, {"kept", kept.size()}});
}

}  // namespace hcms::privacy
