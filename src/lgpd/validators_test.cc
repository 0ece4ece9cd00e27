// Every check-digit example of pii-spec.md §2 (verified there by verify_checksums.py).

#include "lgpd/validators.h"

#include <gtest/gtest.h>

namespace hcms::lgpd {
namespace {

TEST(Cpf, SpecExamples) {
  EXPECT_TRUE(CpfValid("529.982.247-25"));
  EXPECT_TRUE(CpfValid("111.444.777-35"));
  EXPECT_TRUE(CpfValid("52998224725"));
  EXPECT_TRUE(CpfValid("529 982 247 25"));
  EXPECT_FALSE(CpfValid("529.982.247-24"));
  EXPECT_FALSE(CpfValid("123.456.789-00"));
  EXPECT_EQ(CpfCheckDigits("123456789"), "09");
  EXPECT_FALSE(CpfValid("111.111.111-11"));  // passes the arithmetic, repdigit
  for (char c = '0'; c <= '9'; ++c) EXPECT_FALSE(CpfValid(std::string(11, c)));
}

TEST(Cnpj, NumericSpecExamples) {
  EXPECT_TRUE(CnpjValid("11.222.333/0001-81"));
  EXPECT_TRUE(CnpjValid("11.444.777/0001-61"));
  EXPECT_TRUE(CnpjValid("11222333000181"));
  EXPECT_FALSE(CnpjValid("11.222.333/0001-80"));
  EXPECT_FALSE(CnpjValid("11.222.333/0002-81"));
  EXPECT_FALSE(CnpjValid("00.000.000/0000-00"));
}

TEST(Cnpj, AlphanumericSpecExamples) {
  EXPECT_EQ(CnpjCheckDigits("12ABC34501DE"), "35");
  EXPECT_TRUE(CnpjValid("12.ABC.345/01DE-35"));
  EXPECT_TRUE(CnpjValid("12ABC34501DE35"));
  EXPECT_EQ(CnpjCheckDigits("A1B2C3D40001"), "93");
  EXPECT_TRUE(CnpjValid("A1.B2C.3D4/0001-93"));
  EXPECT_FALSE(CnpjValid("12.ABC.345/01DE-36"));
  EXPECT_FALSE(CnpjValid("12.ABC.345/01DE-3A"));  // letter in a check-digit position
}

TEST(Cns, SpecExamples) {
  EXPECT_TRUE(CnsValid("162 9037 6512 0004"));
  EXPECT_TRUE(CnsValid("235 0771 2640 0018"));
  EXPECT_TRUE(CnsValid("758 1034 6297 1218"));
  EXPECT_TRUE(CnsValid("898 0000 0004 3208"));
  EXPECT_TRUE(CnsValid("162903765120004"));
  EXPECT_FALSE(CnsValid("162 9037 6512 0005"));
  EXPECT_FALSE(CnsValid("312 3456 7890 1234"));
  EXPECT_FALSE(CnsValid("123 4567 8901 0109"));
}

TEST(Titulo, SpecExamples) {
  EXPECT_TRUE(TituloValid("1023 8501 0671"));
  EXPECT_TRUE(TituloValid("0043 5687 0906"));
  EXPECT_TRUE(TituloValid("3145 6786 0116"));
  EXPECT_EQ(TituloCheckDigits("31456786", "01")[0], '1');  // SP: remainder 0 -> 1
  EXPECT_FALSE(TituloValid("1023 8501 0672"));
  EXPECT_FALSE(TituloValid("1023 8501 2971"));  // UF 29
  EXPECT_FALSE(TituloValid("3145 6786 0108"));  // without the SP/MG rule
}

TEST(Pis, SpecExamples) {
  EXPECT_TRUE(PisValid("120.34567.89-9"));
  EXPECT_TRUE(PisValid("170.12345.67-3"));
  EXPECT_FALSE(PisValid("120.34567.89-0"));
  EXPECT_FALSE(PisValid("000.00000.00-0"));
}

TEST(RgSp, SpecExamples) {
  EXPECT_TRUE(RgSpValid("31.203.131-2"));
  EXPECT_TRUE(RgSpValid("27.384.958-X"));
  EXPECT_TRUE(RgSpValid("27384958x"));
  EXPECT_FALSE(RgSpValid("31.203.131-3"));
  EXPECT_FALSE(RgSpValid("27.384.958-0"));
}

TEST(Luhn, SpecExamples) {
  EXPECT_TRUE(LuhnValid("4111 1111 1111 1111"));
  EXPECT_TRUE(LuhnValid("5555 5555 5555 4444"));
  EXPECT_FALSE(LuhnValid("4111 1111 1111 1112"));
  EXPECT_FALSE(LuhnValid("1234 5678 9012 3456"));
  EXPECT_TRUE(CardIssuerKnown("4111111111111111"));
  EXPECT_TRUE(CardIssuerKnown("5555555555554444"));
  EXPECT_TRUE(CardIssuerKnown("378282246310005"));
  EXPECT_FALSE(CardIssuerKnown("1234567890123456"));
}

TEST(Plate, OldToMercosul) {
  EXPECT_EQ(PlateToMercosul("ABC-1234"), "ABC1C34");
  EXPECT_EQ(PlateToMercosul("BRA-2019"), "BRA2A19");
  EXPECT_EQ(PlateToMercosul("XYZ-7890"), "XYZ7I90");
}

TEST(Phone, SpecExamples) {
  EXPECT_EQ(BrPhoneKind("+55 (11) 98765-4321"), PhoneKind::kMobile);
  EXPECT_EQ(BrPhoneKind("(21) 3456-7890"), PhoneKind::kLandline);
  EXPECT_EQ(BrPhoneKind("11987654321"), PhoneKind::kMobile);
  EXPECT_EQ(BrPhoneKind("(20) 98765-4321"), std::nullopt);  // DDD 20 does not exist
  EXPECT_EQ(BrPhoneKind("(11) 8765-4321"), std::nullopt);   // 8 digits starting with 8
  EXPECT_EQ(BrPhoneKind("12/03/1980"), std::nullopt);
  EXPECT_EQ(BrPhoneKind("0800 123 4567"), std::nullopt);
  int ddds = 0;
  for (int d = 10; d < 100; ++d) ddds += ValidDdd(d);
  EXPECT_EQ(ddds, 67);
}

TEST(Cid10, ChapterTable) {
  for (const char* ok : {"F32", "F32.1", "F321", "J45.9", "Z00", "U07.1", "A17.0", "G01", "M16",
                         "N95", "I10", "E11.9", "C50", "O80", "S72"}) {
    EXPECT_TRUE(Cid10Plausible(ok)) << ok;
  }
  for (const char* bad : {"B12", "E95", "K99", "D3", "H1N1", "P99", "f32"}) {
    EXPECT_FALSE(Cid10Plausible(bad)) << bad;
  }
}

TEST(Dates, Calendar) {
  EXPECT_TRUE(PlausibleDate(12, 3, 1980));
  EXPECT_TRUE(PlausibleDate(29, 2, 2000));
  EXPECT_FALSE(PlausibleDate(29, 2, 1900));
  EXPECT_FALSE(PlausibleDate(31, 4, 1980));
  EXPECT_FALSE(PlausibleDate(12, 13, 1980));
  EXPECT_TRUE(PlausibleDate(12, 3, 80));
  EXPECT_FALSE(PlausibleDate(1, 1, 1850));
}

TEST(Uf, TwentySevenUnits) {
  EXPECT_TRUE(IsUf("SP"));
  EXPECT_TRUE(IsUf("DF"));
  EXPECT_FALSE(IsUf("XX"));
}

}  // namespace
}  // namespace hcms::lgpd
