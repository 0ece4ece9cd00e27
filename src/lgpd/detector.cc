#include "lgpd/detector.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <map>
#include <mutex>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <hs.h>

#include "lgpd/compiled_db.h"
#include "lgpd/patterns.h"
#include "lgpd/risk.h"
#include "lgpd/utf8.h"
#include "lgpd/validators.h"

namespace hcms::lgpd {

using internal::Bit;
using internal::Ctx;
using internal::Kind;

// ---------------------------------------------------------------------------
// Names of the vocabulary.

namespace {

constexpr std::array<std::string_view, kPiiTypeCount> kTypeNames = {
    "cpf",        "cnpj",  "cns",         "rg",          "titulo_eleitor", "pis",
    "crm",        "crp",   "coren",       "phone",       "email",          "cep",
    "birth_date", "cid10", "person_name", "credit_card", "ip_address",     "license_plate"};

}  // namespace

std::string_view PiiTypeName(PiiType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<PiiType> ParsePiiType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<PiiType>(i);
  }
  return std::nullopt;
}

const std::vector<PiiType>& AllPiiTypes() {
  static const std::vector<PiiType> all = [] {
    std::vector<PiiType> v;
    for (int i = 0; i < kPiiTypeCount; ++i) v.push_back(static_cast<PiiType>(i));
    return v;
  }();
  return all;
}

bool HasCheckDigits(PiiType t) {
  switch (t) {
    case PiiType::kCpf:
    case PiiType::kCnpj:
    case PiiType::kCns:
    case PiiType::kTituloEleitor:
    case PiiType::kPis:
    case PiiType::kCreditCard:
      return true;
    default:
      return false;
  }
}

std::string_view CategoryName(Category c) {
  return c == Category::kSensitive ? "sensitive" : "personal";
}

namespace {
constexpr std::array<std::string_view, 6> kOperatorNames = {"keep",    "redact",       "mask",
                                                            "replace", "pseudonymize", "encrypt"};
}

std::string_view OperatorName(Operator op) { return kOperatorNames[static_cast<size_t>(op)]; }

std::optional<Operator> ParseOperator(std::string_view name) {
  for (size_t i = 0; i < kOperatorNames.size(); ++i) {
    if (kOperatorNames[i] == name) return static_cast<Operator>(i);
  }
  return std::nullopt;
}

std::string_view RiskStatusName(RiskStatus s) {
  switch (s) {
    case RiskStatus::kBaixoRisco:
      return "baixo_risco";
    case RiskStatus::kMedioRisco:
      return "medio_risco";
    case RiskStatus::kAltoRisco:
      return "alto_risco";
    case RiskStatus::kCritico:
      return "critico";
  }
  return "critico";
}

RiskStatus StatusForScore(int score) {
  if (score <= 20) return RiskStatus::kBaixoRisco;
  if (score <= 50) return RiskStatus::kMedioRisco;
  if (score <= 80) return RiskStatus::kAltoRisco;
  return RiskStatus::kCritico;
}

// ---------------------------------------------------------------------------
// The compiled database and its scratch spaces.

struct Detector::Impl {
  hs_database_t* db = nullptr;
  hs_scratch_t* prototype = nullptr;
  std::vector<internal::Pattern> patterns;
  mutable std::mutex mu;
  mutable std::vector<hs_scratch_t*> free_scratch;  // guarded by mu

  ~Impl() {
    for (hs_scratch_t* s : free_scratch) hs_free_scratch(s);
    if (prototype != nullptr) hs_free_scratch(prototype);
    if (db != nullptr) hs_free_database(db);
  }

  hs_scratch_t* AcquireScratch() const {
    {
      std::lock_guard lock(mu);
      if (!free_scratch.empty()) {
        hs_scratch_t* s = free_scratch.back();
        free_scratch.pop_back();
        return s;
      }
    }
    hs_scratch_t* s = nullptr;
    if (hs_clone_scratch(prototype, &s) != HS_SUCCESS) return nullptr;
    return s;
  }
  void ReleaseScratch(hs_scratch_t* s) const {
    std::lock_guard lock(mu);
    free_scratch.push_back(s);
  }
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::~Detector() = default;

Result<std::unique_ptr<Detector>> Detector::Create() {
  auto impl = std::make_unique<Impl>();
  impl->patterns = internal::Patterns();
  // The database serialized at build time, if it was built from this very table and
  // fits this CPU; otherwise compile now.
  const std::string_view embedded = internal::EmbeddedDatabase();
  uint64_t fingerprint = 0;
  if (embedded.size() > sizeof fingerprint) {
    std::memcpy(&fingerprint, embedded.data(), sizeof fingerprint);
    if (fingerprint != internal::PatternFingerprint() ||
        hs_deserialize_database(embedded.data() + sizeof fingerprint,
                                embedded.size() - sizeof fingerprint, &impl->db) != HS_SUCCESS) {
      impl->db = nullptr;
    }
  }
  if (impl->db == nullptr) {
    std::string error;
    if (!internal::CompilePatterns(&impl->db, &error)) return Internal(error);
  }
  if (hs_alloc_scratch(impl->db, &impl->prototype) != HS_SUCCESS) {
    return Internal("vectorscan scratch allocation failed");
  }
  return std::unique_ptr<Detector>(new Detector(std::move(impl)));
}

const Detector& DefaultDetector() {
  static const std::unique_ptr<Detector> detector = [] {
    auto d = Detector::Create();
    if (!d) throw std::logic_error(d.error().ToLogString());
    return std::move(*d);
  }();
  return *detector;
}

Result<Analysis> Analyze(std::string_view utf8, const AnalyzeOptions& options) {
  return DefaultDetector().Analyze(utf8, options);
}

// ---------------------------------------------------------------------------
// Scanning.

namespace {

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiAlnum(unsigned char c) { return IsDigit(c) || IsAsciiAlpha(c); }
bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

struct RawMatch {
  uint32_t from;
  uint32_t to;
  Kind kind;
};

struct ContextHit {
  uint32_t from;
  uint32_t to;
  Ctx ctx;
};

struct ScanState {
  std::string_view text;
  const std::vector<internal::Pattern>* patterns;
  std::vector<RawMatch> matches;
  std::vector<ContextHit> context;
};

unsigned char At(std::string_view t, size_t i) { return static_cast<unsigned char>(t[i]); }

// A number must not continue on either side ("1529.982.247-25", "529.982.247-251").
bool NumericBoundaries(std::string_view t, size_t from, size_t to) {
  if (from > 0) {
    const unsigned char p = At(t, from - 1);
    if (IsAsciiAlnum(p)) return false;
    if ((p == '.' || p == '-' || p == '/' || p == ',') && from > 1 && IsDigit(At(t, from - 2)))
      return false;
  }
  if (to < t.size()) {
    const unsigned char n = At(t, to);
    if (IsAsciiAlnum(n)) return false;
    if ((n == '.' || n == '-' || n == '/' || n == ',') && to + 1 < t.size() &&
        IsDigit(At(t, to + 1)))
      return false;
  }
  return true;
}

bool WordBoundaries(std::string_view t, size_t from, size_t to) {
  if (from > 0 && IsAsciiAlnum(At(t, from - 1))) return false;
  if (to < t.size() && IsAsciiAlnum(At(t, to))) return false;
  return true;
}

bool EmailChar(unsigned char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool BoundariesOk(Kind k, std::string_view t, size_t from, size_t to) {
  switch (k) {
    case Kind::kEmail:
      if (from > 0 && EmailChar(At(t, from - 1))) return false;
      if (to < t.size()) {
        const unsigned char n = At(t, to);
        if (IsAsciiAlnum(n) || n == '-' || n == '_') return false;
        if (n == '.' && to + 1 < t.size() && IsAsciiAlnum(At(t, to + 1))) return false;
      }
      return true;
    case Kind::kEmailObfuscated:
      return WordBoundaries(t, from, to);
    case Kind::kCid:
      if (!WordBoundaries(t, from, to)) return false;
      if (from > 0 && At(t, from - 1) == '-') {
        // "COVID-19" is no code; "F30-F39" is a range (letter before the dash).
        if (from < 2 || !IsDigit(At(t, from - 2))) return false;
      }
      if (to + 1 < t.size() && At(t, to) == '.' && IsDigit(At(t, to + 1))) return false;
      return true;
    case Kind::kCrm:
    case Kind::kCrp:
    case Kind::kCoren:
    case Kind::kRgCue:
    case Kind::kCepCue:
      return WordBoundaries(t, from, to) && !(to < t.size() && IsDigit(At(t, to)));
    case Kind::kPlateOld:
    case Kind::kPlateMercosul:
    case Kind::kCnpjAlnum:
      return WordBoundaries(t, from, to) &&
             !(to + 1 < t.size() && (At(t, to) == '-' || At(t, to) == '.') &&
               IsDigit(At(t, to + 1)));
    case Kind::kIpv6:
      if (from > 0 && (IsAsciiAlnum(At(t, from - 1)) || At(t, from - 1) == ':')) return false;
      if (to < t.size() && (IsAsciiAlnum(At(t, to)) || At(t, to) == ':')) return false;
      return true;
    case Kind::kGazetteerName:
      return true;
    case Kind::kDateLong:
      return NumericBoundaries(t, from, to);
    default:
      return NumericBoundaries(t, from, to);
  }
}

int OnMatch(unsigned int id, unsigned long long from, unsigned long long to, unsigned int,
            void* ctx) {
  auto* st = static_cast<ScanState*>(ctx);
  const internal::Pattern& p = (*st->patterns)[id];
  if (p.is_context) {
    st->context.push_back(
        {static_cast<uint32_t>(from), static_cast<uint32_t>(to), static_cast<Ctx>(p.kind)});
    return 0;
  }
  const auto k = static_cast<Kind>(p.kind);
  if (!BoundariesOk(k, st->text, from, to)) return 0;
  st->matches.push_back({static_cast<uint32_t>(from), static_cast<uint32_t>(to), k});
  return 0;
}

// ---------------------------------------------------------------------------
// Evaluation: validators and context scoring.

struct Candidate {
  PiiType type;
  uint32_t b;
  uint32_t e;
  double score;
  bool validated = false;
  bool professional = false;
  int priority = 0;  // tie-break: higher wins
};

class Evaluator {
 public:
  Evaluator(std::string_view text, std::vector<ContextHit> hits)
      : t_(text), hits_(std::move(hits)) {
    std::sort(hits_.begin(), hits_.end(),
              [](const ContextHit& a, const ContextHit& b) { return a.from < b.from; });
  }

  void Evaluate(const RawMatch& m, std::vector<Candidate>& out);
  void ExtractCueNames(std::vector<Candidate>& out);

 private:
  // Start of the window of `tokens` words before `pos` (at most 100 bytes).
  // Stops at the end of the previous sentence: "HD: J45.9. Use máscara N95" gives N95
  // no diagnosis context.
  size_t WindowStart(size_t pos, int tokens) const {
    const size_t lim = pos > 100 ? pos - 100 : 0;
    size_t i = pos;
    for (int n = 0; n < tokens && i > lim; ++n) {
      size_t tok_end = i;
      while (tok_end > lim && IsSpace(At(t_, tok_end - 1))) --tok_end;
      size_t tok_start = tok_end;
      while (tok_start > lim && !IsSpace(At(t_, tok_start - 1))) --tok_start;
      if (n > 0 && EndsSentence(t_.substr(tok_start, tok_end - tok_start))) break;
      i = tok_start;
    }
    return i;
  }
  // "máscara." or "J45.9." end a sentence; "nasc.", "D.N.", "Sr." do not.
  static bool EndsSentence(std::string_view tok) {
    if (tok.size() < 2) return false;
    const char last = tok.back();
    if (last == '!' || last == '?') return true;
    if (last != '.') return false;
    if (IsDigit(static_cast<unsigned char>(tok[tok.size() - 2]))) return true;
    // Inner dots make an abbreviation ("D.N.", "C.P.F."); the sentence ends after a word.
    if (tok.substr(0, tok.size() - 1).find('.') != std::string_view::npos) return false;
    return tok.size() - 1 >= 5;
  }
  size_t WindowEnd(size_t pos, int tokens) const {
    const size_t lim = std::min(t_.size(), pos + 60);
    size_t i = pos;
    for (int n = 0; n < tokens && i < lim; ++n) {
      while (i < lim && IsSpace(At(t_, i))) ++i;
      while (i < lim && !IsSpace(At(t_, i))) ++i;
    }
    return i;
  }
  // Context classes found in [from, to) (hits wholly inside).
  uint32_t MaskIn(size_t from, size_t to) const {
    uint32_t mask = 0;
    auto it = std::lower_bound(hits_.begin(), hits_.end(), from,
                               [](const ContextHit& h, size_t v) { return h.from < v; });
    for (; it != hits_.end() && it->from < to; ++it) {
      if (it->to <= to) mask |= Bit(it->ctx);
    }
    return mask;
  }
  uint32_t Before(size_t pos, int tokens = 5) const {
    return MaskIn(WindowStart(pos, tokens), pos);
  }
  uint32_t After(size_t pos, int tokens = 2) const { return MaskIn(pos, WindowEnd(pos, tokens)); }

  // Presidio-style: a context word raises the score; negative words lower it.
  static double Score(double base, uint32_t mask, Ctx positive, double boost = 0.35) {
    double s = base;
    if ((mask & Bit(positive)) != 0) s = std::max(s + boost, 0.4);
    if ((mask & Bit(Ctx::kNegative)) != 0 && (mask & Bit(positive)) == 0) s -= 0.35;
    return std::clamp(s, 0.0, 1.0);
  }

  std::string_view Span(const RawMatch& m) const { return t_.substr(m.from, m.to - m.from); }
  bool ExtractName(size_t pos, bool require_two_words, uint32_t* name_end,
                   bool* roman_suffix) const;
  bool InstitutionBefore(size_t pos) const {
    return (MaskIn(WindowStart(pos, 2), pos) & Bit(Ctx::kInstitution)) != 0;
  }

  std::string_view t_;
  std::vector<ContextHit> hits_;
};

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool IsSequentialFake(std::string_view digits) {
  return digits == "12345678909" || digits == "01234567890" || digits == "98765432100" ||
         digits == "12345678900";
}

// Parses up to `n` digits at s[*i]; false if none.
bool ReadInt(std::string_view s, size_t* i, int max_digits, int* out) {
  int v = 0, n = 0;
  while (*i < s.size() && n < max_digits && IsDigit(At(s, *i))) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  *out = v;
  return n > 0;
}

int MonthFromName(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"};
  std::string lower;
  for (size_t i = 0; i < s.size() && lower.size() < 3; ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    lower.push_back(c);
  }
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == lower) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool DateValid(Kind k, std::string_view s) {
  size_t i = 0;
  int d = 0, m = 0, y = 0;
  if (k == Kind::kDateIso) {
    if (!ReadInt(s, &i, 4, &y)) return false;
    ++i;
    if (!ReadInt(s, &i, 2, &m)) return false;
    ++i;
    if (!ReadInt(s, &i, 2, &d)) return false;
    return PlausibleDate(d, m, y);
  }
  if (!ReadInt(s, &i, 2, &d)) return false;
  if (k == Kind::kDateNumeric) {
    const char sep = s[i];
    ++i;
    if (!ReadInt(s, &i, 2, &m)) return false;
    if (i >= s.size() || s[i] != sep) return false;  // 12/03-1980 is no date
    ++i;
    if (!ReadInt(s, &i, 4, &y)) return false;
    return PlausibleDate(d, m, y);
  }
  // "12 de março de 1980" or "12/mar/1980": the month word, then the year at the end.
  size_t j = i;
  while (j < s.size() && !IsAsciiAlpha(At(s, j))) ++j;
  if (s.substr(j, 3) == "de " || s.substr(j, 3) == "De " || s.substr(j, 3) == "DE ") {
    j += 3;
    while (j < s.size() && IsSpace(At(s, j))) ++j;
  }
  m = MonthFromName(s.substr(j));
  size_t k2 = s.size();
  while (k2 > 0 && IsDigit(At(s, k2 - 1))) --k2;
  size_t yi = k2;
  if (!ReadInt(s, &yi, 4, &y)) return false;
  return PlausibleDate(d, m, y);
}

// Upper-case letter (ASCII or Latin-1 in UTF-8) at t[i]; returns its byte length or 0.
size_t UpperAt(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  const unsigned char c = At(t, i);
  if (c >= 'A' && c <= 'Z') return 1;
  if (c == 0xC3 && i + 1 < t.size()) {
    const unsigned char b = At(t, i + 1);
    if (b >= 0x80 && b <= 0x9E && b != 0x97) return 2;
  }
  return 0;
}
// Lower-case letter; returns its byte length or 0.
size_t LowerAt(std::string_view t, size_t i) {
  if (i >= t.size()) return 0;
  const unsigned char c = At(t, i);
  if (c >= 'a' && c <= 'z') return 1;
  if (c == 0xC3 && i + 1 < t.size()) {
    const unsigned char b = At(t, i + 1);
    if (b >= 0x9F && b <= 0xBF && b != 0xB7) return 2;
  }
  return 0;
}

bool IsStopWord(std::string_view w) {
  static constexpr std::array<std::string_view, 72> kStop = {
      "O",      "A",        "Os",       "As",     "Um",      "Uma",     "Ele",     "Ela",
      "Eles",   "Elas",     "Em",       "No",     "Na",      "Nos",     "Nas",     "Com",
      "Para",   "Por",      "De",       "Da",     "Do",      "Que",     "Se",      "Foi",
      "Não",    "Sim",      "Após",     "Hoje",   "Ontem",   "Segundo", "Este",    "Esta",
      "Esse",   "Essa",     "Isso",     "Seu",    "Sua",     "Quando",  "Como",    "Mas",
      "Também", "Ao",       "Aos",      "Pela",   "Pelo",    "Entre",   "Sobre",   "Sem",
      "Há",     "Mais",     "Muito",    "Todos",  "Todas",   "Cada",    "Nenhum",  "Qual",
      "Google", "Internet", "Paciente", "Doutor", "Doutora", "Senhor",  "Senhora", "Deus",
      "Dr",     "Dra",      "Sr",       "Sra",    "Prof",    "Profa",   "Srta",    "Enf"};
  return std::find(kStop.begin(), kStop.end(), w) != kStop.end();
}

bool IsParticle(std::string_view w) {
  return w == "da" || w == "de" || w == "do" || w == "das" || w == "dos" || w == "e" || w == "di" ||
         w == "van" || w == "von";
}

bool IsRomanNumeral(std::string_view w) {
  return w == "I" || w == "II" || w == "III" || w == "IV" || w == "V" || w == "VI" || w == "VII" ||
         w == "VIII";
}

bool Evaluator::ExtractName(size_t pos, bool require_two_words, uint32_t* name_end,
                            bool* roman_suffix) const {
  // Skip what separates a cue from the name: spaces, ':' and ','.
  size_t i = pos;
  const size_t lim = std::min(t_.size(), pos + 120);
  while (i < lim &&
         (At(t_, i) == ' ' || At(t_, i) == '\t' || At(t_, i) == ':' || At(t_, i) == ',' ||
          (At(t_, i) == 0xC2 && i + 1 < t_.size() && At(t_, i + 1) == 0xA0))) {
    i += At(t_, i) == 0xC2 ? 2 : 1;
  }
  const size_t start = i;
  int words = 0;
  size_t end = start;
  *roman_suffix = false;
  while (words < 6 && i < t_.size() && i < start + 100) {
    // One capitalised word.
    size_t w = i;
    size_t u = UpperAt(t_, w);
    if (u == 0) break;
    w += u;
    int lowers = 0, letters = 1;
    while (w < t_.size()) {
      if (size_t l = LowerAt(t_, w)) {
        w += l, ++lowers, ++letters;
      } else if (size_t up = UpperAt(t_, w)) {
        w += up, ++letters;
      } else if ((At(t_, w) == '\'' || At(t_, w) == '-') && w + 1 < t_.size() &&
                 UpperAt(t_, w + 1) + LowerAt(t_, w + 1) > 0) {
        ++w;
      } else {
        break;
      }
    }
    const std::string_view word = t_.substr(i, w - i);
    if (words > 0 && IsRomanNumeral(word)) {
      *roman_suffix = true;
      break;
    }
    if (lowers == 0 || letters < 2) break;  // "CPF", "HIV", "A"
    if (words == 0 && IsStopWord(word)) break;
    if (w < t_.size() && IsAsciiAlnum(At(t_, w))) break;  // "Covid19"
    ++words;
    end = w;
    if (word == "Jr" && t_.substr(w, 1) == ".") {
      end = w + 1;
      break;
    }
    // Next: a space, then a capitalised word or a particle followed by one.
    if (w >= t_.size() || At(t_, w) != ' ') break;
    size_t nx = w + 1;
    size_t pe = nx;
    while (pe < t_.size() && At(t_, pe) >= 'a' && At(t_, pe) <= 'z' && pe - nx < 4) ++pe;
    if (pe > nx && pe < t_.size() && At(t_, pe) == ' ' && IsParticle(t_.substr(nx, pe - nx)) &&
        UpperAt(t_, pe + 1) > 0) {
      nx = pe + 1;
    }
    if (UpperAt(t_, nx) == 0) break;
    i = nx;
  }
  if (words == 0 || (require_two_words && words < 2)) return false;
  *name_end = static_cast<uint32_t>(end);
  return true;
}

void Evaluator::ExtractCueNames(std::vector<Candidate>& out) {
  for (const ContextHit& h : hits_) {
    if (h.ctx != Ctx::kPersonCue && h.ctx != Ctx::kPersonCueWeak && h.ctx != Ctx::kProfCue)
      continue;
    // "Rua Dr. Arnaldo", "Hospital Dona Helena": a place, not a person.
    if (InstitutionBefore(h.from)) continue;
    uint32_t end = 0;
    bool roman = false;
    const bool weak = h.ctx == Ctx::kPersonCueWeak;
    size_t start = h.to;
    if (!ExtractName(start, false, &end, &roman)) continue;
    if (roman) continue;  // "D. Pedro II"
    while (start < end &&
           (At(t_, start) == ' ' || At(t_, start) == ':' || At(t_, start) == ',' ||
            At(t_, start) == '\t' || At(t_, start) == 0xC2 || At(t_, start) == 0xA0)) {
      ++start;
    }
    int words = 1;
    for (size_t i = start; i < end; ++i) words += At(t_, i) == ' ';
    Candidate c{PiiType::kPersonName, static_cast<uint32_t>(start), end, 0.0};
    if (h.ctx == Ctx::kProfCue) {
      c.professional = true;
      c.score = words >= 2 ? 0.9 : 0.8;
    } else if (weak) {
      c.score = words >= 2 ? 0.8 : 0.6;
    } else {
      c.score = words >= 2 ? 0.95 : 0.85;
    }
    c.priority = 2;
    out.push_back(c);
  }
}

void Evaluator::Evaluate(const RawMatch& m, std::vector<Candidate>& out) {
  const std::string_view s = Span(m);
  const uint32_t pre = Before(m.from);
  const uint32_t post = After(m.to);
  const uint32_t ctx = pre | post;
  auto emit = [&](PiiType type, double score, bool validated, uint32_t b, uint32_t e,
                  int priority = 0) {
    out.push_back({type, b, e, score, validated, false, priority});
  };
  switch (m.kind) {
    case Kind::kCpf: {
      const std::string d = DigitsOf(s);
      if (!CpfValid(d)) return;
      const bool punct = s.size() == 14 && s[3] == '.' && s[7] == '.' && s[11] == '-';
      double score = Score(punct ? 0.85 : (s.size() == 11 ? 0.6 : 0.7), ctx, Ctx::kCpf);
      if ((ctx & Bit(Ctx::kCpf)) == 0 && (ctx & (Bit(Ctx::kPhone) | Bit(Ctx::kPis))) != 0)
        score -= 0.3;
      if (IsSequentialFake(d)) score -= 0.3;
      emit(PiiType::kCpf, score, true, m.from, m.to, 3);
      return;
    }
    case Kind::kPis: {
      if (!PisValid(s)) return;
      const bool punct = s.size() == 14 && s[3] == '.' && s[9] == '.' && s[12] == '-';
      emit(PiiType::kPis, Score(punct ? 0.8 : 0.45, ctx, Ctx::kPis, 0.4), true, m.from, m.to, 2);
      return;
    }
    case Kind::kCnpj: {
      if (!CnpjValid(s)) return;
      const bool masked = s.find('/') != std::string_view::npos;
      emit(PiiType::kCnpj, Score(masked ? 0.85 : 0.55, ctx, Ctx::kCnpj), true, m.from, m.to, 3);
      return;
    }
    case Kind::kCnpjAlnum: {
      if (!HasLetter(s) || !CnpjValid(s)) return;
      const bool masked = s.size() == 18 && s[2] == '.' && s[6] == '.' && s[10] == '/';
      if (!masked && (ctx & Bit(Ctx::kCnpj)) == 0) return;
      emit(PiiType::kCnpj, Score(0.85, ctx, Ctx::kCnpj), true, m.from, m.to, 3);
      return;
    }
    case Kind::kCns: {
      if (!CnsValid(s)) return;
      const bool grouped = s.size() == 18;
      double score = Score(grouped ? 0.8 : 0.6, ctx, Ctx::kCns);
      if ((ctx & Bit(Ctx::kCns)) == 0 && (ctx & Bit(Ctx::kCard)) != 0) score -= 0.3;
      emit(PiiType::kCns, score, true, m.from, m.to, 2);
      return;
    }
    case Kind::kTitulo: {
      if (!TituloValid(s)) return;
      emit(PiiType::kTituloEleitor, Score(s.size() == 14 ? 0.65 : 0.55, ctx, Ctx::kTitulo, 0.4),
           true, m.from, m.to, 1);
      return;
    }
    case Kind::kRgSp: {
      if (RgSpValid(s)) {
        emit(PiiType::kRg, Score(0.65, ctx, Ctx::kRg, 0.3), true, m.from, m.to, 1);
      } else if ((pre & Bit(Ctx::kRg)) != 0) {
        emit(PiiType::kRg, 0.6, false, m.from, m.to, 1);
      }
      return;
    }
    case Kind::kRgCue: {
      // The detection is the number (with its UF prefix), not the cue word.
      size_t i = 0;
      while (i < s.size() && !IsDigit(At(s, i))) ++i;
      size_t start = i;
      if (i >= 2) {
        size_t k = i;
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '-')) --k;
        if (k >= 2 && s[k - 1] >= 'A' && s[k - 1] <= 'Z' && s[k - 2] >= 'A' && s[k - 2] <= 'Z' &&
            IsUf(s.substr(k - 2, 2)) && (k == 2 || s[k - 3] == ' ' || s[k - 3] == ':'))
          start = k - 2;
      }
      const std::string_view number = s.substr(i);
      emit(PiiType::kRg, 0.85, RgSpValid(number), m.from + static_cast<uint32_t>(start), m.to, 2);
      return;
    }
    case Kind::kCrm:
    case Kind::kCrp:
    case Kind::kCoren: {
      // A UF, when written, must be one of the 27.
      bool uf_ok = true;
      for (size_t i = 2; i + 2 <= s.size(); ++i) {
        if (s[i] >= 'A' && s[i] <= 'Z' && s[i + 1] >= 'A' && s[i + 1] <= 'Z' &&
            (i + 2 == s.size() || !(s[i + 2] >= 'A' && s[i + 2] <= 'Z')) &&
            (s[i - 1] == '-' || s[i - 1] == '/' || s[i - 1] == ' ')) {
          uf_ok = IsUf(s.substr(i, 2));
        }
      }
      bool ok_region = true;
      if (m.kind == Kind::kCrp) {
        size_t i = 3;
        while (i < s.size() && !IsDigit(At(s, i))) ++i;
        int region = 0;
        ReadInt(s, &i, 2, &region);
        ok_region = region >= 1 && region <= 24;
      }
      const PiiType type = m.kind == Kind::kCrm   ? PiiType::kCrm
                           : m.kind == Kind::kCrp ? PiiType::kCrp
                                                  : PiiType::kCoren;
      Candidate c{type, m.from, m.to, uf_ok && ok_region ? 0.95 : 0.6, uf_ok && ok_region, true, 4};
      out.push_back(c);
      return;
    }
    case Kind::kPhone: {
      if (!BrPhoneKind(s)) return;
      const bool formatted = s.find('(') != std::string_view::npos || s.front() == '+';
      const bool separated = DigitsOf(s).size() != s.size();
      double score = Score(formatted ? 0.8 : (separated ? 0.65 : 0.4), ctx, Ctx::kPhone);
      if ((ctx & Bit(Ctx::kPhone)) == 0 &&
          (ctx & (Bit(Ctx::kCpf) | Bit(Ctx::kPis) | Bit(Ctx::kCns) | Bit(Ctx::kTitulo))) != 0)
        score -= 0.3;
      emit(PiiType::kPhone, score, true, m.from, m.to, 2);
      return;
    }
    case Kind::kPhoneLocal: {
      if ((pre & Bit(Ctx::kPhone)) == 0) return;
      const std::string d = DigitsOf(s);
      const bool ok =
          (d.size() == 9 && d[0] == '9') || (d.size() == 8 && d[0] >= '2' && d[0] <= '5' &&
                                             d.compare(0, 4, "4004") && d.compare(0, 4, "3003"));
      if (!ok) return;
      emit(PiiType::kPhone, 0.75, true, m.from, m.to, 1);
      return;
    }
    case Kind::kEmail: {
      const size_t at = s.find('@');
      const std::string_view local = s.substr(0, at);
      if (local.front() == '.' || local.back() == '.') return;
      const size_t dot = s.rfind('.');
      const std::string_view tld = s.substr(dot + 1);
      if (tld.size() < 2 || tld.size() > 24 ||
          !std::all_of(tld.begin(), tld.end(), [](char c) { return IsAsciiAlpha(c); }))
        return;
      static constexpr std::array<std::string_view, 14> kGeneric = {
          "contato",   "sac",       "atendimento", "faleconosco", "ouvidoria",
          "info",      "comercial", "agendamento", "recepcao",    "secretaria",
          "marketing", "suporte",   "noreply",     "no-reply"};
      const bool generic = std::find(kGeneric.begin(), kGeneric.end(), local) != kGeneric.end();
      emit(PiiType::kEmail, generic ? 0.55 : 0.9, true, m.from, m.to, 3);
      return;
    }
    case Kind::kEmailObfuscated:
      emit(PiiType::kEmail, 0.8, false, m.from, m.to, 2);
      return;
    case Kind::kCep:
      emit(PiiType::kCep, Score(0.6, ctx, Ctx::kCep), false, m.from, m.to, 1);
      return;
    case Kind::kCepCue: {
      size_t i = 0;
      while (i < s.size() && !IsDigit(At(s, i))) ++i;
      emit(PiiType::kCep, 0.85, false, m.from + static_cast<uint32_t>(i), m.to, 1);
      return;
    }
    case Kind::kDateNumeric:
    case Kind::kDateLong:
    case Kind::kDateIso: {
      // A date is a birth date only with a birth cue before it.
      if ((pre & Bit(Ctx::kDob)) == 0) return;
      if (!DateValid(m.kind, s)) return;
      emit(PiiType::kBirthDate, 0.9, true, m.from, m.to, 1);
      return;
    }
    case Kind::kCid: {
      if (!Cid10Plausible(s)) return;
      const bool dotted = s.size() == 5 && s[3] == '.';
      if ((ctx & Bit(Ctx::kCid)) != 0) {
        emit(PiiType::kCid10, 0.85, true, m.from, m.to, 1);
      } else if (dotted) {
        emit(PiiType::kCid10, 0.6, true, m.from, m.to, 1);
      }
      return;
    }
    case Kind::kCardGrouped:
    case Kind::kCardBare: {
      const std::string d = DigitsOf(s);
      if (!LuhnValid(d) || !CardIssuerKnown(d)) return;
      double score = Score(m.kind == Kind::kCardGrouped ? 0.8 : 0.55, ctx, Ctx::kCard);
      if ((ctx & Bit(Ctx::kCard)) == 0 && (ctx & Bit(Ctx::kCns)) != 0) score -= 0.4;
      emit(PiiType::kCreditCard, score, true, m.from, m.to, 2);
      return;
    }
    case Kind::kIpv4: {
      if (m.from > 0 && (At(t_, m.from - 1) == 'v' || At(t_, m.from - 1) == 'V')) return;
      size_t i = 0;
      bool all_small = true;
      for (int k = 0; k < 4; ++k) {
        const size_t st = i;
        int v = 0;
        if (!ReadInt(s, &i, 3, &v) || v > 255) return;
        if (i - st > 1 && s[st] == '0') return;  // leading zero: a version or a date
        all_small = all_small && v < 10;
        ++i;
      }
      if (all_small && (ctx & Bit(Ctx::kIp)) == 0) return;  // section 3.2.1.4
      emit(PiiType::kIpAddress, Score(0.7, ctx, Ctx::kIp, 0.3), true, m.from, m.to, 1);
      return;
    }
    case Kind::kIpv6: {
      const std::string addr(s);
      if (addr.find("::") == std::string::npos && std::count(addr.begin(), addr.end(), ':') != 7)
        return;
      in6_addr a6;
      if (inet_pton(AF_INET6, addr.c_str(), &a6) != 1) return;
      emit(PiiType::kIpAddress, Score(0.8, ctx, Ctx::kIp, 0.2), true, m.from, m.to, 1);
      return;
    }
    case Kind::kPlateOld:
    case Kind::kPlateMercosul: {
      static constexpr std::array<std::string_view, 18> kNotPlates = {
          "CRM", "CRP", "RQE", "COV", "CID", "UTI", "CTI", "SUS", "HIV",
          "ECG", "EEG", "RNM", "USG", "PIS", "CPF", "CNS", "ISO", "NBR"};
      const std::string_view prefix = s.substr(0, 3);
      const bool plate_ctx = (pre & Bit(Ctx::kPlate)) != 0;
      if (std::find(kNotPlates.begin(), kNotPlates.end(), prefix) != kNotPlates.end() && !plate_ctx)
        return;
      const double base = m.kind == Kind::kPlateMercosul ? 0.45 : 0.3;
      emit(PiiType::kLicensePlate, plate_ctx ? 0.85 : base, m.kind == Kind::kPlateMercosul, m.from,
           m.to, 1);
      return;
    }
    case Kind::kGazetteerName: {
      if (InstitutionBefore(m.from)) return;
      uint32_t end = 0;
      bool roman = false;
      if (!ExtractName(m.from, true, &end, &roman) || roman) return;
      int words = 1;
      for (size_t i = m.from; i < end; ++i) words += At(t_, i) == ' ';
      Candidate c{PiiType::kPersonName, m.from, end, words >= 3 ? 0.8 : 0.7};
      c.priority = 1;
      if ((MaskIn(WindowStart(m.from, 1), m.from) & Bit(Ctx::kProfCue)) != 0) c.professional = true;
      out.push_back(c);
      return;
    }
    case Kind::kCount:
      return;
  }
}

// Keeps the best of overlapping candidates: higher score, then longer, then priority.
std::vector<Candidate> ResolveOverlaps(std::vector<Candidate> cands) {
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.b != b.b) return a.b < b.b;
    return a.e > b.e;
  });
  std::vector<Candidate> result;
  size_t i = 0;
  while (i < cands.size()) {
    // One cluster of transitively overlapping candidates.
    size_t j = i + 1;
    uint32_t cluster_end = cands[i].e;
    while (j < cands.size() && cands[j].b < cluster_end) {
      cluster_end = std::max(cluster_end, cands[j].e);
      ++j;
    }
    if (j == i + 1) {
      result.push_back(cands[i]);
    } else {
      std::vector<Candidate> cluster(cands.begin() + static_cast<std::ptrdiff_t>(i),
                                     cands.begin() + static_cast<std::ptrdiff_t>(j));
      std::sort(cluster.begin(), cluster.end(), [](const Candidate& a, const Candidate& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.e - a.b != b.e - b.b) return a.e - a.b > b.e - b.b;
        return a.priority > b.priority;
      });
      std::map<uint32_t, uint32_t> taken;  // start -> end, non-overlapping
      for (const Candidate& c : cluster) {
        auto it = taken.lower_bound(c.b);
        if (it != taken.end() && it->first < c.e) continue;
        if (it != taken.begin() && std::prev(it)->second > c.b) continue;
        taken.emplace(c.b, c.e);
        result.push_back(c);
      }
    }
    i = j;
  }
  std::sort(result.begin(), result.end(),
            [](const Candidate& a, const Candidate& b) { return a.b < b.b; });
  return result;
}

Operator DefaultOperator(PiiType t) {
  switch (t) {
    case PiiType::kCnpj:
    case PiiType::kCrm:
    case PiiType::kCrp:
    case PiiType::kCoren:
      return Operator::kKeep;
    case PiiType::kPhone:
    case PiiType::kCreditCard:
      return Operator::kMask;
    default:
      return Operator::kReplace;
  }
}

bool IdentifiesPerson(PiiType t) {
  switch (t) {
    case PiiType::kCpf:
    case PiiType::kCns:
    case PiiType::kRg:
    case PiiType::kTituloEleitor:
    case PiiType::kPis:
    case PiiType::kPhone:
    case PiiType::kEmail:
    case PiiType::kBirthDate:
    case PiiType::kPersonName:
    case PiiType::kCreditCard:
      return true;
    default:
      return false;
  }
}

}  // namespace

Result<Analysis> Detector::Analyze(std::string_view utf8, const AnalyzeOptions& options) const {
  if (utf8.size() > (size_t{1} << 31)) {
    return std::unexpected(
        Error(ErrorKind::kTooLarge, "text_too_large", "O texto excede o tamanho máximo de 2 GiB."));
  }
  if (auto bad = FirstInvalidUtf8(utf8)) {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "invalid_utf8",
                                 "O texto não é UTF-8 válido.",
                                 fmt::format("invalid UTF-8 at byte {}", *bad)));
  }
  ScanState st{utf8, &impl_->patterns, {}, {}};
  if (!utf8.empty()) {
    hs_scratch_t* scratch = impl_->AcquireScratch();
    if (scratch == nullptr) return Internal("vectorscan scratch clone failed");
    const hs_error_t rc = hs_scan(impl_->db, utf8.data(), static_cast<unsigned>(utf8.size()), 0,
                                  scratch, OnMatch, &st);
    impl_->ReleaseScratch(scratch);
    if (rc != HS_SUCCESS) return Internal(fmt::format("hs_scan failed: {}", rc));
  }

  Evaluator ev(utf8, std::move(st.context));
  std::vector<Candidate> cands;
  cands.reserve(st.matches.size());
  for (const RawMatch& m : st.matches) ev.Evaluate(m, cands);
  ev.ExtractCueNames(cands);

  std::array<bool, kPiiTypeCount> wanted{};
  if (options.types.empty()) {
    wanted.fill(true);
  } else {
    for (PiiType t : options.types) wanted[static_cast<size_t>(t)] = true;
  }
  std::erase_if(cands, [&](const Candidate& c) {
    return c.score < options.min_confidence || !wanted[static_cast<size_t>(c.type)];
  });
  std::vector<Candidate> kept = ResolveOverlaps(std::move(cands));

  // The byline: a name followed by a registration ("Dra. Ana Lima, CRM-SP 123456").
  for (size_t i = 0; i + 1 < kept.size(); ++i) {
    Candidate& name = kept[i];
    if (name.type != PiiType::kPersonName) continue;
    const Candidate& next = kept[i + 1];
    if (!next.professional || next.b < name.e || next.b - name.e > 8) continue;
    bool separators_only = true;
    for (uint32_t k = name.e; k < next.b; ++k) {
      const unsigned char c = At(utf8, k);
      if (!(IsSpace(c) || c == ',' || c == '-' || c == '(' || c == '|' || c == 0xE2 || c == 0x80 ||
            c == 0x93 || c == 0x94)) {
        separators_only = false;
      }
    }
    if (separators_only) name.professional = true;
  }

  Analysis a;
  a.detections.reserve(kept.size());
  for (const Candidate& c : kept) {
    Detection d;
    d.type = c.type;
    d.byte_start = c.b;
    d.byte_end = c.e;
    d.confidence = std::round(c.score * 100) / 100;
    d.validated = c.validated;
    d.professional = c.professional;
    d.category = c.type == PiiType::kCid10 ? Category::kSensitive : Category::kPersonal;
    d.recommended = c.professional ? Operator::kKeep : DefaultOperator(c.type);
    if (!c.professional && IdentifiesPerson(c.type)) a.linked_person = true;
    a.detections.push_back(d);
  }
  for (Detection& d : a.detections) {
    if (d.type != PiiType::kCid10) continue;
    // Health data is sensitive once it can be tied to a person; a generic article's
    // "depressão (CID F32)" is not personal data and stays as written.
    d.escalated = a.linked_person;
    d.recommended = a.linked_person ? Operator::kReplace : Operator::kKeep;
  }

  // Code point offsets, in one pass.
  std::vector<int64_t> offsets;
  offsets.reserve(a.detections.size() * 2 + 1);
  for (const Detection& d : a.detections) {
    offsets.push_back(d.byte_start);
    offsets.push_back(d.byte_end);
  }
  offsets.push_back(static_cast<int64_t>(utf8.size()));
  std::vector<size_t> order(offsets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return offsets[x] < offsets[y]; });
  std::vector<int64_t> sorted(offsets.size());
  for (size_t i = 0; i < order.size(); ++i) sorted[i] = offsets[order[i]];
  BytesToCodePoints(utf8, sorted);
  for (size_t i = 0; i < order.size(); ++i) offsets[order[i]] = sorted[i];
  for (size_t i = 0; i < a.detections.size(); ++i) {
    a.detections[i].start = offsets[2 * i];
    a.detections[i].end = offsets[2 * i + 1];
  }
  a.code_points = offsets.back();

  ScoreDocument(a);
  return a;
}

}  // namespace hcms::lgpd
