// Professional registrations: CRM (physicians), CRP (psychologists), COREN (nursing),
// with the UF (state) and, for specialists, the RQE. Formats follow
// shared/research/pii-spec.md: numbers of 1-6 digits (dots allowed: "123.456"), UF
// one of the 27 federative units; CRP's region is its own 2-digit code (01-24);
// COREN numbers may end in a category (-ENF, -TE, -AE, -OBST); RQE is 1-6 digits.
// Verification status is set by an administrator (the public registries offer no
// API): none -> pending (on entry) -> verified | rejected.

#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hcms::accounts {

struct Registration {
  std::string kind;    // CRM | CRP | COREN
  std::string number;  // normalised: digits (COREN: digits + "-" + category)
  std::string uf;      // "SP"; CRP: region "06"
  std::optional<std::string> rqe;
};

bool IsValidUf(std::string_view uf);

// kInvalidArgument "validation_failed" with field errors on registration.kind,
// registration.number, registration.uf, registration.rqe. Returns the normalised form.
Result<Registration> ValidateRegistration(std::string_view kind, std::string_view number,
                                          std::string_view uf, std::optional<std::string_view> rqe);

// "CRM-SP 123456", "CRP 06/123456", "COREN-SP 123456-ENF" (+ " RQE 12345").
std::string FormatRegistration(const Registration& r);

}  // namespace hcms::accounts
