// The FHIR R4 export validated against the official FHIR R4 JSON schema, with the
// npm package in tests/fhir (installed by `make deps`: scripts/install-npm-deps.sh).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "privacy/fhir.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace hcms::privacy {
namespace {

testing::RunResult Validate(const std::vector<nlohmann::json>& resources) {
  testing::TempDir dir;
  testing::SpawnOptions o;
  o.argv = {"/usr/bin/env", "node", std::string(HCMS_SOURCE_DIR) + "/tests/fhir/validate.js"};
  for (size_t i = 0; i < resources.size(); ++i) {
    const std::string file = dir.File("r" + std::to_string(i) + ".json");
    testing::WriteFile(file, resources[i].dump(2));
    o.argv.push_back(file);
  }
  o.env = testing::EnvironmentWithout("HCMS_");
  o.stdout_path = dir.File("out");
  o.stderr_path = dir.File("err");
  return testing::RunProcess(o, std::chrono::seconds(120));
}

nlohmann::json SampleBundle() {
  DataSubject s;
  s.id = "0192f3c4-5e6f-7abc-8def-0123456789ab";
  s.full_name = "Maria Conceição Souza";
  s.email = "maria@exemplo.com.br";
  s.phone = "(11) 98765-4321";
  s.cpf = "52998224725";
  s.birth_date = "1980-03-12";
  Consent active;
  active.id = "0192f3c4-5e6f-7abc-8def-0123456789ac";
  active.subject_id = s.id;
  active.purpose = "newsletter";
  active.text_version = "2026-01";
  active.channel = "web";
  active.granted_at = "2026-01-10T12:00:00.000000Z";
  Consent revoked = active;
  revoked.id = "0192f3c4-5e6f-7abc-8def-0123456789ad";
  revoked.purpose = "publicacao_relato_de_caso";
  revoked.legal_basis = lgpd::LegalBasis::kConsentimento;
  revoked.revoked_at = "2026-02-01T08:30:00.000000Z";
  SubjectDocument d;
  d.id = "0192f3c4-5e6f-7abc-8def-0123456789ae";
  d.subject_id = s.id;
  d.category = DocumentCategory::kExamResult;
  d.title = "Hemograma";
  d.content = "Hb 13,5 g/dL; leucócitos normais.";
  d.created_at = "2026-03-01T09:00:00.000000Z";
  return FhirBundle(s, {active, revoked}, {d}, "0192f3c4-5e6f-7abc-8def-0123456789af",
                    "2026-03-02T10:00:00.000000Z");
}

TEST(FhirSchema, ExportValidatesAgainstTheFhirR4JsonSchema) {
  const nlohmann::json bundle = SampleBundle();
  ASSERT_EQ(bundle["entry"].size(), 4u);
  // An anonymised subject (no personal fields) is still a valid Patient.
  DataSubject anon;
  anon.id = "0192f3c4-5e6f-7abc-8def-0123456789b0";
  anon.status = "anonymized";
  auto r = Validate({bundle, FhirBundle(anon, {}, {}, anon.id, "2026-03-02T10:00:00Z")});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, ::testing::HasSubstr("valid: "));
}

TEST(FhirSchema, TheValidatorRejectsABrokenBundle) {
  nlohmann::json broken = SampleBundle();
  broken["entry"][1]["resource"]["status"] = "maybe";  // not a Consent status (nested)
  auto r = Validate({broken});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_THAT(r.out, ::testing::HasSubstr("invalid: "));
}

TEST(Fhir, Base64) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
}

}  // namespace
}  // namespace hcms::privacy
