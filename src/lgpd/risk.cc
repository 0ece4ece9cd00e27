#include "lgpd/risk.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace hcms::lgpd {

int RiskWeight(PiiType type, bool escalated) {
  switch (type) {
    case PiiType::kCpf:
    case PiiType::kCns:
      return 30;
    case PiiType::kRg:
    case PiiType::kTituloEleitor:
    case PiiType::kPis:
    case PiiType::kPersonName:
      return 25;
    case PiiType::kCreditCard:
      return 35;
    case PiiType::kBirthDate:
      return 20;
    case PiiType::kPhone:
    case PiiType::kEmail:
      return 15;
    case PiiType::kCep:
    case PiiType::kIpAddress:
    case PiiType::kLicensePlate:
      return 10;
    case PiiType::kCid10:
      return escalated ? 30 : 10;
    case PiiType::kCnpj:
      return 5;
    case PiiType::kCrm:
    case PiiType::kCrp:
    case PiiType::kCoren:
      return 0;
  }
  return 0;
}

namespace {

struct Text {
  const char* code;
  const char* pt;
  const char* en;
};

// One recommendation per type present (non-professional), in type order.
constexpr std::array<Text, kPiiTypeCount> kTypeAdvice = {{
    {"cpf_present",
     "Verificar consentimento explícito para uso de CPF; substituir por <CPF> antes de publicar.",
     "Check explicit consent for the CPF; replace it with <CPF> before publishing."},
    {"cnpj_present", "CNPJ encontrado: confirmar que não identifica empresário individual (MEI).",
     "CNPJ found: confirm it does not identify a sole trader (MEI)."},
    {"cns_present",
     "Cartão Nacional de Saúde revela atendimento pelo SUS: remover ou pseudonimizar.",
     "The national health card reveals SUS care: remove or pseudonymise it."},
    {"rg_present", "RG encontrado: remover ou substituir por <RG>.",
     "ID card (RG) found: remove it or replace it with <RG>."},
    {"titulo_present", "Título de eleitor encontrado: remover.", "Voter ID found: remove it."},
    {"pis_present", "PIS/PASEP/NIS encontrado: remover (pode revelar condição socioeconômica).",
     "PIS/PASEP/NIS found: remove it (it may reveal socio-economic status)."},
    {"crm_present", "", ""},
    {"crp_present", "", ""},
    {"coren_present", "", ""},
    {"phone_present", "Telefone pessoal encontrado: mascarar ou remover.",
     "Personal phone number found: mask or remove it."},
    {"email_present", "E-mail pessoal encontrado: substituir ou remover.",
     "Personal e-mail address found: replace or remove it."},
    {"cep_present", "CEP encontrado: generalizar (5 primeiros dígitos) se for de paciente.",
     "Postcode found: generalise it (first 5 digits) if it is a patient's."},
    {"birth_date_present", "Data de nascimento encontrada: substituir por faixa etária ou ano.",
     "Birth date found: replace it with an age band or the year."},
    {"cid10_present",
     "Código CID-10 encontrado: é dado de saúde; mantenha apenas em contexto genérico.",
     "ICD-10 code found: it is health data; keep it only in a generic context."},
    {"patient_identified",
     "Anonimizar referências a pacientes específicos (Código de Ética Médica, art. 75).",
     "Anonymise references to specific patients (Medical Ethics Code, art. 75)."},
    {"credit_card_present", "Número de cartão de pagamento encontrado: remover (PCI DSS).",
     "Payment card number found: remove it (PCI DSS)."},
    {"ip_present", "Endereço IP encontrado: remover (Marco Civil da Internet).",
     "IP address found: remove it (Marco Civil da Internet)."},
    {"plate_present", "Placa de veículo encontrada: remover.", "Vehicle plate found: remove it."},
}};

}  // namespace

void ScoreDocument(Analysis& a) {
  std::array<double, kPiiTypeCount> best{};
  std::array<int, kPiiTypeCount> count{};
  std::array<bool, kPiiTypeCount> escalated{};
  bool professional = false;
  bool sensitive_linked = false;
  for (const Detection& d : a.detections) {
    if (d.professional) {
      professional = true;
      continue;
    }
    const auto i = static_cast<size_t>(d.type);
    best[i] = std::max(best[i], d.confidence);
    ++count[i];
    escalated[i] = escalated[i] || d.escalated;
    if (d.category == Category::kSensitive && d.escalated) sensitive_linked = true;
  }
  double score = 0;
  for (size_t i = 0; i < best.size(); ++i) {
    if (count[i] == 0) continue;
    const double w = RiskWeight(static_cast<PiiType>(i), escalated[i]);
    score += std::min(2 * w, w * best[i] + 0.25 * w * (count[i] - 1));
  }
  if (sensitive_linked) score += 20;
  a.risk_score = std::clamp(static_cast<int>(std::lround(score)), 0, 100);
  a.status = StatusForScore(a.risk_score);

  a.recommendations.clear();
  if (sensitive_linked) {
    a.recommendations.push_back(
        {"sensitive_health_data",
         "Dado de saúde vinculado a pessoa identificável (dado sensível, LGPD art. 11): remover "
         "ou registrar a base legal antes de publicar.",
         "Health data linked to an identifiable person (sensitive data, LGPD art. 11): remove "
         "it or record the legal basis before publishing."});
  }
  for (size_t i = 0; i < kTypeAdvice.size(); ++i) {
    if (count[i] == 0 || kTypeAdvice[i].pt[0] == '\0') continue;
    if (static_cast<PiiType>(i) == PiiType::kCid10 && sensitive_linked) continue;
    a.recommendations.push_back({kTypeAdvice[i].code, kTypeAdvice[i].pt, kTypeAdvice[i].en});
  }
  if (professional) {
    a.recommendations.push_back(
        {"professional_byline",
         "Dados profissionais (nome e registro no conselho) exigidos pela Res. CFM 2.336/2023: "
         "manter na assinatura do autor.",
         "Professional data (name and council registration) required by CFM Res. 2.336/2023: "
         "keep them in the author's byline."});
  }
  if (a.recommendations.empty()) {
    a.recommendations.push_back(
        {"no_personal_data", "Nenhum dado pessoal detectado.", "No personal data detected."});
  }
}

}  // namespace hcms::lgpd
