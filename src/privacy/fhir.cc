#include "privacy/fhir.h"

namespace hcms::privacy {

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

nlohmann::json FhirBundle(const DataSubject& subject, const std::vector<Consent>& consents,
                          const std::vector<SubjectDocument>& documents, std::string_view bundle_id,
                          std::string_view timestamp) {
  const std::string patient_ref = "urn:uuid:" + subject.id;
  nlohmann::json patient = {
      {"resourceType", "Patient"}, {"id", subject.id}, {"active", subject.status == "active"}};
  if (subject.cpf) {
    patient["identifier"] = {{{"use", "official"},
                              {"system", "http://www.saude.gov.br/fhir/r4/NamingSystem/cpf"},
                              {"value", *subject.cpf}}};
  }
  if (subject.full_name) patient["name"] = {{{"use", "official"}, {"text", *subject.full_name}}};
  nlohmann::json telecom = nlohmann::json::array();
  if (subject.email) telecom.push_back({{"system", "email"}, {"value", *subject.email}});
  if (subject.phone) telecom.push_back({{"system", "phone"}, {"value", *subject.phone}});
  if (!telecom.empty()) patient["telecom"] = telecom;
  if (subject.birth_date) patient["birthDate"] = *subject.birth_date;

  nlohmann::json entries = nlohmann::json::array();
  entries.push_back({{"fullUrl", patient_ref}, {"resource", patient}});
  for (const Consent& c : consents) {
    nlohmann::json provision = {{"period", {{"start", c.granted_at}}}};
    if (c.revoked_at) provision["period"]["end"] = *c.revoked_at;
    nlohmann::json consent = {
        {"resourceType", "Consent"},
        {"id", c.id},
        {"status", c.active() ? "active" : "inactive"},
        {"scope",
         {{"coding",
           {{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
             {"code", "patient-privacy"}}}}}},
        {"category",
         {{{"coding", {{{"system", "http://loinc.org"}, {"code", "59284-0"}}}},
           {"text", c.purpose}}}},
        {"patient", {{"reference", patient_ref}}},
        {"dateTime", c.granted_at},
        {"policyRule",
         {{"text", std::string(lgpd::LegalBasisArticle(c.legal_basis, false)) + " (" +
                       std::string(lgpd::LegalBasisName(c.legal_basis)) + "), texto v" +
                       c.text_version}}},
        {"provision", provision}};
    entries.push_back({{"fullUrl", "urn:uuid:" + c.id}, {"resource", consent}});
  }
  for (const SubjectDocument& d : documents) {
    nlohmann::json doc = {{"resourceType", "DocumentReference"},
                          {"id", d.id},
                          {"status", "current"},
                          {"type", {{"text", DocumentCategoryName(d.category)}}},
                          {"subject", {{"reference", patient_ref}}},
                          {"date", d.created_at},
                          {"description", d.title},
                          {"content",
                           {{{"attachment",
                              {{"contentType", d.content_type + "; charset=utf-8"},
                               {"data", Base64(d.content)},
                               {"title", d.title},
                               {"creation", d.created_at}}}}}}};
    entries.push_back({{"fullUrl", "urn:uuid:" + d.id}, {"resource", doc}});
  }
  return {{"resourceType", "Bundle"},
          {"id", bundle_id},
          {"identifier",
           {{"system", "urn:ietf:rfc:3986"}, {"value", "urn:uuid:" + std::string(bundle_id)}}},
          {"type", "collection"},
          {"timestamp", timestamp},
          {"entry", entries}};
}

}  // namespace hcms::privacy
