#include "lgpd/validators.h"

#include <array>

namespace hcms::lgpd {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllSame(std::string_view s) {
  for (char c : s) {
    if (c != s[0]) return false;
  }
  return !s.empty();
}

// 0 if r < 2 else 11 - r: the rule CPF and CNPJ share.
int Mod11Dv(int sum) {
  const int r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

}  // namespace

std::string DigitsOf(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (IsDigit(c)) out.push_back(c);
  }
  return out;
}

std::string CpfCheckDigits(std::string_view base9) {
  if (base9.size() != 9) return {};
  int s1 = 0;
  for (int i = 0; i < 9; ++i) s1 += (base9[i] - '0') * (10 - i);
  const int dv1 = Mod11Dv(s1);
  int s2 = 0;
  for (int i = 0; i < 9; ++i) s2 += (base9[i] - '0') * (11 - i);
  s2 += dv1 * 2;
  const int dv2 = Mod11Dv(s2);
  return {static_cast<char>('0' + dv1), static_cast<char>('0' + dv2)};
}

bool CpfValid(std::string_view s) {
  const std::string d = DigitsOf(s);
  if (d.size() != 11 || AllSame(d)) return false;
  return CpfCheckDigits(std::string_view(d).substr(0, 9)) == std::string_view(d).substr(9);
}

std::string CnpjCheckDigits(std::string_view base12) {
  static constexpr std::array<int, 12> kW1 = {5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
  static constexpr std::array<int, 13> kW2 = {6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
  if (base12.size() != 12) return {};
  int s1 = 0;
  for (int i = 0; i < 12; ++i) s1 += (base12[i] - '0') * kW1[i];
  const int dv1 = Mod11Dv(s1);
  int s2 = 0;
  for (int i = 0; i < 12; ++i) s2 += (base12[i] - '0') * kW2[i];
  s2 += dv1 * kW2[12];
  const int dv2 = Mod11Dv(s2);
  return {static_cast<char>('0' + dv1), static_cast<char>('0' + dv2)};
}

bool CnpjValid(std::string_view s) {
  std::string n;
  n.reserve(14);
  for (char c : s) {
    if (c == '.' || c == '-' || c == '/' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!IsDigit(c) && !(c >= 'A' && c <= 'Z')) return false;
    n.push_back(c);
  }
  if (n.size() != 14 || !IsDigit(n[12]) || !IsDigit(n[13]) || AllSame(n)) return false;
  return CnpjCheckDigits(std::string_view(n).substr(0, 12)) == std::string_view(n).substr(12);
}

bool CnsValid(std::string_view s) {
  const std::string n = DigitsOf(s);
  if (n.size() != 15) return false;
  if (n[0] == '1' || n[0] == '2') {
    int soma = 0;
    for (int i = 0; i < 11; ++i) soma += (n[i] - '0') * (15 - i);
    int dv = 11 - soma % 11;
    if (dv == 11) dv = 0;
    std::string expect(n.substr(0, 11));
    if (dv == 10) {
      soma += 2;
      dv = 11 - soma % 11;
      expect += "001";
    } else {
      expect += "000";
    }
    expect.push_back(static_cast<char>('0' + dv));
    return expect == n;
  }
  if (n[0] == '7' || n[0] == '8' || n[0] == '9') {
    int sum = 0;
    for (int i = 0; i < 15; ++i) sum += (n[i] - '0') * (15 - i);
    return sum % 11 == 0;
  }
  return false;
}

std::string TituloCheckDigits(std::string_view seq8, std::string_view uf2) {
  if (seq8.size() != 8 || uf2.size() != 2) return {};
  const bool sp_mg = uf2 == "01" || uf2 == "02";
  int s = 0;
  for (int i = 0; i < 8; ++i) s += (seq8[i] - '0') * (i + 2);
  int r = s % 11;
  int d1 = r == 10 ? 0 : (r == 0 && sp_mg ? 1 : r);
  const int s2 = (uf2[0] - '0') * 7 + (uf2[1] - '0') * 8 + d1 * 9;
  r = s2 % 11;
  int d2 = r == 10 ? 0 : (r == 0 && sp_mg ? 1 : r);
  return {static_cast<char>('0' + d1), static_cast<char>('0' + d2)};
}

bool TituloValid(std::string_view s) {
  const std::string n = DigitsOf(s);
  if (n.size() != 12) return false;
  const int uf = (n[8] - '0') * 10 + (n[9] - '0');
  if (uf < 1 || uf > 28) return false;
  const std::string_view v(n);
  return TituloCheckDigits(v.substr(0, 8), v.substr(8, 2)) == v.substr(10);
}

char PisCheckDigit(std::string_view base10) {
  static constexpr std::array<int, 10> kW = {3, 2, 9, 8, 7, 6, 5, 4, 3, 2};
  if (base10.size() != 10) return '?';
  int s = 0;
  for (int i = 0; i < 10; ++i) s += (base10[i] - '0') * kW[i];
  const int dv = 11 - s % 11;
  return dv >= 10 ? '0' : static_cast<char>('0' + dv);
}

bool PisValid(std::string_view s) {
  const std::string n = DigitsOf(s);
  if (n.size() != 11 || AllSame(n)) return false;
  return PisCheckDigit(std::string_view(n).substr(0, 10)) == n[10];
}

char RgSpCheckDigit(std::string_view base8) {
  if (base8.size() != 8) return '?';
  int s = 0;
  for (int i = 0; i < 8; ++i) s += (base8[i] - '0') * (i + 2);
  const int dv = 11 - s % 11;
  if (dv == 11) return '0';
  if (dv == 10) return 'X';
  return static_cast<char>('0' + dv);
}

bool RgSpValid(std::string_view s) {
  std::string n;
  for (char c : s) {
    if (IsDigit(c)) {
      n.push_back(c);
    } else if (c == 'X' || c == 'x') {
      n.push_back('X');
    }
  }
  if (n.size() != 9) return false;
  for (int i = 0; i < 8; ++i) {
    if (!IsDigit(n[i])) return false;
  }
  return RgSpCheckDigit(std::string_view(n).substr(0, 8)) == n[8];
}

bool LuhnValid(std::string_view s) {
  const std::string n = DigitsOf(s);
  if (n.size() < 13 || n.size() > 19) return false;
  int total = 0;
  for (size_t i = 0; i < n.size(); ++i) {
    int d = n[n.size() - 1 - i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 == 0;
}

bool CardIssuerKnown(std::string_view d) {
  const size_t len = d.size();
  auto prefix = [&](size_t n) {
    int v = 0;
    for (size_t i = 0; i < n && i < len; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  if (len < 13) return false;
  // Elo and Hipercard ranges first (they overlap Visa/Discover prefixes).
  static constexpr std::array<int, 12> kElo6 = {401178, 401179, 431274, 438935, 451416, 457393,
                                                457631, 457632, 504175, 627780, 636297, 636368};
  const int p6 = prefix(6);
  for (int e : kElo6) {
    if (p6 == e && len == 16) return true;
  }
  if ((p6 == 606282 || p6 == 384100 || p6 == 384140 || p6 == 384160) && (len == 16 || len == 19))
    return true;
  if (d[0] == '4') return len == 13 || len == 16 || len == 19;  // Visa
  const int p2 = prefix(2);
  if (p2 >= 51 && p2 <= 55 && len == 16) return true;  // Mastercard
  const int p4 = prefix(4);
  if (p4 >= 2221 && p4 <= 2720 && len == 16) return true;
  if ((p2 == 34 || p2 == 37) && len == 15) return true;  // Amex
  if ((p2 == 36 || p2 == 38) && len == 14) return true;  // Diners
  const int p3 = prefix(3);
  if (p3 >= 300 && p3 <= 305 && len == 14) return true;
  if ((p4 == 6011 || p2 == 65) && (len == 16 || len == 19)) return true;           // Discover
  if ((p4 >= 5066 && p4 <= 5067) || (p4 >= 5090 && p4 <= 5099)) return len == 16;  // Elo 50xx
  return false;
}

bool ValidDdd(int ddd) {
  static constexpr std::array<int, 67> kDdd = {
      11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42,
      43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74,
      75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99};
  for (int d : kDdd) {
    if (d == ddd) return true;
  }
  return false;
}

std::optional<PhoneKind> BrPhoneKind(std::string_view s) {
  std::string n = DigitsOf(s);
  const bool plus = s.find('+') != std::string_view::npos;
  if ((plus || n.size() >= 12) && n.size() >= 12 && n.compare(0, 2, "55") == 0) {
    n.erase(0, 2);
  }
  // Long-distance prefix: 0 + DDD, or 0 + carrier (2 digits) + DDD.
  if (n.size() == 11 || n.size() == 12) {
    if (n[0] == '0') n.erase(0, 1);
  }
  if (n.size() == 12 || n.size() == 13) {
    // 0 21 11 98765-4321: drop the carrier code.
    if (n.size() - 2 >= 10 && n[0] != '0') n.erase(0, 2);
  }
  if (n.size() != 10 && n.size() != 11) return std::nullopt;
  const int ddd = (n[0] - '0') * 10 + (n[1] - '0');
  if (!ValidDdd(ddd)) return std::nullopt;
  const std::string_view sub = std::string_view(n).substr(2);
  if (sub.size() == 9 && sub[0] == '9') return PhoneKind::kMobile;
  if (sub.size() == 8 && sub[0] >= '2' && sub[0] <= '5') return PhoneKind::kLandline;
  return std::nullopt;
}

bool IsUf(std::string_view uf) {
  static constexpr std::array<std::string_view, 27> kUf = {
      "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
      "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"};
  for (auto u : kUf) {
    if (u == uf) return true;
  }
  return false;
}

bool Cid10Plausible(std::string_view code) {
  if (code.size() < 3) return false;
  const char letter = code[0];
  if (letter < 'A' || letter > 'Z' || !IsDigit(code[1]) || !IsDigit(code[2])) return false;
  const int n = (code[1] - '0') * 10 + (code[2] - '0');
  // Chapter blocks of ICD-10 (WHO 2019 / DATASUS), with the unused category ranges.
  switch (letter) {
    case 'A':
      return true;
    case 'B':
      return !(n >= 11 && n <= 14);
    case 'C':
      return !(n >= 98);  // C00-C97
    case 'D':
      return n <= 48 || (n >= 50 && n <= 77) || (n >= 80 && n <= 89);
    case 'E':
      return n <= 90 && !(n >= 17 && n <= 19) && !(n >= 36 && n <= 39);
    case 'F':
      return true;
    case 'G':
      return true;
    case 'H':
      return n <= 95;
    case 'I':
      return true;
    case 'J':
      return true;
    case 'K':
      return n <= 93;
    case 'L':
      return true;
    case 'M':
      return true;
    case 'N':
      return true;
    case 'O':
      return true;
    case 'P':
      return n <= 96;
    case 'Q':
      return true;
    case 'R':
      return true;
    case 'S':
      return true;
    case 'T':
      return n <= 98;
    case 'U':
      return true;
    case 'V':
      return n >= 1;
    case 'W':
      return true;
    case 'X':
      return true;
    case 'Y':
      return n <= 98;
    case 'Z':
      return true;
    default:
      return false;
  }
}

bool PlausibleDate(int day, int month, int year) {
  if (year < 100) year += year >= 30 ? 1900 : 2000;
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return false;
  if (month == 2 && day == 29) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap;
  }
  return true;
}

std::string PlateToMercosul(std::string_view old_plate) {
  std::string p;
  for (char c : old_plate) {
    if (c != '-' && c != ' ') p.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  }
  if (p.size() != 7 || !IsDigit(p[4])) return p;
  p[4] = static_cast<char>('A' + (p[4] - '0'));
  return p;
}

}  // namespace hcms::lgpd
