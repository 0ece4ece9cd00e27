#include "lgpd/anonymizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/random.h"
#include "crypto/keyed.h"

namespace hcms::lgpd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<uint8_t> Master(uint8_t fill) { return std::vector<uint8_t>(32, fill); }

Anonymized Apply(std::string_view text, AnonymizeOptions o, const TenantKeys* keys = nullptr) {
  auto a = Analyze(text);
  EXPECT_TRUE(a);
  auto r = Anonymize(text, a->detections, o, keys);
  EXPECT_TRUE(r) << r.error().ToLogString();
  return r ? *r : Anonymized{};
}

const std::string kText =
    "Paciente Maria Souza, CPF 529.982.247-25, tel (11) 98765-4321, e-mail maria@exemplo.com. "
    "Dra. Ana Lima, CRM-SP 123456.";

TEST(Anonymizer, RecommendedOperatorsKeepTheByline) {
  auto r = Apply(kText, {});
  EXPECT_EQ(r.text,
            "Paciente <NOME>, CPF <CPF>, tel (**) *****-4321, e-mail <EMAIL>. "
            "Dra. Ana Lima, CRM-SP 123456.");
  ASSERT_EQ(r.applied.size(), 4u);
  EXPECT_EQ(r.applied[0].op, Operator::kReplace);
  EXPECT_EQ(r.applied[0].start, 9);
  EXPECT_EQ(r.applied[0].end, 15);
  EXPECT_EQ(r.applied[2].op, Operator::kMask);
}

TEST(Anonymizer, RedactMaskReplacePerType) {
  AnonymizeOptions o;
  o.operators[PiiType::kCpf] = {.op = Operator::kMask, .keep_last = 2};
  o.operators[PiiType::kPersonName] = {.op = Operator::kRedact};
  o.operators[PiiType::kEmail] = {.op = Operator::kReplace, .replacement = "[e-mail removido]"};
  auto r = Apply(kText, o);
  EXPECT_THAT(r.text, HasSubstr("Paciente , CPF ***.***.***-25,"));
  EXPECT_THAT(r.text, HasSubstr("e-mail [e-mail removido]."));
  EXPECT_THAT(r.text, HasSubstr("Dra. Ana Lima, CRM-SP 123456."));  // the byline stays
  o.keep_professional = false;
  o.operators[PiiType::kCrm] = {.op = Operator::kReplace};
  EXPECT_THAT(Apply(kText, o).text, HasSubstr("Dra. , <CRM>."));
  EXPECT_EQ(Mask("José", 1, '#'), "###é");
}

TEST(Anonymizer, PseudonymsAreKeyedStableAndPerTenant) {
  const TenantKeys t1 = DeriveTenantKeys(Master(7), 1);
  const TenantKeys t2 = DeriveTenantKeys(Master(7), 2);
  const TenantKeys other_install = DeriveTenantKeys(Master(8), 1);
  const std::string p = Pseudonym(PiiType::kCpf, "529.982.247-25", t1);
  EXPECT_THAT(p, ::testing::MatchesRegex("<CPF_[0-9A-F]{16}>"));
  // Same value, other formatting: same pseudonym (stable across documents).
  EXPECT_EQ(Pseudonym(PiiType::kCpf, "52998224725", t1), p);
  EXPECT_NE(Pseudonym(PiiType::kCpf, "111.444.777-35", t1), p);
  // Another tenant or installation: unlinkable.
  EXPECT_NE(Pseudonym(PiiType::kCpf, "529.982.247-25", t2), p);
  EXPECT_NE(Pseudonym(PiiType::kCpf, "529.982.247-25", other_install), p);
  // It is not an unkeyed hash of the value.
  EXPECT_THAT(p, Not(HasSubstr(crypto::Sha256Hex("52998224725").substr(0, 16))));
  EXPECT_EQ(Pseudonym(PiiType::kEmail, "Maria@Exemplo.com", t1),
            Pseudonym(PiiType::kEmail, "maria@exemplo.com", t1));

  AnonymizeOptions o;
  o.fallback = OperatorConfig{.op = Operator::kPseudonymize};
  auto doc1 = Apply("CPF 529.982.247-25 e paciente Maria Souza", o, &t1);
  auto doc2 = Apply("Paciente Maria Souza retornou; CPF 52998224725.", o, &t1);
  EXPECT_THAT(doc1.text, HasSubstr(p));
  EXPECT_THAT(doc2.text, HasSubstr(p));
  const std::string name = Pseudonym(PiiType::kPersonName, "Maria Souza", t1);
  EXPECT_THAT(doc1.text, HasSubstr(name));
  EXPECT_THAT(doc2.text, HasSubstr(name));
}

TEST(Anonymizer, EncryptionIsReversibleOnlyWithTheTenantKey) {
  const TenantKeys t1 = DeriveTenantKeys(Master(7), 1);
  const TenantKeys t2 = DeriveTenantKeys(Master(7), 2);
  AnonymizeOptions o;
  o.fallback = OperatorConfig{.op = Operator::kEncrypt};
  const std::string text = "Paciente José Ávila, CPF 529.982.247-25.";
  auto r = Apply(text, o, &t1);
  EXPECT_THAT(r.text, Not(HasSubstr("529.982")));
  EXPECT_THAT(r.text, Not(HasSubstr("Ávila")));
  EXPECT_THAT(r.text, HasSubstr("<ENC:cpf:"));
  auto back = Reidentify(r.text, t1);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, text);
  auto wrong = Reidentify(r.text, t2);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), "decryption_failed");
  // Tampering is detected.
  std::string tampered = r.text;
  const size_t at = tampered.find("<ENC:cpf:") + 12;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Reidentify(tampered, t1));
  // A token moved to another type fails too (the type is authenticated).
  std::string moved = r.text;
  moved.replace(moved.find("<ENC:cpf:"), 9, "<ENC:rg:");
  EXPECT_FALSE(Reidentify(moved, t1));
}

TEST(Anonymizer, KeyedOperatorsNeedKeys) {
  auto a = Analyze("CPF 529.982.247-25");
  ASSERT_TRUE(a);
  for (Operator op : {Operator::kPseudonymize, Operator::kEncrypt}) {
    auto r = Anonymize("CPF 529.982.247-25", a->detections, {.fallback = OperatorConfig{.op = op}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), "keys_required");
  }
}

TEST(Anonymizer, RejectsDetectionsThatDoNotFitTheText) {
  Detection d;
  d.byte_start = 5;
  d.byte_end = 50;
  auto r = Anonymize("short", {d}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), "invalid_detections");
  Detection x, y;
  x.byte_start = 0, x.byte_end = 4, y.byte_start = 2, y.byte_end = 5;
  EXPECT_FALSE(Anonymize("abcdefg", {x, y}, {}));
}

TEST(Anonymizer, AnonymisedTextHasNothingLeftToFind) {
  auto r = Apply(kText, {.keep_professional = false});
  auto again = Analyze(r.text);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->detections.empty()) << r.text;
}

TEST(KeyedCrypto, HmacAndHkdfKnownAnswers) {
  // RFC 4231 test case 2.
  const std::string key = "Jefe";
  const auto mac = crypto::HmacSha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
      "what do ya want for nothing?");
  EXPECT_EQ(HexEncode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 5869 test case 3 (no salt, no info).
  const std::vector<uint8_t> ikm(22, 0x0b);
  EXPECT_EQ(HexEncode(crypto::HkdfSha256(ikm, "", "", 42)),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a9"
            "6c8");
}

}  // namespace
}  // namespace hcms::lgpd
