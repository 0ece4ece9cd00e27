// Document-level risk of an analysis: the 0-100 score, the seed-004 status and the
// recommendations (pt-BR first, English second). Used by the detector; public so the
// content workflow can re-score an analysis after a reviewer's decisions.
//
// Score: each type present adds its weight times the best confidence seen, plus a
// quarter of the weight for each further value of that type (up to twice the
// weight); health data tied to an identified person adds 20. Professional data (the
// byline) adds nothing. Capped at 100.

#pragma once

#include "lgpd/detector.h"

namespace hcms::lgpd {

// Risk weight of one type (cpf 30, person_name 25, cid10 10 or 30 when escalated, ...).
int RiskWeight(PiiType type, bool escalated);

// Fills risk_score, status and recommendations from a.detections and a.linked_person.
void ScoreDocument(Analysis& a);

}  // namespace hcms::lgpd
