// The detector against every example and trap of pii-spec.md, plus robustness
// (random bytes, long inputs) and the offset contract.

#include "lgpd/detector.h"

#include <cstring>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lgpd/analysis_json.h"
#include "lgpd/compiled_db.h"
#include "lgpd/utf8.h"

namespace hcms::lgpd {
namespace {

struct Found {
  std::string type;
  std::string text;
};

std::vector<Found> Scan(std::string_view text, AnalyzeOptions o = {}) {
  auto a = Analyze(text, o);
  EXPECT_TRUE(a) << a.error().ToLogString();
  std::vector<Found> out;
  if (!a) return out;
  for (const Detection& d : a->detections) {
    out.push_back({std::string(PiiTypeName(d.type)),
                   std::string(text.substr(d.byte_start, d.byte_end - d.byte_start))});
  }
  return out;
}

bool Has(std::string_view text, std::string_view type, std::string_view value) {
  for (const Found& f : Scan(text)) {
    if (f.type == type && f.text == value) return true;
  }
  return false;
}

bool HasType(std::string_view text, std::string_view type) {
  for (const Found& f : Scan(text)) {
    if (f.type == type) return true;
  }
  return false;
}

TEST(Detector, VocabularyRoundTrips) {
  EXPECT_EQ(AllPiiTypes().size(), static_cast<size_t>(kPiiTypeCount));
  for (PiiType t : AllPiiTypes()) EXPECT_EQ(ParsePiiType(PiiTypeName(t)), t);
  EXPECT_EQ(PiiTypeName(PiiType::kTituloEleitor), "titulo_eleitor");
  EXPECT_EQ(PiiTypeName(PiiType::kLicensePlate), "license_plate");
  EXPECT_EQ(ParsePiiType("passport"), std::nullopt);
  EXPECT_EQ(ParseOperator("pseudonymize"), Operator::kPseudonymize);
  EXPECT_EQ(ParseOperator("hash"), std::nullopt);  // unkeyed hashes are not offered
}

TEST(Detector, CpfFormatsAndChecks) {
  EXPECT_TRUE(Has("CPF 529.982.247-25", "cpf", "529.982.247-25"));
  EXPECT_TRUE(Has("cpf: 52998224725.", "cpf", "52998224725"));
  EXPECT_TRUE(Has("CPF 529 982 247 25", "cpf", "529 982 247 25"));
  EXPECT_TRUE(Has("o CPF 111.444.777-35 consta", "cpf", "111.444.777-35"));
  EXPECT_TRUE(
      Has("CPF 529\xC2\xA0"
          "982\xC2\xA0"
          "247\xE2\x80\x93"
          "25",
          "cpf",
          "529\xC2\xA0"
          "982\xC2\xA0"
          "247\xE2\x80\x93"
          "25"));  // NBSP, en dash
  EXPECT_FALSE(HasType("CPF 529.982.247-24", "cpf"));
  EXPECT_FALSE(HasType("CPF 123.456.789-00", "cpf"));
  EXPECT_FALSE(HasType("CPF 111.111.111-11", "cpf"));
  EXPECT_FALSE(HasType("CPF 000.000.000-00", "cpf"));
  // Negation does not remove personal data.
  EXPECT_TRUE(Has("CPF não informado: 529.982.247-25", "cpf", "529.982.247-25"));
  // A longer number is not a CPF.
  EXPECT_FALSE(HasType("1529.982.247-25", "cpf"));
  EXPECT_FALSE(HasType("529.982.247-251", "cpf"));
}

TEST(Detector, CnpjNumericAndAlphanumeric) {
  EXPECT_TRUE(Has("CNPJ 11.222.333/0001-81", "cnpj", "11.222.333/0001-81"));
  EXPECT_TRUE(Has("CNPJ 11.444.777/0001-61", "cnpj", "11.444.777/0001-61"));
  EXPECT_TRUE(Has("CNPJ: 11222333000181", "cnpj", "11222333000181"));
  EXPECT_FALSE(HasType("CNPJ 11.222.333/0001-80", "cnpj"));
  EXPECT_FALSE(HasType("CNPJ 11.222.333/0002-81", "cnpj"));
  EXPECT_FALSE(HasType("CNPJ 00.000.000/0000-00", "cnpj"));
  EXPECT_TRUE(Has("novo CNPJ 12.ABC.345/01DE-35", "cnpj", "12.ABC.345/01DE-35"));
  EXPECT_TRUE(Has("inscrita sob A1.B2C.3D4/0001-93", "cnpj", "A1.B2C.3D4/0001-93"));
  EXPECT_TRUE(Has("CNPJ 12ABC34501DE35", "cnpj", "12ABC34501DE35"));
  EXPECT_FALSE(HasType("CNPJ 12.ABC.345/01DE-36", "cnpj"));
  EXPECT_FALSE(HasType("CNPJ 12.ABC.345/01DE-3A", "cnpj"));
  // Bare alphanumeric tokens need the word CNPJ (lot numbers collide).
  EXPECT_FALSE(HasType("lote 12ABC34501DE35", "cnpj"));
}

TEST(Detector, Cns) {
  for (const char* v :
       {"162 9037 6512 0004", "235 0771 2640 0018", "758 1034 6297 1218", "898 0000 0004 3208"}) {
    EXPECT_TRUE(Has(std::string("CNS ") + v, "cns", v)) << v;
  }
  EXPECT_TRUE(Has("cartão SUS 162903765120004", "cns", "162903765120004"));
  for (const char* v : {"162 9037 6512 0005", "312 3456 7890 1234", "123 4567 8901 0109"}) {
    EXPECT_FALSE(HasType(std::string("CNS ") + v, "cns")) << v;
  }
}

TEST(Detector, TituloPisRg) {
  EXPECT_TRUE(Has("título de eleitor 1023 8501 0671", "titulo_eleitor", "1023 8501 0671"));
  EXPECT_TRUE(Has("título 0043 5687 0906", "titulo_eleitor", "0043 5687 0906"));
  EXPECT_TRUE(Has("título 3145 6786 0116", "titulo_eleitor", "3145 6786 0116"));
  EXPECT_FALSE(HasType("título 1023 8501 0672", "titulo_eleitor"));
  EXPECT_FALSE(HasType("título 1023 8501 2971", "titulo_eleitor"));
  EXPECT_FALSE(HasType("título 3145 6786 0108", "titulo_eleitor"));

  EXPECT_TRUE(Has("PIS 120.34567.89-9", "pis", "120.34567.89-9"));
  EXPECT_TRUE(Has("NIS 170.12345.67-3", "pis", "170.12345.67-3"));
  EXPECT_FALSE(HasType("PIS 120.34567.89-0", "pis"));
  EXPECT_FALSE(HasType("PIS 000.00000.00-0", "pis"));

  EXPECT_TRUE(Has("RG 31.203.131-2", "rg", "31.203.131-2"));
  EXPECT_TRUE(Has("RG 27.384.958-X SSP/SP", "rg", "27.384.958-X"));
  EXPECT_TRUE(Has("portador do RG 1.234.567 SSP/DF", "rg", "1.234.567"));
  EXPECT_TRUE(Has("identidade MG-12.345.678", "rg", "MG-12.345.678"));
  EXPECT_TRUE(Has("RG nº 12345678-9 SESP/PR", "rg", "12345678-9"));
  // A non-SP RG is not rejected for failing the SP checksum when the context says RG.
  EXPECT_TRUE(HasType("RG 31.203.131-3", "rg"));
  // Without context a failing SP checksum is no RG.
  EXPECT_FALSE(HasType("valor 31.203.131-3", "rg"));
}

TEST(Detector, ProfessionalRegistrationsAreKeptAsProfessional) {
  for (const char* v :
       {"CRM-SP 123456", "CRM/SP 123.456", "CRM 123456/SP", "CRM-SP nº 123456", "CREMESP 123456"}) {
    auto a = Analyze(std::string("Dr. Paulo Mendes, ") + v);
    ASSERT_TRUE(a);
    bool found = false;
    for (const Detection& d : a->detections) {
      if (d.type == PiiType::kCrm) {
        found = true;
        EXPECT_TRUE(d.professional);
        EXPECT_EQ(d.recommended, Operator::kKeep);
      }
    }
    EXPECT_TRUE(found) << v;
  }
  EXPECT_TRUE(Has("psicóloga CRP 06/123456", "crp", "CRP 06/123456"));
  EXPECT_TRUE(Has("enfermeira COREN-SP 123456-ENF", "coren", "COREN-SP 123456-ENF"));
  // The byline: name + CRM is professional data, kept, and does not raise the risk.
  auto byline = Analyze("Texto revisado por Dra. Ana Lima, CRM-SP 123456, RQE 4567.");
  ASSERT_TRUE(byline);
  ASSERT_EQ(byline->detections.size(), 2u);
  EXPECT_EQ(byline->detections[0].type, PiiType::kPersonName);
  EXPECT_TRUE(byline->detections[0].professional);
  EXPECT_EQ(byline->detections[0].recommended, Operator::kKeep);
  EXPECT_EQ(byline->risk_score, 0);
  EXPECT_FALSE(byline->linked_person);
  // A name directly followed by a registration is a byline even without "Dr.".
  auto plain = Analyze("Ana Paula Lima - CRM-RJ 52.12345-6");
  ASSERT_TRUE(plain);
  ASSERT_FALSE(plain->detections.empty());
  EXPECT_TRUE(plain->detections[0].professional);
}

TEST(Detector, Phones) {
  EXPECT_TRUE(Has("tel +55 11 98765-4321", "phone", "+55 11 98765-4321"));
  EXPECT_TRUE(Has("celular +55 (11) 9 8765-4321", "phone", "+55 (11) 9 8765-4321"));
  EXPECT_TRUE(Has("ligar (11) 98765-4321", "phone", "(11) 98765-4321"));
  EXPECT_TRUE(Has("fone 11 98765-4321", "phone", "11 98765-4321"));
  EXPECT_TRUE(Has("whatsapp 11987654321", "phone", "11987654321"));
  EXPECT_TRUE(Has("telefone 0xx11 98765-4321", "phone", "0xx11 98765-4321"));
  EXPECT_TRUE(Has("(21) 3456-7890", "phone", "(21) 3456-7890"));
  EXPECT_TRUE(Has("contato 98765-4321", "phone", "98765-4321"));
  EXPECT_FALSE(HasType("(20) 98765-4321", "phone"));  // DDD 20
  EXPECT_FALSE(HasType("(11) 8765-4321", "phone"));
  // Non-geographic numbers are not personal.
  EXPECT_FALSE(HasType("ligue 0800 123 4567", "phone"));
  EXPECT_FALSE(HasType("ligue 4004-1234", "phone"));
  // 11 digits: context decides between CPF and phone.
  EXPECT_TRUE(Has("celular 11987654321", "phone", "11987654321"));
  // Clinical numbers are not phones.
  EXPECT_TRUE(Scan("PA 120/80 mmHg, PA 12x8, dose 500/125 mg, acuidade 20/20, Glasgow 15/15, "
                   "1/2 comprimido")
                  .empty());
}

TEST(Detector, EmailCep) {
  EXPECT_TRUE(Has("escreva para fulano@gmail.com.", "email", "fulano@gmail.com"));
  EXPECT_TRUE(
      Has("fulano [arroba] gmail [ponto] com", "email", "fulano [arroba] gmail [ponto] com"));
  EXPECT_TRUE(
      Has("maria.souza(at)uol(dot)com(dot)br", "email", "maria.souza(at)uol(dot)com(dot)br"));
  EXPECT_TRUE(Has("CEP 01310-100", "cep", "01310-100"));
  EXPECT_TRUE(Has("CEP: 01310100", "cep", "01310100"));
  EXPECT_TRUE(Has("CEP 01.310-100", "cep", "01.310-100"));
  // Bare 8 digits without the word CEP collide with dates and lots.
  EXPECT_FALSE(HasType("código 01310100", "cep"));
  EXPECT_FALSE(HasType("lote 01310-100", "cep"));
}

TEST(Detector, BirthDatesNeedACue) {
  EXPECT_TRUE(Has("DN: 12/03/1980", "birth_date", "12/03/1980"));
  EXPECT_TRUE(Has("D.N. 12-03-80", "birth_date", "12-03-80"));
  EXPECT_TRUE(Has("data de nascimento 12.03.1980", "birth_date", "12.03.1980"));
  EXPECT_TRUE(Has("nascido em 12 de março de 1980", "birth_date", "12 de março de 1980"));
  EXPECT_TRUE(Has("nasc. 12/mar/1980", "birth_date", "12/mar/1980"));
  EXPECT_TRUE(Has("nascimento: 1980-03-12", "birth_date", "1980-03-12"));
  EXPECT_FALSE(HasType("internado em 12/03/2020 e alta em 15/03/2020", "birth_date"));
  EXPECT_FALSE(HasType("DN: 31/02/1980", "birth_date"));  // no such day
  EXPECT_FALSE(HasType("DN: 12/13/1980", "birth_date"));  // day/month order
  EXPECT_FALSE(HasType("versão 10.12.2023", "ip_address"));
}

TEST(Detector, Cid10NeedsContextOrDottedForm) {
  EXPECT_TRUE(Has("CID F32.1", "cid10", "F32.1"));
  EXPECT_TRUE(Has("CID-10: J45.9", "cid10", "J45.9"));
  EXPECT_TRUE(Has("CID10 Z00", "cid10", "Z00"));
  EXPECT_TRUE(Has("HD: F321", "cid10", "F321"));
  EXPECT_TRUE(Has("atestado com U07.1", "cid10", "U07.1"));
  EXPECT_TRUE(Has("CID F30-F39", "cid10", "F30"));
  EXPECT_TRUE(Has("CID F30-F39", "cid10", "F39"));
  EXPECT_TRUE(Has("diagnóstico A17.0† G01*", "cid10", "G01"));
  // Tokens that look like codes.
  EXPECT_TRUE(Scan("Use máscara N95. Rifle M16, celular S10, cúpula G20, coenzima Q10, "
                   "vitaminas B12, B6, D3 e K2, hormônios T3 e T4, H1N1, papel A4, COVID-19, "
                   "código E10")
                  .empty());
  EXPECT_FALSE(HasType("HD: J45.9. Use máscara N95", "cid10") &&
               Has("HD: J45.9. Use máscara N95", "cid10", "N95"));
}

TEST(Detector, Cid10IsEscalatedWhenThePersonIsIdentified) {
  auto generic = Analyze("A depressão (CID F32) é comum em adultos.");
  ASSERT_TRUE(generic);
  ASSERT_EQ(generic->detections.size(), 1u);
  EXPECT_EQ(generic->detections[0].category, Category::kSensitive);
  EXPECT_FALSE(generic->detections[0].escalated);
  EXPECT_EQ(generic->detections[0].recommended, Operator::kKeep);
  EXPECT_FALSE(generic->linked_person);

  auto atestado = Analyze("Atesto que a paciente Maria Souza, CPF 529.982.247-25, CID F41.1.");
  ASSERT_TRUE(atestado);
  EXPECT_TRUE(atestado->linked_person);
  bool escalated = false;
  for (const Detection& d : atestado->detections) {
    if (d.type == PiiType::kCid10) {
      escalated = d.escalated;
      EXPECT_EQ(d.recommended, Operator::kReplace);
    }
  }
  EXPECT_TRUE(escalated);
  EXPECT_EQ(atestado->status, RiskStatus::kCritico);
  EXPECT_EQ(atestado->recommendations[0].code, "sensitive_health_data");
}

TEST(Detector, PersonNamesAndTraps) {
  EXPECT_TRUE(Has("paciente Maria da Silva", "person_name", "Maria da Silva"));
  EXPECT_TRUE(
      Has("Sr. João Pereira dos Santos Filho", "person_name", "João Pereira dos Santos Filho"));
  EXPECT_TRUE(Has("a Sra. Lurdes chegou", "person_name", "Lurdes"));
  EXPECT_TRUE(Has("D. Lurdes chegou", "person_name", "Lurdes"));
  EXPECT_TRUE(Has("nome da mãe: Antônia Ferreira", "person_name", "Antônia Ferreira"));
  EXPECT_TRUE(Has("Maria Aparecida Souza relatou dor", "person_name", "Maria Aparecida Souza"));
  EXPECT_TRUE(Has("pcte José Carlos Júnior", "person_name", "José Carlos Júnior"));
  // Traps: eponyms, places, possessives, religion, history, the internet.
  EXPECT_TRUE(Scan("Doença de Chagas, doença de Parkinson, síndrome de Down, síndrome de "
                   "Guillain-Barré, sinal de Murphy, manobra de Valsalva, escala de Glasgow, "
                   "teste de Papanicolau, Apgar.")
                  .empty());
  EXPECT_TRUE(Scan("Hospital Albert Einstein, Instituto Oswaldo Cruz, Rua Dr. Arnaldo.").empty());
  EXPECT_TRUE(Scan("Converse com seu médico. Ela é dona de casa. Louvado seja o Senhor.").empty());
  EXPECT_TRUE(Scan("D. Pedro II fundou a faculdade. Não confie no Dr. Google.").empty());
}

TEST(Detector, CardsIpsPlates) {
  EXPECT_TRUE(Has("cartão de crédito 4111 1111 1111 1111", "credit_card", "4111 1111 1111 1111"));
  EXPECT_TRUE(Has("cartão 5555 5555 5555 4444", "credit_card", "5555 5555 5555 4444"));
  EXPECT_FALSE(HasType("cartão 4111 1111 1111 1112", "credit_card"));
  EXPECT_FALSE(HasType("cartão 1234 5678 9012 3456", "credit_card"));

  EXPECT_TRUE(Has("acesso do IP 189.45.12.7", "ip_address", "189.45.12.7"));
  EXPECT_TRUE(Has("IPv6 2804:14c::1 no log", "ip_address", "2804:14c::1"));
  EXPECT_FALSE(HasType("versão v1.2.3.4", "ip_address"));
  EXPECT_FALSE(HasType("ver seção 3.2.1.4", "ip_address"));
  EXPECT_FALSE(HasType("em 10.12.2023", "ip_address"));
  EXPECT_FALSE(HasType("registro Anvisa 1.0043.0521.001-1", "ip_address"));
  EXPECT_FALSE(HasType("às 10:30:15", "ip_address"));

  EXPECT_TRUE(Has("placa ABC-1234", "license_plate", "ABC-1234"));
  EXPECT_TRUE(Has("veículo de placa ABC1C34", "license_plate", "ABC1C34"));
  EXPECT_FALSE(HasType("registro CRM-1234 e RQE-1234", "license_plate"));
  EXPECT_FALSE(HasType("a sigla COV-2019", "license_plate"));
}

TEST(Detector, ElevenDigitCollisionsFollowContext) {
  // 52998224725 is a valid CPF; 12034567899 a valid PIS; 11987654321 a mobile.
  EXPECT_TRUE(Has("CPF 52998224725", "cpf", "52998224725"));
  EXPECT_TRUE(Has("PIS 12034567899", "pis", "12034567899"));
  EXPECT_TRUE(Has("cel 11987654321", "phone", "11987654321"));
  // The widely used fake 123.456.789-09 is valid but scored down.
  auto fake = Analyze("exemplo 123.456.789-09");
  ASSERT_TRUE(fake);
  for (const Detection& d : fake->detections) EXPECT_LT(d.confidence, 0.9);
}

TEST(Detector, OffsetsAreCodePointsEndExclusive) {
  const std::string text = "Paciente José Ávila — CPF 529.982.247-25 ☕";
  auto a = Analyze(text);
  ASSERT_TRUE(a);
  ASSERT_EQ(a->detections.size(), 2u);
  const Detection& name = a->detections[0];
  EXPECT_EQ(name.type, PiiType::kPersonName);
  EXPECT_EQ(name.start, 9);
  EXPECT_EQ(name.end, 19);  // "José Ávila" is 10 code points, 12 bytes
  EXPECT_EQ(name.byte_end - name.byte_start, 12);
  const Detection& cpf = a->detections[1];
  EXPECT_EQ(cpf.start, 26);
  EXPECT_EQ(cpf.end, 40);
  EXPECT_EQ(a->code_points, 42);
}

TEST(Detector, InvalidUtf8IsAnErrorNotACrash) {
  for (std::string bad : {std::string("CPF \xC3"), std::string("\xFF\xFE"),
                          std::string("\xED\xA0\x80"),         // surrogate
                          std::string("\xC0\xAF"),             // overlong
                          std::string("\xF4\x90\x80\x80")}) {  // above U+10FFFF
    auto a = Analyze(bad);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code(), "invalid_utf8");
    EXPECT_EQ(a.error().kind(), ErrorKind::kInvalidArgument);
  }
  EXPECT_TRUE(Analyze(""));
  EXPECT_TRUE(Analyze(std::string("a\0b", 3)));
}

TEST(Detector, OptionsFilterTypesAndConfidence) {
  const std::string text = "Paciente Maria Souza, CPF 529.982.247-25, tel (11) 98765-4321";
  auto only = Analyze(text, {.types = {PiiType::kPhone}});
  ASSERT_TRUE(only);
  ASSERT_EQ(only->detections.size(), 1u);
  EXPECT_EQ(only->detections[0].type, PiiType::kPhone);
  auto strict = Analyze("ref 52998224725", {.min_confidence = 0.99});
  ASSERT_TRUE(strict);
  EXPECT_TRUE(strict->detections.empty());
}

TEST(Detector, RiskStatusFollowsSeedThresholds) {
  EXPECT_EQ(StatusForScore(0), RiskStatus::kBaixoRisco);
  EXPECT_EQ(StatusForScore(20), RiskStatus::kBaixoRisco);
  EXPECT_EQ(StatusForScore(21), RiskStatus::kMedioRisco);
  EXPECT_EQ(StatusForScore(50), RiskStatus::kMedioRisco);
  EXPECT_EQ(StatusForScore(51), RiskStatus::kAltoRisco);
  EXPECT_EQ(StatusForScore(80), RiskStatus::kAltoRisco);
  EXPECT_EQ(StatusForScore(81), RiskStatus::kCritico);
  auto clean = Analyze("A hipertensão arterial afeta 30% dos adultos brasileiros.");
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->risk_score, 0);
  EXPECT_EQ(RiskStatusName(clean->status), "baixo_risco");
  ASSERT_EQ(clean->recommendations.size(), 1u);
  EXPECT_EQ(clean->recommendations[0].code, "no_personal_data");
  auto cpf = Analyze("Verificar o CPF 529.982.247-25 do titular.");
  ASSERT_TRUE(cpf);
  EXPECT_EQ(cpf->status, RiskStatus::kMedioRisco);
  EXPECT_EQ(cpf->recommendations[0].pt.rfind("Verificar consentimento explícito", 0), 0u);
}

TEST(Detector, JsonCarriesNoMatchedText) {
  auto a = Analyze("CPF 529.982.247-25");
  ASSERT_TRUE(a);
  const std::string json = AnalysisToJson(*a).dump();
  EXPECT_EQ(json.find("529"), std::string::npos);
  EXPECT_NE(json.find("\"status\":\"medio_risco\""), std::string::npos);
  EXPECT_NE(json.find("\"type\":\"cpf\""), std::string::npos);
}

// Robustness: random bytes and adversarial long inputs never crash, and every
// answer honours the offset contract (sorted, non-overlapping, inside the text).
void CheckContract(std::string_view text, const Analysis& a) {
  int64_t prev_end = 0, counted_bytes = 0, counted_cps = 0;
  for (const Detection& d : a.detections) {
    EXPECT_LE(prev_end, d.start);
    EXPECT_LT(d.start, d.end);
    EXPECT_LE(d.end, a.code_points);
    EXPECT_LE(d.byte_end, static_cast<int64_t>(text.size()));
    ASSERT_GE(d.byte_start, counted_bytes);
    counted_cps += CountCodePoints(text.substr(counted_bytes, d.byte_start - counted_bytes));
    counted_bytes = d.byte_start;
    EXPECT_EQ(counted_cps, d.start);
    EXPECT_GE(d.confidence, 0.0);
    EXPECT_LE(d.confidence, 1.0);
    prev_end = d.end;
  }
  EXPECT_GE(a.risk_score, 0);
  EXPECT_LE(a.risk_score, 100);
}

TEST(DetectorFuzz, RandomBytes) {
  std::mt19937 rng(20261124);
  std::uniform_int_distribution<int> len(0, 400), byte(0, 255);
  int valid = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string s(len(rng), '\0');
    for (char& c : s) c = static_cast<char>(byte(rng));
    auto a = Analyze(s);
    if (a) {
      ++valid;
      CheckContract(s, *a);
    } else {
      EXPECT_EQ(a.error().code(), "invalid_utf8");
    }
  }
  EXPECT_GT(valid, 0);
}

TEST(DetectorFuzz, RandomTokensFromTheAlphabetOfPersonalData) {
  // Valid UTF-8 built from the characters personal data is made of, so candidates,
  // separators and context words collide as often as possible.
  const std::vector<std::string> pieces = {"0",
                                           "1",
                                           "5",
                                           "9",
                                           ".",
                                           "-",
                                           "/",
                                           " ",
                                           "(",
                                           ")",
                                           "+55",
                                           "@",
                                           "CPF ",
                                           "RG ",
                                           "CID ",
                                           "DN: ",
                                           "paciente ",
                                           "Dr. ",
                                           "Maria ",
                                           "Silva",
                                           "ção",
                                           "\xC2\xA0",
                                           "\xE2\x80\x93",
                                           "A",
                                           "Z",
                                           "x",
                                           ":",
                                           "::",
                                           "[arroba]",
                                           "CRM-SP ",
                                           "placa ",
                                           "\n",
                                           "529.982.247-25"};
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(1, 300);
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += pieces[pick(rng)];
    auto a = Analyze(s);
    ASSERT_TRUE(a) << a.error().ToLogString();
    CheckContract(s, *a);
  }
}

TEST(DetectorFuzz, LongAdversarialInputsFinish) {
  // Long runs that every pattern family would love to extend: digits, dotted digits,
  // e-mail-like text, capitalised words after a cue, colons, separators.
  const std::vector<std::string> units = {"1",        "1.", "a.",        "a@",      "Maria ",
                                          "1:",       "A1", "paciente ", "CPF 1 ",  "12/",
                                          "\xC3\xA9", " ",  "1-",        "Sr. Ab ", "a"};
  for (const std::string& u : units) {
    std::string s;
    while (s.size() < (1u << 20)) s += u;  // 1 MiB
    auto a = Analyze(s);
    ASSERT_TRUE(a) << u;
    CheckContract(s, *a);
  }
  // A real-looking document repeated to 4 MiB.
  std::string doc;
  const std::string para =
      "Paciente Maria da Silva, CPF 529.982.247-25, DN 12/03/1980, tel (11) 98765-4321, "
      "e-mail maria@exemplo.com.br, CID F32.1. Dra. Ana Lima, CRM-SP 123456.\n";
  while (doc.size() < (4u << 20)) doc += para;
  auto a = Analyze(doc);
  ASSERT_TRUE(a);
  EXPECT_GT(a->detections.size(), 1000u);
  EXPECT_EQ(a->risk_score, 100);
}

TEST(DetectorThreads, ConcurrentAnalyzeIsSafe) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto a = Analyze("Paciente Maria Souza, CPF 529.982.247-25");
        if (a && a->detections.size() == 2) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 800);
}

}  // namespace
}  // namespace hcms::lgpd

namespace hcms::lgpd {
namespace {

TEST(DetectorBuild, EmbeddedDatabaseMatchesThePatternTable) {
  const std::string_view db = internal::EmbeddedDatabase();
  ASSERT_GT(db.size(), 1000u);
  uint64_t fingerprint = 0;
  std::memcpy(&fingerprint, db.data(), sizeof fingerprint);
  EXPECT_EQ(fingerprint, internal::PatternFingerprint());
  // The run-time compile path (used when the embedded copy does not fit the CPU).
  hs_database_t* compiled = nullptr;
  std::string error;
  ASSERT_TRUE(internal::CompilePatterns(&compiled, &error)) << error;
  hs_free_database(compiled);
}

}  // namespace
}  // namespace hcms::lgpd
