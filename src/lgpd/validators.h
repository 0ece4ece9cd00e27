// Check-digit and format validators for Brazilian identifiers (pii-spec.md §2-3).
//
// Each function takes the value as written (punctuation, spaces and NBSP are
// ignored where the format allows them) and answers whether it is valid. They are
// pure, allocation-free for the common case, and shared with the accounts module
// (professional registrations) and the corpus generator.
//
//   lgpd::CpfValid("529.982.247-25")      // true
//   lgpd::CpfValid("111.111.111-11")      // false: repeated digits
//   lgpd::CnpjValid("12.ABC.345/01DE-35") // true: 2026 alphanumeric form

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hcms::lgpd {

// The ASCII digits of `s`, in order.
std::string DigitsOf(std::string_view s);

// CPF: mod-11 twice, repeated digits rejected.
bool CpfValid(std::string_view s);
// The two check digits for a 9-digit base ("123456789" -> "09").
std::string CpfCheckDigits(std::string_view base9);

// CNPJ, numeric or alphanumeric (characters valued ASCII - 48, check digits numeric).
bool CnpjValid(std::string_view s);
std::string CnpjCheckDigits(std::string_view base12);

// Cartão Nacional de Saúde: the DATASUS routine for 1/2, weighted sum for 7/8/9.
bool CnsValid(std::string_view s);

// Título de eleitor: 8-digit sequence, UF 01-28, two check digits (SP/MG rule).
bool TituloValid(std::string_view s);
std::string TituloCheckDigits(std::string_view seq8, std::string_view uf2);

// PIS/PASEP/NIS/NIT.
bool PisValid(std::string_view s);
char PisCheckDigit(std::string_view base10);

// RG of São Paulo (community-documented algorithm, X for 10). Other states publish
// no algorithm: failing this says nothing about a non-SP RG.
bool RgSpValid(std::string_view s);
char RgSpCheckDigit(std::string_view base8);

// Luhn over 13-19 digits.
bool LuhnValid(std::string_view s);
// Known issuer prefix (Visa, Mastercard, Amex, Diners, Discover, Elo, Hipercard) for the
// digit string's length.
bool CardIssuerKnown(std::string_view digits);

// Brazilian phone numbers: "mobile", "landline", or nullopt. Accepts +55 and a
// leading 0 / carrier code; needs a valid DDD.
enum class PhoneKind { kMobile, kLandline };
std::optional<PhoneKind> BrPhoneKind(std::string_view s);
bool ValidDdd(int ddd);

// The 27 federative units ("SP", "RJ", ...).
bool IsUf(std::string_view uf);

// CID-10: "F32", "F32.1", "F321". True when the 3-character category lies in a
// chapter block that exists (A00-B99, C00-D48, ..., U00-U99, V01-Y98, Z00-Z99).
bool Cid10Plausible(std::string_view code);

// Calendar date with a plausible birth year (1900-2099; two-digit years accepted).
bool PlausibleDate(int day, int month, int year);

// Old plate "ABC-1234" -> Mercosul "ABC1C34".
std::string PlateToMercosul(std::string_view old_plate);

}  // namespace hcms::lgpd
