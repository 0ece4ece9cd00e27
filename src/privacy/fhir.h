// HL7 FHIR R4 export of what a practice holds about a data subject (LGPD art. 18 V,
// portability): a Bundle of type "collection" with one Patient, a Consent per consent
// record and a DocumentReference per document (content inline, base64).
// tests/fhir/ validates the output against the official FHIR R4 JSON schema.

#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "privacy/consents.h"
#include "privacy/subjects.h"

namespace hcms::privacy {

nlohmann::json FhirBundle(const DataSubject& subject, const std::vector<Consent>& consents,
                          const std::vector<SubjectDocument>& documents, std::string_view bundle_id,
                          std::string_view timestamp);

// RFC 4648 base64 with padding (FHIR base64Binary).
std::string Base64(std::string_view bytes);

}  // namespace hcms::privacy
