#include "accounts/registration.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace hcms::accounts {

namespace {

constexpr std::array<std::string_view, 27> kUfs = {
    "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA",
    "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"};

std::string Upper(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Digits of "123.456" -> "123456"; nullopt when anything else appears or the count
// is outside [1, max].
std::optional<std::string> Digits(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += c;
    } else if (c != '.') {
      return std::nullopt;
    }
  }
  if (out.empty() || out.size() > max) return std::nullopt;
  return out;
}

}  // namespace

bool IsValidUf(std::string_view uf) {
  return std::find(kUfs.begin(), kUfs.end(), uf) != kUfs.end();
}

Result<Registration> ValidateRegistration(std::string_view kind, std::string_view number,
                                          std::string_view uf,
                                          std::optional<std::string_view> rqe) {
  Error e(ErrorKind::kInvalidArgument, "validation_failed", "Registro profissional inválido.");
  Registration r;
  r.kind = Upper(kind);
  r.uf = Upper(uf);
  const std::string num = Upper(number);
  if (r.kind != "CRM" && r.kind != "CRP" && r.kind != "COREN") {
    e.WithField("registration.kind", "invalid_value", "CRM, CRP ou COREN");
  }
  if (r.kind == "CRP") {
    const bool region_ok = r.uf.size() == 2 && std::isdigit(static_cast<unsigned char>(r.uf[0])) &&
                           std::isdigit(static_cast<unsigned char>(r.uf[1])) && r.uf >= "01" &&
                           r.uf <= "24";
    if (!region_ok) e.WithField("registration.uf", "invalid_value", "região do CRP: 01 a 24");
  } else if (!IsValidUf(r.uf)) {
    e.WithField("registration.uf", "invalid_value", "sigla de UF, ex.: SP");
  }
  if (r.kind == "COREN") {
    const size_t dash = num.find('-');
    auto digits = Digits(num.substr(0, dash), 7);
    const std::string cat = dash == std::string::npos ? "" : num.substr(dash + 1);
    const bool cat_ok = cat.empty() || cat == "ENF" || cat == "TE" || cat == "AE" || cat == "OBST";
    if (!digits || !cat_ok) {
      e.WithField("registration.number", "invalid_format", "ex.: 123456-ENF");
    } else {
      r.number = cat.empty() ? *digits : *digits + "-" + cat;
    }
  } else if (auto digits = Digits(num, 6)) {
    r.number = *digits;
  } else {
    e.WithField("registration.number", "invalid_format", "1 a 6 dígitos");
  }
  if (rqe && !rqe->empty()) {
    if (r.kind != "CRM") {
      e.WithField("registration.rqe", "not_applicable", "RQE só existe para médicos (CRM)");
    } else if (auto d = Digits(Upper(*rqe), 6)) {
      r.rqe = *d;
    } else {
      e.WithField("registration.rqe", "invalid_format", "1 a 6 dígitos");
    }
  }
  if (!e.fields().empty()) return std::unexpected(std::move(e));
  return r;
}

std::string FormatRegistration(const Registration& r) {
  std::string s = r.kind == "CRP" ? fmt::format("CRP {}/{}", r.uf, r.number)
                                  : fmt::format("{}-{} {}", r.kind, r.uf, r.number);
  if (r.rqe) s += " RQE " + *r.rqe;
  return s;
}

}  // namespace hcms::accounts
