// The pattern table of the detector (internal to lgpd/).
//
// Each Vectorscan expression is either a candidate for a PII type (validated and
// scored afterwards) or a context word of some class (pii-spec.md §5). Expressions
// are compiled with SOM_LEFTMOST in byte mode over UTF-8; every repeat is bounded,
// so each end offset yields at most one match per expression and the work per
// match is bounded.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hcms::lgpd::internal {

// Candidate kinds.
enum class Kind : uint8_t {
  kCpf,
  kCnpj,
  kCnpjAlnum,
  kCns,
  kTitulo,
  kPis,
  kRgSp,
  kRgCue,
  kCrm,
  kCrp,
  kCoren,
  kPhone,
  kPhoneLocal,
  kEmail,
  kEmailObfuscated,
  kCep,
  kCepCue,
  kDateNumeric,
  kDateLong,
  kDateIso,
  kCid,
  kCardGrouped,
  kCardBare,
  kIpv4,
  kIpv6,
  kPlateOld,
  kPlateMercosul,
  kGazetteerName,
  kCount,
};

// Context-word classes; a bit each in a context mask.
enum class Ctx : uint8_t {
  kCpf,
  kCnpj,
  kCns,
  kTitulo,
  kPis,
  kRg,
  kPhone,
  kCep,
  kDob,
  kCid,
  kCard,
  kPlate,
  kIp,
  kNegative,       // lot, protocol, version, dose...: lowers confidence
  kPersonCue,      // "paciente", "Sr.", "nome:": a name follows
  kPersonCueWeak,  // "Seu", "D.", "mãe": a name may follow
  kProfCue,        // "Dr.", "Dra.", "Prof.": a professional's name follows
  kInstitution,    // "Hospital", "Rua", "síndrome de": what follows is not a person
  kCount,
};

inline constexpr uint32_t Bit(Ctx c) { return uint32_t{1} << static_cast<unsigned>(c); }

struct Pattern {
  std::string expression;
  unsigned flags;  // HS_FLAG_* besides SOM_LEFTMOST
  bool is_context;
  uint8_t kind;  // Kind or Ctx
};

// Context patterns get ids >= kContextIdBase.
inline constexpr unsigned kContextIdBase = 1000;

const std::vector<Pattern>& Patterns();

}  // namespace hcms::lgpd::internal
