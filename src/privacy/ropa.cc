#include "privacy/ropa.h"

namespace hcms::privacy {

namespace {

constexpr std::string_view kInsert =
    "INSERT INTO processing_activities (tenant_id, name, purpose, legal_basis, data_categories, "
    "subject_categories, recipients, international_transfer, retention, security_measures, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) "
    "RETURNING id";
constexpr std::string_view kList =
    "SELECT id, tenant_id, name, purpose, legal_basis, data_categories, subject_categories, "
    "recipients, international_transfer, retention, security_measures FROM processing_activities "
    "WHERE tenant_id = $1 ORDER BY id";

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::vector<std::string> Split(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t end = s.find("; ", start);
    const std::string_view part =
        s.substr(start, end == std::string_view::npos ? s.npos : end - start);
    if (!part.empty()) out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

const std::vector<ProcessingActivity>& DefaultActivities() {
  static const std::vector<ProcessingActivity> defaults = {
      {0,
       0,
       "prontuario_e_atendimento",
       "Registro e guarda dos documentos de atendimento dos pacientes",
       lgpd::LegalBasis::kTutelaSaude,
       {"identificação", "contato", "saúde"},
       {"pacientes"},
       "profissionais de saúde da clínica",
       false,
       "20 anos (Lei 13.787/2018; Res. CFM 1.821/2007)",
       "controle de acesso Zero Trust, trilha de auditoria, criptografia em repouso e em trânsito"},
      {0,
       0,
       "publicacao_de_conteudo",
       "Publicação de artigos médicos com revisão de dados pessoais (detector LGPD)",
       lgpd::LegalBasis::kConsentimento,
       {"identificação profissional", "saúde (somente anonimizada)"},
       {"médicos autores", "pacientes citados (anonimizados)"},
       "leitores do site",
       false,
       "enquanto publicado",
       "detecção automática de dados pessoais, revisão jurídica, bloqueio de publicação"},
      {0,
       0,
       "newsletter",
       "Envio de boletim informativo por e-mail",
       lgpd::LegalBasis::kConsentimento,
       {"contato"},
       {"assinantes"},
       "provedor de envio de e-mail",
       false,
       "até a revogação do consentimento",
       "consentimento versionado, descadastro em um clique"},
      {0,
       0,
       "atendimento_ao_titular",
       "Atendimento às solicitações dos titulares (art. 18)",
       lgpd::LegalBasis::kObrigacaoLegal,
       {"identificação", "contato"},
       {"pacientes", "leitores", "assinantes"},
       "encarregado (DPO)",
       false,
       "5 anos após o encerramento",
       "prazo de 15 dias monitorado, cada etapa auditada"},
      {0,
       0,
       "seguranca_e_auditoria",
       "Registros de acesso e trilha de auditoria",
       lgpd::LegalBasis::kObrigacaoLegal,
       {"identificadores de usuário", "endereço IP anonimizado"},
       {"usuários do sistema"},
       "ninguém",
       false,
       "6 meses (Marco Civil da Internet art. 15) ou mais se exigido",
       "encadeamento por hash, assinatura periódica"},
  };
  return defaults;
}

Result<ProcessingActivity> ProcessingRegistry::Create(int64_t tenant_id,
                                                      const ProcessingActivity& a) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Atividade de tratamento inválida.");
  if (a.name.empty() || a.name.size() > 100) e.WithField("name", "required");
  if (a.purpose.empty()) e.WithField("purpose", "required");
  if (a.data_categories.empty()) e.WithField("data_categories", "required");
  if (a.subject_categories.empty()) e.WithField("subject_categories", "required");
  if (a.retention.empty()) e.WithField("retention", "required");
  if (a.security_measures.empty()) e.WithField("security_measures", "required");
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  const std::string now = FormatTimestamp(clock_.Now());
  auto rows = db_.Run([&](store::Connection& c) {
    return c.Query(kInsert, {tenant_id, a.name, a.purpose, lgpd::LegalBasisName(a.legal_basis),
                             Join(a.data_categories), Join(a.subject_categories), a.recipients,
                             a.international_transfer, a.retention, a.security_measures, now});
  });
  if (!rows) {
    if (rows.error().code() == "unique_violation") {
      return Conflict("activity_exists", "Já existe uma atividade com este nome.");
    }
    return std::unexpected(std::move(rows).error());
  }
  ProcessingActivity out = a;
  out.id = (*rows)[0].Int(0);
  out.tenant_id = tenant_id;
  return out;
}

Result<std::vector<ProcessingActivity>> ProcessingRegistry::List(int64_t tenant_id) {
  HCMS_TRY(auto rows, db_.Run([&](store::Connection& c) { return c.Query(kList, {tenant_id}); }));
  std::vector<ProcessingActivity> out;
  for (const auto& r : rows) {
    ProcessingActivity a;
    a.id = r.Int("id");
    a.tenant_id = r.Int("tenant_id");
    a.name = r.Text("name");
    a.purpose = r.Text("purpose");
    a.legal_basis =
        lgpd::ParseLegalBasis(r.Text("legal_basis")).value_or(lgpd::LegalBasis::kConsentimento);
    a.data_categories = Split(r.Text("data_categories"));
    a.subject_categories = Split(r.Text("subject_categories"));
    a.recipients = r.Text("recipients");
    a.international_transfer = r.Bool("international_transfer");
    a.retention = r.Text("retention");
    a.security_measures = r.Text("security_measures");
    out.push_back(std::move(a));
  }
  return out;
}

Result<int> ProcessingRegistry::SeedDefaults(int64_t tenant_id) {
  HCMS_TRY(auto existing, List(tenant_id));
  int added = 0;
  for (const ProcessingActivity& d : DefaultActivities()) {
    const bool present = std::any_of(existing.begin(), existing.end(),
                                     [&](const ProcessingActivity& e) { return e.name == d.name; });
    if (present) continue;
    HCMS_TRY(auto created, Create(tenant_id, d));
    (void)created;
    ++added;
  }
  return added;
}

std::string RopaCsv(const std::vector<ProcessingActivity>& activities) {
  std::string out =
      "nome,finalidade,base_legal,artigo,categorias_de_dados,categorias_de_titulares,"
      "destinatarios,transferencia_internacional,retencao,medidas_de_seguranca\r\n";
  for (const ProcessingActivity& a : activities) {
    const bool sensitive = std::any_of(a.data_categories.begin(), a.data_categories.end(),
                                       [](const std::string& c) { return c.starts_with("saúde"); });
    out += CsvField(a.name) + "," + CsvField(a.purpose) + "," +
           CsvField(lgpd::LegalBasisName(a.legal_basis)) + "," +
           CsvField(lgpd::LegalBasisArticle(a.legal_basis, sensitive)) + "," +
           CsvField(Join(a.data_categories)) + "," + CsvField(Join(a.subject_categories)) + "," +
           CsvField(a.recipients) + "," + (a.international_transfer ? "sim" : "não") + "," +
           CsvField(a.retention) + "," + CsvField(a.security_measures) + "\r\n";
  }
  return out;
}

nlohmann::json RopaJson(const std::vector<ProcessingActivity>& activities,
                        std::string_view controller, std::string_view generated_at) {
  nlohmann::json items = nlohmann::json::array();
  for (const ProcessingActivity& a : activities) {
    const bool sensitive = std::any_of(a.data_categories.begin(), a.data_categories.end(),
                                       [](const std::string& c) { return c.starts_with("saúde"); });
    items.push_back({{"name", a.name},
                     {"purpose", a.purpose},
                     {"legal_basis", lgpd::LegalBasisName(a.legal_basis)},
                     {"article", lgpd::LegalBasisArticle(a.legal_basis, sensitive)},
                     {"data_categories", a.data_categories},
                     {"subject_categories", a.subject_categories},
                     {"recipients", a.recipients},
                     {"international_transfer", a.international_transfer},
                     {"retention", a.retention},
                     {"security_measures", a.security_measures}});
  }
  return {{"format", "hcms-ropa/1"},
          {"law", "LGPD art. 37"},
          {"controller", controller},
          {"generated_at", generated_at},
          {"activities", items}};
}

}  // namespace hcms::privacy
