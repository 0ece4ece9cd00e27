// The data-subject rights domain on SQLite and on a real PostgreSQL server.

#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/random.h"
#include "privacy/consents.h"
#include "privacy/events.h"
#include "privacy/requests.h"
#include "privacy/retention.h"
#include "privacy/ropa.h"
#include "privacy/subjects.h"
#include "tests/support/db_fixture.h"

namespace hcms::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RecordingSink final : public AuditSink {
 public:
  void Append(const PrivacyEvent& e) override {
    std::lock_guard lock(mu_);
    events_.push_back(e);
  }
  std::vector<PrivacyEvent> events() {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::vector<PrivacyEvent> events_;
};

class PrivacyTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    tenant_ = MakeTenant("clinica-a");
    other_ = MakeTenant("clinica-b");
    subjects_ = std::make_unique<SubjectRepository>(db(), clock());
    events_ = std::make_unique<EventLog>(db(), clock(), sink_);
    consents_ = std::make_unique<ConsentService>(db(), clock(), *events_);
    retention_ = std::make_unique<RetentionPolicy>(db());
    dsr_ =
        std::make_unique<DsrService>(db(), clock(), *subjects_, *consents_, *retention_, *events_);
  }

  int64_t MakeTenant(const std::string& slug) {
    auto r = db().Run([&](store::Connection& c) {
      return c.Query(
          "INSERT INTO tenants (slug, name, created_at, updated_at) VALUES ($1, $2, $3, $3) "
          "RETURNING id",
          {slug, "Clínica " + slug, FormatTimestamp(clock().Now())});
    });
    EXPECT_TRUE(r) << r.error().ToLogString();
    return (*r)[0].Int(0);
  }

  DataSubject Maria() {
    auto s = subjects_->Create(tenant_, {.kind = SubjectKind::kPatient,
                                         .full_name = "Maria Souza",
                                         .email = "maria@exemplo.com.br",
                                         .phone = "(11) 98765-4321",
                                         .cpf = "529.982.247-25",
                                         .birth_date = "1980-03-12"});
    EXPECT_TRUE(s) << s.error().ToLogString();
    return *s;
  }

  std::string Ago(int days) { return FormatTimestamp(clock().Now() - std::chrono::days(days)); }

  RecordingSink sink_;
  int64_t tenant_ = 0, other_ = 0;
  std::unique_ptr<SubjectRepository> subjects_;
  std::unique_ptr<EventLog> events_;
  std::unique_ptr<ConsentService> consents_;
  std::unique_ptr<RetentionPolicy> retention_;
  std::unique_ptr<DsrService> dsr_;
};

TEST_P(PrivacyTest, SubjectsAreValidatedAndIsolatedByTenant) {
  const DataSubject m = Maria();
  EXPECT_EQ(m.cpf, "52998224725");
  EXPECT_TRUE(IsUuid(m.id));
  auto bad = subjects_->Create(
      tenant_, {.full_name = "X", .cpf = "529.982.247-24", .birth_date = "1980-02-30"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), "validation_failed");
  ASSERT_EQ(bad.error().fields().size(), 2u);
  EXPECT_EQ(bad.error().fields()[0].code, "invalid_check_digits");
  // Another practice never sees it.
  auto other = subjects_->Find(other_, m.id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code(), "subject_not_found");
  EXPECT_EQ(
      subjects_->AddDocument(other_, m.id, DocumentCategory::kComment, "t", "c").error().code(),
      "subject_not_found");
  // The schema itself refuses a row that points at another practice's subject.
  auto cross = db().Run([&](store::Connection& c) {
    return c.Execute(
        "INSERT INTO consents (id, tenant_id, subject_id, purpose, legal_basis, text_version, "
        "channel, granted_at, created_at) VALUES ($1, $2, $3, 'x', 'consentimento', '1', 'web', "
        "$4, $4)",
        {NewUuidV7(), other_, m.id, FormatTimestamp(clock().Now())});
  });
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().code(), "foreign_key_violation");
  auto by_email = subjects_->FindByEmail(tenant_, "maria@exemplo.com.br");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->size(), 1u);
}

TEST_P(PrivacyTest, ConsentHistoryIsKept) {
  const DataSubject m = Maria();
  auto v1 = consents_->Grant(tenant_, m.id,
                             {.purpose = "newsletter", .text_version = "1", .channel = "web"});
  ASSERT_TRUE(v1) << v1.error().ToLogString();
  clock().Advance(std::chrono::hours(24));
  auto v2 = consents_->Grant(tenant_, m.id,
                             {.purpose = "newsletter", .text_version = "2", .channel = "app"});
  ASSERT_TRUE(v2);
  auto case_report = consents_->Grant(tenant_, m.id,
                                      {.purpose = "publicacao_relato_de_caso",
                                       .legal_basis = lgpd::LegalBasis::kConsentimento,
                                       .text_version = "2026-01",
                                       .channel = "paper"});
  ASSERT_TRUE(case_report);
  auto history = consents_->History(tenant_, m.id);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_FALSE((*history)[0].active());  // v1 superseded by v2
  EXPECT_EQ((*history)[0].text_version, "1");
  EXPECT_TRUE((*history)[1].active());
  auto revoked = consents_->Revoke(tenant_, v2->id, "email");
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->revoked_channel, "email");
  EXPECT_EQ(*consents_->HasActive(tenant_, m.id, "newsletter"), false);
  EXPECT_EQ(*consents_->HasActive(tenant_, m.id, "publicacao_relato_de_caso"), true);
  auto again = consents_->Revoke(tenant_, v2->id, "email");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), "consent_already_revoked");
  EXPECT_EQ(consents_->Revoke(other_, case_report->id, "web").error().code(), "consent_not_found");
  auto invalid = consents_->Grant(tenant_, m.id, {.purpose = "Bad Purpose", .text_version = ""});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().fields().size(), 2u);
  // Events: granted x3, revoked (superseded) x1, revoked x1; no personal data in them.
  auto ev = events_->ForSubject(tenant_, m.id);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->size(), 5u);
  for (const PrivacyEvent& e : sink_.events()) {
    EXPECT_THAT(e.detail.dump(), Not(HasSubstr("maria")));
    EXPECT_THAT(e.detail.dump(), Not(HasSubstr("52998224725")));
  }
}

TEST_P(PrivacyTest, AccessRequestExportsJsonWithinTheDeadline) {
  const DataSubject m = Maria();
  ASSERT_TRUE(consents_->Grant(tenant_, m.id, {.purpose = "newsletter", .text_version = "1"}));
  ASSERT_TRUE(subjects_->AddDocument(tenant_, m.id, DocumentCategory::kMedicalRecord,
                                     "Consulta 2026-05", "Paciente relata cefaleia."));
  auto r = dsr_->Open(tenant_, m.id, DsrKind::kAccess, "web");
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(r->status, DsrStatus::kReceived);
  EXPECT_EQ(*ParseTimestamp(r->due_at) - *ParseTimestamp(r->received_at), std::chrono::days(15));
  auto out = dsr_->Export(tenant_, r->id, ExportFormat::kJson, 7);
  ASSERT_TRUE(out) << out.error().ToLogString();
  EXPECT_EQ((*out)["format"], "hcms-dsr-export/1");
  EXPECT_EQ((*out)["subject"]["cpf"], "52998224725");
  EXPECT_EQ((*out)["consents"].size(), 1u);
  EXPECT_EQ((*out)["documents"][0]["content"], "Paciente relata cefaleia.");
  auto done = dsr_->Get(tenant_, r->id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, DsrStatus::kCompleted);
  EXPECT_EQ(done->reviewer_id, 7);
  // Closed requests are not answered twice.
  EXPECT_EQ(dsr_->Export(tenant_, r->id, ExportFormat::kJson, 7).error().code(), "request_closed");
  auto ev = events_->ForRequest(tenant_, r->id);
  ASSERT_TRUE(ev);
  std::vector<std::string> names;
  for (const auto& e : *ev) names.push_back(e.event);
  EXPECT_EQ(names, (std::vector<std::string>{"dsr.received", "dsr.exported", "dsr.completed"}));
  EXPECT_EQ((*ev)[2].detail["on_time"], true);
  // Another practice cannot see or answer the request.
  EXPECT_EQ(dsr_->Get(other_, r->id).error().code(), "request_not_found");
}

TEST_P(PrivacyTest, FhirExportIsABundleWithPatientConsentAndDocuments) {
  const DataSubject m = Maria();
  ASSERT_TRUE(consents_->Grant(tenant_, m.id, {.purpose = "newsletter", .text_version = "1"}));
  ASSERT_TRUE(subjects_->AddDocument(tenant_, m.id, DocumentCategory::kExamResult, "Hemograma",
                                     "Hb 13,5 g/dL"));
  auto r = dsr_->Open(tenant_, m.id, DsrKind::kPortability, "app");
  ASSERT_TRUE(r);
  auto bundle = dsr_->Export(tenant_, r->id, ExportFormat::kFhir, 7);
  ASSERT_TRUE(bundle);
  EXPECT_EQ((*bundle)["resourceType"], "Bundle");
  EXPECT_EQ((*bundle)["type"], "collection");
  ASSERT_EQ((*bundle)["entry"].size(), 3u);
  EXPECT_EQ((*bundle)["entry"][0]["resource"]["resourceType"], "Patient");
  EXPECT_EQ((*bundle)["entry"][0]["resource"]["birthDate"], "1980-03-12");
  EXPECT_EQ((*bundle)["entry"][1]["resource"]["resourceType"], "Consent");
  EXPECT_EQ((*bundle)["entry"][2]["resource"]["resourceType"], "DocumentReference");
  EXPECT_EQ((*bundle)["entry"][2]["resource"]["content"][0]["attachment"]["data"],
            "SGIgMTMsNSBnL2RM");
}

TEST_P(PrivacyTest, RectificationIsReviewed) {
  const DataSubject m = Maria();
  auto invalid = dsr_->Open(tenant_, m.id, DsrKind::kRectification, "web",
                            {{"cpf", "111.111.111-11"}, {"role", "admin"}});
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().fields().size(), 2u);
  auto r = dsr_->Open(tenant_, m.id, DsrKind::kRectification, "web",
                      {{"email", "maria.souza@novo.com.br"}, {"full_name", "Maria Souza Lima"}});
  ASSERT_TRUE(r) << r.error().ToLogString();
  EXPECT_EQ(dsr_->ApproveRectification(tenant_, r->id, 9).error().code(), "review_required");
  ASSERT_TRUE(dsr_->StartReview(tenant_, r->id, 9));
  auto done = dsr_->ApproveRectification(tenant_, r->id, 9);
  ASSERT_TRUE(done) << done.error().ToLogString();
  EXPECT_EQ(done->status, DsrStatus::kCompleted);
  auto s = subjects_->Find(tenant_, m.id);
  EXPECT_EQ(s->email, "maria.souza@novo.com.br");
  EXPECT_EQ(s->full_name, "Maria Souza Lima");
  // Rejection needs a known reason.
  auto r2 =
      dsr_->Open(tenant_, m.id, DsrKind::kRectification, "web", {{"phone", "(21) 3456-7890"}});
  ASSERT_TRUE(r2);
  EXPECT_EQ(dsr_->Reject(tenant_, r2->id, 9, "because").error().code(), "validation_failed");
  auto rejected = dsr_->Reject(tenant_, r2->id, 9, "identity_not_verified");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, DsrStatus::kRejected);
  EXPECT_EQ(rejected->reason_code, "identity_not_verified");
  EXPECT_EQ(subjects_->Find(tenant_, m.id)->phone, "(11) 98765-4321");
}

TEST_P(PrivacyTest, DeletionHonoursLegalRetentionAndSaysWhy) {
  const DataSubject m = Maria();
  ASSERT_TRUE(consents_->Grant(tenant_, m.id, {.purpose = "newsletter", .text_version = "1"}));
  auto recent_record =
      subjects_->AddDocument(tenant_, m.id, DocumentCategory::kMedicalRecord, "Consulta",
                             "Paciente Maria Souza, CID F41.1.", Ago(2 * 365));
  auto old_record =
      subjects_->AddDocument(tenant_, m.id, DocumentCategory::kMedicalRecord, "Consulta antiga",
                             "Paciente Maria Souza, CPF 529.982.247-25, CID J45.9.", Ago(21 * 366));
  auto newsletter = subjects_->AddDocument(tenant_, m.id, DocumentCategory::kNewsletter,
                                           "Inscrição", "maria@exemplo.com.br");
  auto old_appointment = subjects_->AddDocument(tenant_, m.id, DocumentCategory::kAppointment,
                                                "Agenda", "Retorno", Ago(6 * 366));
  ASSERT_TRUE(recent_record && old_record && newsletter && old_appointment);

  auto r = dsr_->Open(tenant_, m.id, DsrKind::kDeletion, "email");
  ASSERT_TRUE(r);
  auto done = dsr_->ExecuteDeletion(tenant_, r->id, 3);
  ASSERT_TRUE(done) << done.error().ToLogString();
  const nlohmann::json& o = done->outcome;
  EXPECT_EQ(o["subject"], "anonymized");
  ASSERT_EQ(o["kept"].size(), 1u);
  EXPECT_EQ(o["kept"][0]["document_id"], recent_record->id);
  EXPECT_EQ(o["kept"][0]["reason"], "legal_retention");
  EXPECT_THAT(o["kept"][0]["legal_reference"].get<std::string>(), HasSubstr("20 anos"));
  ASSERT_EQ(o["anonymized"].size(), 1u);
  EXPECT_EQ(o["anonymized"][0]["document_id"], old_record->id);
  EXPECT_EQ(o["deleted"].size(), 2u);
  EXPECT_EQ(o["consents_kept"], 1);

  auto s = subjects_->Find(tenant_, m.id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status, "anonymized");
  EXPECT_FALSE(s->full_name || s->email || s->phone || s->cpf || s->birth_date);
  auto docs = subjects_->Documents(tenant_, m.id);
  ASSERT_TRUE(docs);
  ASSERT_EQ(docs->size(), 2u);
  for (const auto& d : *docs) {
    if (d.id == old_record->id) {
      EXPECT_EQ(d.content, "Paciente <NOME>, CPF <CPF>, CID <CID>.");
      EXPECT_TRUE(d.anonymized_at);
    }
  }
  // A subject with nothing under legal hold is erased.
  auto reader = subjects_->Create(
      tenant_, {.kind = SubjectKind::kNewsletterContact, .email = "leitor@exemplo.com"});
  ASSERT_TRUE(reader);
  ASSERT_TRUE(subjects_->AddDocument(tenant_, reader->id, DocumentCategory::kNewsletter,
                                     "Inscrição", "leitor@exemplo.com"));
  auto r2 = dsr_->Open(tenant_, reader->id, DsrKind::kDeletion, "web");
  ASSERT_TRUE(r2);
  auto done2 = dsr_->ExecuteDeletion(tenant_, r2->id, 3);
  ASSERT_TRUE(done2);
  EXPECT_EQ(done2->outcome["subject"], "erased");
  EXPECT_EQ(subjects_->Find(tenant_, reader->id)->status, "erased");
  // No new request for a subject whose data is gone.
  EXPECT_EQ(dsr_->Open(tenant_, reader->id, DsrKind::kAccess, "web").error().code(),
            "subject_not_active");
}

TEST_P(PrivacyTest, OverdueRequestsAreListed) {
  const DataSubject m = Maria();
  auto r = dsr_->Open(tenant_, m.id, DsrKind::kAccess, "phone");
  ASSERT_TRUE(r);
  EXPECT_TRUE(dsr_->ListOverdue(tenant_)->empty());
  clock().Advance(std::chrono::days(14));
  EXPECT_TRUE(dsr_->ListOverdue(tenant_)->empty());
  clock().Advance(std::chrono::days(2));
  auto overdue = dsr_->ListOverdue(tenant_);
  ASSERT_TRUE(overdue);
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].id, r->id);
  EXPECT_TRUE(dsr_->ListOverdue(other_)->empty());
  EXPECT_EQ(dsr_->ListOpen(tenant_)->size(), 1u);
  ASSERT_TRUE(dsr_->Export(tenant_, r->id, ExportFormat::kJson, 1));
  auto ev = events_->ForRequest(tenant_, r->id);
  EXPECT_EQ(ev->back().detail["on_time"], false);
}

TEST_P(PrivacyTest, RetentionJobDryRunThenRun) {
  const DataSubject m = Maria();
  auto old_record =
      subjects_->AddDocument(tenant_, m.id, DocumentCategory::kMedicalRecord, "Antigo",
                             "Paciente Maria Souza, CID F41.1.", Ago(21 * 366));
  auto old_contact = subjects_->AddDocument(tenant_, m.id, DocumentCategory::kContactMessage,
                                            "Contato", "Ligar para (11) 98765-4321", Ago(3 * 366));
  auto recent = subjects_->AddDocument(tenant_, m.id, DocumentCategory::kContactMessage, "Contato",
                                       "Oi", Ago(30));
  ASSERT_TRUE(old_record && old_contact && recent);
  RetentionJob job(db(), clock(), *subjects_, *retention_, *events_);
  auto dry = job.Run(tenant_, true);
  ASSERT_TRUE(dry) << dry.error().ToLogString();
  EXPECT_EQ(dry->anonymized, 1);
  EXPECT_EQ(dry->deleted, 1);
  EXPECT_EQ(subjects_->Documents(tenant_, m.id)->size(), 3u);  // nothing changed
  EXPECT_TRUE(events_->ForSubject(tenant_, m.id)->empty());
  EXPECT_EQ(RetentionReportToJson(*dry)["items"].size(), 2u);

  auto run = job.Run(tenant_, false);
  ASSERT_TRUE(run);
  auto docs = subjects_->Documents(tenant_, m.id);
  ASSERT_EQ(docs->size(), 2u);
  for (const auto& d : *docs) {
    if (d.id == old_record->id) {
      EXPECT_EQ(d.content, "Paciente <NOME>, CID <CID>.");
    }
  }
  // Idempotent: nothing left to do.
  auto again = job.Run(tenant_, true);
  EXPECT_TRUE(again->items.empty());
  // A tenant override (e.g. a longer period) changes the matrix.
  ASSERT_TRUE(retention_->SetRule(tenant_, {DocumentCategory::kContactMessage, 10,
                                            RetentionAction::kDelete, "HIPAA 45 CFR 164.316"}));
  EXPECT_EQ(retention_->RuleFor(tenant_, DocumentCategory::kContactMessage)->years, 10);
  EXPECT_EQ(retention_->RuleFor(other_, DocumentCategory::kContactMessage)->years, 2);
  EXPECT_EQ(
      retention_->SetRule(tenant_, {DocumentCategory::kBilling, -1, RetentionAction::kDelete, ""})
          .error()
          .fields()
          .size(),
      2u);
}

TEST_P(PrivacyTest, RecordOfProcessingExportsCsvAndJson) {
  ProcessingRegistry ropa(db(), clock());
  auto added = ropa.SeedDefaults(tenant_);
  ASSERT_TRUE(added) << added.error().ToLogString();
  EXPECT_EQ(*added, 5);
  EXPECT_EQ(*ropa.SeedDefaults(tenant_), 0);
  auto custom = ropa.Create(tenant_, {.name = "pesquisa",
                                      .purpose = "Estudo observacional, \"coorte\" 2026",
                                      .legal_basis = lgpd::LegalBasis::kEstudosPesquisa,
                                      .data_categories = {"saúde", "idade"},
                                      .subject_categories = {"pacientes"},
                                      .international_transfer = true,
                                      .retention = "5 anos",
                                      .security_measures = "dados anonimizados"});
  ASSERT_TRUE(custom);
  EXPECT_EQ(ropa.Create(tenant_, *custom).error().code(), "activity_exists");
  auto list = ropa.List(tenant_);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 6u);
  EXPECT_TRUE(ropa.List(other_)->empty());
  const std::string csv = RopaCsv(*list);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "nome,finalidade,base_legal,artigo,categorias_de_dados,categorias_de_titulares,"
            "destinatarios,transferencia_internacional,retencao,medidas_de_seguranca");
  EXPECT_THAT(csv, HasSubstr("pesquisa,\"Estudo observacional, \"\"coorte\"\" 2026\","
                             "estudos_pesquisa,\"art. 11, II, c\",saúde; idade,pacientes,,sim,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);
  const auto json = RopaJson(*list, "Clínica A", "2026-05-28T00:00:00Z");
  EXPECT_EQ(json["activities"].size(), 6u);
  EXPECT_EQ(json["activities"][5]["data_categories"][0], "saúde");
  EXPECT_EQ(json["activities"][5]["international_transfer"], true);
}

HCMS_INSTANTIATE_BACKENDS(PrivacyTest);

}  // namespace
}  // namespace hcms::privacy
