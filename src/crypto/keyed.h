// Keyed primitives (OpenSSL 3): HMAC-SHA256, HKDF-SHA256 and AES-256-GCM.
//
// Used where a secret must stay secret: pseudonyms of personal data (HMAC with a
// per-tenant key, so values cannot be recovered by enumeration as unkeyed hashes
// can), reversible encryption of personal data (AES-256-GCM, random 96-bit nonce,
// 128-bit tag), and deriving per-purpose keys from one master key (HKDF).
//
//   auto key = crypto::HkdfSha256(master, "salt", "hcms lgpd pseudonym v1 tenant=7", 32);
//   crypto::Sha256Digest tag = crypto::HmacSha256(key, "cpf:52998224725");
//   HCMS_TRY(std::string box, crypto::AesGcmSeal(key, "secret", "aad"));
//   HCMS_TRY(std::string back, crypto::AesGcmOpen(key, box, "aad"));

#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/sha256.h"

namespace hcms::crypto {

Sha256Digest HmacSha256(std::span<const uint8_t> key, std::string_view data);

// RFC 5869 with SHA-256; `length` up to 8160 bytes.
std::vector<uint8_t> HkdfSha256(std::span<const uint8_t> key, std::string_view salt,
                                std::string_view info, size_t length);

// AES-256-GCM. Seal returns nonce (12) || ciphertext || tag (16). `key` must be 32
// bytes (kInternal otherwise). Open returns kInvalidArgument "decryption_failed" when
// the box was altered, truncated, or sealed with another key or AAD.
Result<std::string> AesGcmSeal(std::span<const uint8_t> key, std::string_view plaintext,
                               std::string_view aad);
Result<std::string> AesGcmOpen(std::span<const uint8_t> key, std::string_view sealed,
                               std::string_view aad);

// Constant-time comparison.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace hcms::crypto
