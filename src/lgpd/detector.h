// Personal-data detector for Brazilian Portuguese text (LGPD, S.1.1 of the pipeline).
//
// One pass of Vectorscan/Hyperscan over the UTF-8 text finds candidates for every
// type and the context words around them; validators (check digits, calendars, DDD
// tables, CID-10 chapters) then keep, score or drop each candidate, and overlapping
// candidates are resolved by score. Everything is linear in the input: patterns are
// bounded, and each candidate costs a bounded amount of work.
//
//   HCMS_TRY(lgpd::Analysis a, lgpd::Analyze("Paciente Maria Souza, CPF 529.982.247-25"));
//   for (const lgpd::Detection& d : a.detections)
//     fmt::print("{} [{}, {}) {:.2f}\n", lgpd::PiiTypeName(d.type), d.start, d.end, d.confidence);
//   // a.status == "alto_risco", a.risk_score == 64, a.recommendations in pt-BR
//
// Offsets are Unicode code points (end exclusive), as editors and JavaScript count
// them after decoding; byte offsets are kept alongside for callers that edit the
// UTF-8 text. Invalid UTF-8 is rejected with kInvalidArgument "invalid_utf8".
//
// Thread safety: a Detector is immutable after Create and safe to share; Analyze may
// run concurrently on any number of threads. DefaultDetector() is built once, on
// first use, and lives for the whole process.
//
// Specification and sources: docs/lgpd.md, ../shared/research/pii-spec.md.

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace hcms::lgpd {

// The detector's vocabulary. Names (PiiTypeName) are stable API strings.
enum class PiiType {
  kCpf,
  kCnpj,  // numeric and the 2026 alphanumeric form
  kCns,   // Cartão Nacional de Saúde
  kRg,
  kTituloEleitor,
  kPis,  // PIS/PASEP/NIS/NIT
  kCrm,
  kCrp,
  kCoren,
  kPhone,
  kEmail,
  kCep,
  kBirthDate,
  kCid10,
  kPersonName,
  kCreditCard,
  kIpAddress,
  kLicensePlate,
};
inline constexpr int kPiiTypeCount = 18;

// "cpf", "cnpj", "cns", "rg", "titulo_eleitor", "pis", "crm", "crp", "coren", "phone",
// "email", "cep", "birth_date", "cid10", "person_name", "credit_card", "ip_address",
// "license_plate".
std::string_view PiiTypeName(PiiType type);
std::optional<PiiType> ParsePiiType(std::string_view name);
// All types, in enum order.
const std::vector<PiiType>& AllPiiTypes();
// True for the types whose validity is decided by check digits.
bool HasCheckDigits(PiiType type);

// LGPD Art. 5: I (dado pessoal) or II (dado pessoal sensível).
enum class Category { kPersonal, kSensitive };
std::string_view CategoryName(Category c);  // "personal" | "sensitive"

// Anonymisation operators (see anonymizer.h). kKeep means "leave as is".
enum class Operator { kKeep, kRedact, kMask, kReplace, kPseudonymize, kEncrypt };
std::string_view OperatorName(Operator op);  // "keep", "redact", "mask", "replace", ...
std::optional<Operator> ParseOperator(std::string_view name);

struct Detection {
  PiiType type = PiiType::kCpf;
  // Unicode code points, end exclusive.
  int64_t start = 0;
  int64_t end = 0;
  // Bytes of the UTF-8 input, end exclusive.
  int64_t byte_start = 0;
  int64_t byte_end = 0;
  double confidence = 0;  // 0..1
  Category category = Category::kPersonal;
  Operator recommended = Operator::kReplace;
  // Check digits (or the calendar, DDD table, CID-10 chapter) confirmed the value.
  bool validated = false;
  // Professional data: a health professional's registration or name (the byline that
  // Res. CFM 2.336/2023 requires). Reported, kept by default.
  bool professional = false;
  // Health data escalated to sensitive because the document identifies a person.
  bool escalated = false;
};

// Document risk levels of the S.1.1 analyzer (seed 004): 0-20, 21-50, 51-80, 81-100.
enum class RiskStatus { kBaixoRisco, kMedioRisco, kAltoRisco, kCritico };
std::string_view RiskStatusName(RiskStatus s);  // "baixo_risco", ...
RiskStatus StatusForScore(int score);

struct Recommendation {
  std::string code;  // stable: "cpf_present", "patient_identified", ...
  std::string pt;    // pt-BR
  std::string en;
};

struct Analysis {
  std::vector<Detection> detections;  // ordered by start, never overlapping
  int risk_score = 0;                 // 0..100
  RiskStatus status = RiskStatus::kBaixoRisco;
  // The document identifies a natural person (any non-professional direct identifier).
  bool linked_person = false;
  std::vector<Recommendation> recommendations;
  int64_t code_points = 0;  // length of the input in code points
};

struct AnalyzeOptions {
  // Detections below this confidence are dropped.
  double min_confidence = 0.5;
  // Restrict to these types; empty = all.
  std::vector<PiiType> types;
};

class Detector {
 public:
  // Compiles the pattern database. kInternal if Vectorscan refuses it (a bug).
  static Result<std::unique_ptr<Detector>> Create();
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // kInvalidArgument "invalid_utf8" (detail names the byte offset), kTooLarge
  // "text_too_large" above 2 GiB.
  Result<Analysis> Analyze(std::string_view utf8, const AnalyzeOptions& options = {}) const;

  struct Impl;

 private:
  explicit Detector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The process-wide detector, compiled on first use (about 50 ms). Thread-safe.
const Detector& DefaultDetector();

// DefaultDetector().Analyze(utf8, options).
Result<Analysis> Analyze(std::string_view utf8, const AnalyzeOptions& options = {});

}  // namespace hcms::lgpd
