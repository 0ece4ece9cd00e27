#include "lgpd/publication.h"

#include <set>

namespace hcms::lgpd {

PublicationAssessment AssessPublication(Analysis analysis,
                                        std::span<const LegalBasisRecord> bases) {
  PublicationAssessment out;
  bool health_linked = false;
  for (const Detection& d : analysis.detections) {
    if (d.category == Category::kSensitive && d.escalated && !d.professional) health_linked = true;
  }
  if (health_linked) {
    for (const Detection& d : analysis.detections) {
      if (d.professional || d.recommended == Operator::kKeep) continue;
      const bool is_blocking =
          (d.category == Category::kSensitive && d.escalated) || d.category == Category::kPersonal;
      if (!is_blocking) continue;
      bool is_covered = false;
      for (const LegalBasisRecord& b : bases) {
        if ((!b.type || *b.type == d.type) && AllowedForSensitive(b.basis)) is_covered = true;
      }
      (is_covered ? out.covered : out.blocking).push_back(d);
    }
  }
  out.publishable = out.blocking.empty();
  out.analysis = std::move(analysis);
  return out;
}

Result<PublicationAssessment> AssessPublication(std::string_view text,
                                                std::span<const LegalBasisRecord> bases) {
  HCMS_TRY(Analysis a, Analyze(text));
  return AssessPublication(std::move(a), bases);
}

Error PublicationBlockedError(const PublicationAssessment& a) {
  Error e(ErrorKind::kFailedPrecondition, "sensitive_data_unhandled",
          "O conteúdo tem dados de saúde de pessoa identificável: anonimize-os ou registre a "
          "base legal (LGPD art. 11) antes de publicar.");
  std::set<PiiType> types;
  for (const Detection& d : a.blocking) types.insert(d.type);
  for (PiiType t : types) e.WithField(std::string(PiiTypeName(t)), "legal_basis_required");
  return e;
}

}  // namespace hcms::lgpd
