// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) through liboath, the otpauth://
// enrolment URI for authenticator apps (shown as a QR code by the admin UI), and
// recovery codes.
//
// The shared secret is stored encrypted (libsodium secretbox, key from
// `auth.secrets_key_file`), since TOTP needs it back in clear; recovery codes are
// stored as SHA-256 (they are 80-bit random). Thread-safe.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"

namespace hcms::accounts {

// A new 20-byte secret, base32 (RFC 4648, no padding).
std::string NewTotpSecret();
// The code for `t` (tests, and the CLI's `hcms user totp`).
Result<std::string> TotpCode(std::string_view secret_base32, TimePoint t);
// Accepts the code of the current step and one step either side.
bool VerifyTotp(std::string_view secret_base32, std::string_view code, TimePoint now);
// otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
std::string OtpAuthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

// Ten codes "xxxx-xxxx-xxxx" (lower-case base32 letters and digits).
std::vector<std::string> NewRecoveryCodes(size_t count = 10);
// Normalised (lower-case, hyphens and spaces dropped) then hashed.
std::string HashRecoveryCode(std::string_view code);

// Symmetric encryption of small secrets at rest (XSalsa20-Poly1305).
class SecretBox {
 public:
  // Reads a 32-byte key file (base64url); creates it (0600) when missing.
  static Result<SecretBox> LoadOrCreate(const std::string& path);
  static SecretBox FromKey(std::vector<uint8_t> key);
  std::string Seal(std::string_view plain) const;  // base64url(nonce || box)
  Result<std::string> Open(std::string_view sealed) const;

 private:
  std::vector<uint8_t> key_;
};

}  // namespace hcms::accounts
