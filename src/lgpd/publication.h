// The publication gate: content with unhandled sensitive data is not published
// unless a reviewer records a legal basis for it (issue #5, for the content workflow).
//
// "Unhandled sensitive data" is health data tied to an identifiable person: an
// escalated CID-10 code, and every non-professional identifier of that person in the
// same text (name, CPF, CNS, phone, ...). A generic article ("depressão (CID F32)"),
// the author's byline, and personal data without health data do not block; they
// still show in the analysis as warnings. Anonymising the text (anonymizer.h) removes
// the blocking findings; otherwise a reviewer records an Art. 11 basis, for one type
// or for all.
//
//   // Saving a draft: show the editor what was found.
//   HCMS_TRY(lgpd::Analysis a, lgpd::Analyze(body));
//   // Publishing: refuse unless handled.
//   HCMS_TRY(auto gate, lgpd::AssessPublication(body, post_legal_bases));
//   if (!gate.publishable) return Conflict("sensitive_data_unhandled", ...);

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "lgpd/detector.h"
#include "lgpd/legal_basis.h"

namespace hcms::lgpd {

// A reviewer's decision stored with the content (by the content module).
struct LegalBasisRecord {
  std::optional<PiiType> type;  // nullopt: covers every type in the text
  LegalBasis basis = LegalBasis::kTutelaSaude;
  int64_t reviewer_id = 0;
};

struct PublicationAssessment {
  bool publishable = true;
  // Findings that block publication (sensitive, not covered by a valid basis).
  std::vector<Detection> blocking;
  // Findings covered by a recorded basis.
  std::vector<Detection> covered;
  Analysis analysis;
};

// From an analysis already made (e.g. at save time).
PublicationAssessment AssessPublication(Analysis analysis, std::span<const LegalBasisRecord> bases);

// Analyses `text` and assesses it. Errors as Analyze (invalid_utf8, text_too_large).
Result<PublicationAssessment> AssessPublication(std::string_view text,
                                                std::span<const LegalBasisRecord> bases);

// Error to answer when publication is refused: kFailedPrecondition
// "sensitive_data_unhandled" with one field error per blocking type.
Error PublicationBlockedError(const PublicationAssessment& a);

}  // namespace hcms::lgpd
