// Ed25519 signatures (OpenSSL 3): the audit trail's signed checkpoints.
//
// A key file is the PKCS#8 PEM that `openssl genpkey -algorithm ed25519` writes;
// LoadOrCreateSigningKey creates one (mode 0600) when the file does not exist.
// The key id is the first 16 hex digits of SHA-256 over the raw public key.
// Thread-safe after construction.

#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hcms::crypto {

class SigningKey {
 public:
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;

  // kUnavailable "signing_key_unavailable" when the file cannot be read or created,
  // kInvalidArgument "signing_key_invalid" when it is not an Ed25519 private key.
  static Result<SigningKey> LoadOrCreate(const std::string& pem_path);
  static Result<SigningKey> Generate();

  // 64-byte signature, lower-case hex.
  std::string SignHex(std::string_view message) const;
  // Verifies a hex signature against this key's public half.
  bool VerifyHex(std::string_view message, std::string_view signature_hex) const;
  const std::string& key_id() const { return key_id_; }
  std::string PublicKeyHex() const;

 private:
  SigningKey() = default;
  void* pkey_ = nullptr;  // EVP_PKEY*
  std::string key_id_;
};

// Verifies with a raw 32-byte public key given in hex.
bool VerifyEd25519Hex(std::string_view public_key_hex, std::string_view message,
                      std::string_view signature_hex);

}  // namespace hcms::crypto
