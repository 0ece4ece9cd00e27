// Anonymisation operators applied to the detector's findings.
//
//   redact        remove the value
//   mask          "(11) *****-4321": letters and digits masked except the last N
//   replace       a type tag, "<CPF>", "<NOME>" (or a configured text)
//   pseudonymize  "<CPF_9F2C41D07A3B5E18>": HMAC-SHA256 with the tenant's key over the
//                 normalised value, stable across documents of one tenant and
//                 unlinkable across tenants. Still personal data (LGPD art. 13 §4º).
//   encrypt       "<ENC:cpf:...>": AES-256-GCM with the tenant's key, reversible by
//                 Reidentify for whoever holds the key.
//   keep          leave as is (default for professional data: the byline)
//
// Unkeyed hashes (SHA-256 of a CPF) are deliberately not offered: the CPF space is
// 10^9 and a hash of one is reversed by enumeration in minutes.
//
//   auto keys = lgpd::DeriveTenantKeys(master_key, tenant_id);
//   HCMS_TRY(auto a, lgpd::Analyze(text));
//   HCMS_TRY(auto out, lgpd::Anonymize(text, a.detections,
//                                      {.operators = {{lgpd::PiiType::kCpf, {.op =
//                                      kPseudonymize}}}}, &keys));

#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "lgpd/detector.h"

namespace hcms::lgpd {

struct OperatorConfig {
  Operator op = Operator::kReplace;
  int keep_last = 4;        // mask: letters/digits left visible at the end
  char mask_char = '*';     // mask
  std::string replacement;  // replace: empty = the type tag
};

struct AnonymizeOptions {
  // Operator per type. Types not listed use `fallback` if set, else the detection's
  // recommended operator.
  std::map<PiiType, OperatorConfig> operators;
  std::optional<OperatorConfig> fallback;
  // Professional data (the byline) is kept; when false it gets its type's operator
  // from `operators`/`fallback`, else replace.
  bool keep_professional = true;
};

// Per-tenant keys, derived from the installation's master key with HKDF-SHA256
// (info "hcms lgpd <purpose> v1 tenant=<id>"). Nothing is stored per tenant.
struct TenantKeys {
  int64_t tenant_id = 0;
  std::array<uint8_t, 32> pseudonym{};
  std::array<uint8_t, 32> encryption{};
};
TenantKeys DeriveTenantKeys(std::span<const uint8_t> master_key, int64_t tenant_id);

struct AppliedOperator {
  PiiType type;
  Operator op;
  // Where the output of the operator lies in the anonymised text (code points).
  int64_t start = 0;
  int64_t end = 0;
};

struct Anonymized {
  std::string text;
  std::vector<AppliedOperator> applied;  // in text order; kept values are not listed
};

// Applies the operators to `text` (valid UTF-8) at the detections' byte offsets.
// Errors: kInvalidArgument "invalid_detections" (out of range or overlapping),
// kFailedPrecondition "keys_required" (pseudonymize/encrypt without keys).
Result<Anonymized> Anonymize(std::string_view text, const std::vector<Detection>& detections,
                             const AnonymizeOptions& options, const TenantKeys* keys = nullptr);

// "<CPF>", "<NOME>", "<CID>", ... (pt-BR tags).
std::string_view TypeTag(PiiType type);

// The keyed pseudonym of a value: "<CPF_" + 16 hex digits of HMAC-SHA256 + ">".
// The value is normalised first (digits only for numeric identifiers, lower case for
// e-mail and names), so "529.982.247-25" and "52998224725" give the same pseudonym.
std::string Pseudonym(PiiType type, std::string_view value, const TenantKeys& keys);

// The mask operator on one value.
std::string Mask(std::string_view value, int keep_last, char mask_char);

// Decrypts every "<ENC:type:...>" token in `text`. kInvalidArgument
// "decryption_failed" if a token was altered or sealed by another tenant's key.
Result<std::string> Reidentify(std::string_view text, const TenantKeys& keys);

}  // namespace hcms::lgpd
