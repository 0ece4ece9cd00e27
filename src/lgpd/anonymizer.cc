#include "lgpd/anonymizer.h"

#include <algorithm>

#include <fmt/format.h>

#include "crypto/keyed.h"
#include "lgpd/utf8.h"
#include "lgpd/validators.h"

namespace hcms::lgpd {

namespace {

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Url(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    if (i + 1 < in.size()) out += kB64[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const size_t v = kB64.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string LowerAscii(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

std::string Normalize(PiiType type, std::string_view v) {
  switch (type) {
    case PiiType::kCpf:
    case PiiType::kCns:
    case PiiType::kTituloEleitor:
    case PiiType::kPis:
    case PiiType::kCreditCard:
    case PiiType::kCep:
      return DigitsOf(v);
    case PiiType::kPhone: {
      std::string d = DigitsOf(v);
      if (d.size() >= 12 && d.compare(0, 2, "55") == 0) d.erase(0, 2);
      if (!d.empty() && d[0] == '0') d.erase(0, 1);
      return d;
    }
    case PiiType::kCnpj: {
      std::string out;
      for (char c : v) {
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) out.push_back(c);
      }
      return out;
    }
    default:
      return LowerAscii(v);
  }
}

}  // namespace

TenantKeys DeriveTenantKeys(std::span<const uint8_t> master_key, int64_t tenant_id) {
  TenantKeys k;
  k.tenant_id = tenant_id;
  const auto p = crypto::HkdfSha256(master_key, "hcms-lgpd",
                                    fmt::format("hcms lgpd pseudonym v1 tenant={}", tenant_id), 32);
  const auto e = crypto::HkdfSha256(master_key, "hcms-lgpd",
                                    fmt::format("hcms lgpd encrypt v1 tenant={}", tenant_id), 32);
  std::copy(p.begin(), p.end(), k.pseudonym.begin());
  std::copy(e.begin(), e.end(), k.encryption.begin());
  return k;
}

std::string_view TypeTag(PiiType type) {
  switch (type) {
    case PiiType::kCpf:
      return "<CPF>";
    case PiiType::kCnpj:
      return "<CNPJ>";
    case PiiType::kCns:
      return "<CNS>";
    case PiiType::kRg:
      return "<RG>";
    case PiiType::kTituloEleitor:
      return "<TITULO_ELEITOR>";
    case PiiType::kPis:
      return "<PIS>";
    case PiiType::kCrm:
      return "<CRM>";
    case PiiType::kCrp:
      return "<CRP>";
    case PiiType::kCoren:
      return "<COREN>";
    case PiiType::kPhone:
      return "<TELEFONE>";
    case PiiType::kEmail:
      return "<EMAIL>";
    case PiiType::kCep:
      return "<CEP>";
    case PiiType::kBirthDate:
      return "<DATA_NASCIMENTO>";
    case PiiType::kCid10:
      return "<CID>";
    case PiiType::kPersonName:
      return "<NOME>";
    case PiiType::kCreditCard:
      return "<CARTAO>";
    case PiiType::kIpAddress:
      return "<IP>";
    case PiiType::kLicensePlate:
      return "<PLACA>";
  }
  return "<DADO>";
}

std::string Pseudonym(PiiType type, std::string_view value, const TenantKeys& keys) {
  const std::string input = fmt::format("{}:{}", PiiTypeName(type), Normalize(type, value));
  const crypto::Sha256Digest mac = crypto::HmacSha256(keys.pseudonym, input);
  std::string_view tag = TypeTag(type);
  tag.remove_prefix(1);
  tag.remove_suffix(1);
  std::string out = fmt::format("<{}_", tag);
  for (size_t i = 0; i < 8; ++i) out += fmt::format("{:02X}", mac[i]);
  out += ">";
  return out;
}

std::string Mask(std::string_view value, int keep_last, char mask_char) {
  // Count letters/digits so the last `keep_last` stay visible; UTF-8 letters count once.
  int total = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if ((c & 0xC0) == 0x80) continue;
    if (std::isalnum(c) || c >= 0x80) ++total;
  }
  std::string out;
  int seen = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation bytes follow their lead byte
    size_t len = 1;
    while (i + len < value.size() && (static_cast<unsigned char>(value[i + len]) & 0xC0) == 0x80)
      ++len;
    const bool alnum = std::isalnum(c) || c >= 0x80;
    if (alnum) ++seen;
    if (alnum && seen <= total - keep_last) {
      out.push_back(mask_char);
    } else {
      out.append(value.substr(i, len));
    }
  }
  return out;
}

Result<Anonymized> Anonymize(std::string_view text, const std::vector<Detection>& detections,
                             const AnonymizeOptions& options, const TenantKeys* keys) {
  std::vector<const Detection*> order;
  for (const Detection& d : detections) order.push_back(&d);
  std::sort(order.begin(), order.end(),
            [](const Detection* a, const Detection* b) { return a->byte_start < b->byte_start; });
  int64_t prev_end = 0;
  for (const Detection* d : order) {
    if (d->byte_start < prev_end || d->byte_end <= d->byte_start ||
        d->byte_end > static_cast<int64_t>(text.size())) {
      return InvalidArgument("invalid_detections",
                             "As detecções não correspondem ao texto (sobrepostas ou fora dele).");
    }
    prev_end = d->byte_end;
  }

  Anonymized out;
  out.text.reserve(text.size());
  int64_t cursor = 0;
  std::vector<std::pair<int64_t, int64_t>> byte_spans;  // output spans, converted below
  for (const Detection* d : order) {
    OperatorConfig cfg{.op = d->recommended};
    if (d->professional && options.keep_professional) {
      cfg.op = Operator::kKeep;
    } else if (auto it = options.operators.find(d->type); it != options.operators.end()) {
      cfg = it->second;
    } else if (options.fallback) {
      cfg = *options.fallback;
    } else if (d->professional) {
      cfg.op = Operator::kReplace;  // the byline, with keep_professional off
    }
    out.text.append(text.substr(cursor, d->byte_start - cursor));
    const std::string_view value = text.substr(d->byte_start, d->byte_end - d->byte_start);
    cursor = d->byte_end;
    const auto before = static_cast<int64_t>(out.text.size());
    switch (cfg.op) {
      case Operator::kKeep:
        out.text.append(value);
        continue;
      case Operator::kRedact:
        break;
      case Operator::kMask:
        out.text += Mask(value, cfg.keep_last, cfg.mask_char);
        break;
      case Operator::kReplace:
        out.text += cfg.replacement.empty() ? std::string(TypeTag(d->type)) : cfg.replacement;
        break;
      case Operator::kPseudonymize:
        if (keys == nullptr) {
          return std::unexpected(Error(ErrorKind::kFailedPrecondition, "keys_required",
                                       "Pseudonimização exige a chave da clínica."));
        }
        out.text += Pseudonym(d->type, value, *keys);
        break;
      case Operator::kEncrypt: {
        if (keys == nullptr) {
          return std::unexpected(Error(ErrorKind::kFailedPrecondition, "keys_required",
                                       "Criptografia exige a chave da clínica."));
        }
        HCMS_TRY(std::string box,
                 crypto::AesGcmSeal(keys->encryption, value, PiiTypeName(d->type)));
        out.text += fmt::format("<ENC:{}:{}>", PiiTypeName(d->type), Base64Url(box));
        break;
      }
    }
    out.applied.push_back({d->type, cfg.op, 0, 0});
    byte_spans.emplace_back(before, static_cast<int64_t>(out.text.size()));
  }
  out.text.append(text.substr(cursor));
  // Output offsets in code points (one pass; spans are in order).
  std::vector<int64_t> offsets;
  for (const auto& [b, e] : byte_spans) {
    offsets.push_back(b);
    offsets.push_back(e);
  }
  BytesToCodePoints(out.text, offsets);
  for (size_t i = 0; i < out.applied.size(); ++i) {
    out.applied[i].start = offsets[2 * i];
    out.applied[i].end = offsets[2 * i + 1];
  }
  return out;
}

Result<std::string> Reidentify(std::string_view text, const TenantKeys& keys) {
  std::string out;
  size_t cursor = 0;
  for (;;) {
    const size_t at = text.find("<ENC:", cursor);
    if (at == std::string_view::npos) break;
    const size_t colon = text.find(':', at + 5);
    const size_t close = text.find('>', at + 5);
    if (colon == std::string_view::npos || close == std::string_view::npos || colon > close) {
      out.append(text.substr(cursor, at + 5 - cursor));
      cursor = at + 5;
      continue;
    }
    const std::string_view type = text.substr(at + 5, colon - at - 5);
    auto box = Base64UrlDecode(text.substr(colon + 1, close - colon - 1));
    if (!ParsePiiType(type) || !box) {
      return std::unexpected(Error(ErrorKind::kInvalidArgument, "decryption_failed"));
    }
    HCMS_TRY(std::string plain, crypto::AesGcmOpen(keys.encryption, *box, type));
    out.append(text.substr(cursor, at - cursor));
    out += plain;
    cursor = close + 1;
  }
  out.append(text.substr(cursor));
  return out;
}

}  // namespace hcms::lgpd
