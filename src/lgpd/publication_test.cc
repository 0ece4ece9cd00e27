#include "lgpd/publication.h"

#include <set>

#include <gtest/gtest.h>

#include "lgpd/anonymizer.h"

namespace hcms::lgpd {
namespace {

const char* kCase =
    "Relato de caso: a paciente Maria Souza, CPF 529.982.247-25, com diagnóstico CID F41.1, "
    "melhorou. Dra. Ana Lima, CRM-SP 123456.";

TEST(Publication, GenericHealthContentPublishes) {
  auto a = AssessPublication("A depressão (CID F32) é tratável. Dra. Ana Lima, CRM-SP 123456.", {});
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->publishable);
  EXPECT_TRUE(a->blocking.empty());
}

TEST(Publication, IdentifiedPatientWithHealthDataBlocks) {
  auto a = AssessPublication(kCase, {});
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->publishable);
  std::set<PiiType> types;
  for (const Detection& d : a->blocking) types.insert(d.type);
  EXPECT_EQ(types, (std::set<PiiType>{PiiType::kPersonName, PiiType::kCpf, PiiType::kCid10}));
  const Error e = PublicationBlockedError(*a);
  EXPECT_EQ(e.code(), "sensitive_data_unhandled");
  EXPECT_EQ(e.kind(), ErrorKind::kFailedPrecondition);
  EXPECT_EQ(e.fields().size(), 3u);
}

TEST(Publication, ARecordedArt11BasisUnblocks) {
  const LegalBasisRecord consent{std::nullopt, LegalBasis::kConsentimento, 42};
  auto a = AssessPublication(kCase, std::span(&consent, 1));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->publishable);
  EXPECT_EQ(a->covered.size(), 3u);
  // Legitimate interest is no basis for sensitive data (Art. 11).
  const LegalBasisRecord weak{std::nullopt, LegalBasis::kInteresseLegitimo, 42};
  auto b = AssessPublication(kCase, std::span(&weak, 1));
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->publishable);
  // A basis for one type leaves the others blocking.
  const LegalBasisRecord only_cid{PiiType::kCid10, LegalBasis::kTutelaSaude, 42};
  auto c = AssessPublication(kCase, std::span(&only_cid, 1));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->publishable);
  EXPECT_EQ(c->covered.size(), 1u);
}

TEST(Publication, AnonymisingHandlesTheData) {
  auto a = Analyze(kCase);
  ASSERT_TRUE(a);
  auto anon = Anonymize(kCase, a->detections, {});
  ASSERT_TRUE(anon);
  auto gate = AssessPublication(anon->text, {});
  ASSERT_TRUE(gate);
  EXPECT_TRUE(gate->publishable) << anon->text;
}

TEST(LegalBases, NamesAndArticles) {
  for (LegalBasis b : AllLegalBases()) EXPECT_EQ(ParseLegalBasis(LegalBasisName(b)), b);
  EXPECT_EQ(LegalBasisArticle(LegalBasis::kTutelaSaude, true), "art. 11, II, f");
  EXPECT_FALSE(AllowedForSensitive(LegalBasis::kExecucaoContrato));
  EXPECT_EQ(ParseLegalBasis("vontade"), std::nullopt);
}

}  // namespace
}  // namespace hcms::lgpd
