#include "accounts/password.h"

#include <sodium.h>

#include "core/random.h"

namespace hcms::accounts {

Status CheckPasswordPolicy(std::string_view password) {
  auto weak = [](std::string code, std::string message) -> Status {
    return std::unexpected(Error(ErrorKind::kInvalidArgument, "weak_password", message)
                               .WithField("password", std::move(code), message));
  };
  size_t code_points = 0;
  for (unsigned char c : password) code_points += (c & 0xC0) != 0x80;
  if (code_points < 12) return weak("too_short", "A senha precisa ter pelo menos 12 caracteres.");
  if (password.size() > 1024) return weak("too_long", "A senha pode ter no máximo 1024 bytes.");
  if (password.find_first_not_of(password.front()) == std::string_view::npos) {
    return weak("repetitive", "A senha não pode repetir um único caractere.");
  }
  return Ok();
}

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params) {
  if (sodium_init() < 0) return Internal("sodium_init failed");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops_limit,
                            static_cast<size_t>(params.mem_limit_bytes),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("crypto_pwhash_str_alg failed (out of memory?)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (sodium_init() < 0 || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool NeedsRehash(const std::string& hash, const PasswordParams& params) {
  if (hash.size() >= crypto_pwhash_STRBYTES) return true;
  return crypto_pwhash_str_needs_rehash(hash.c_str(), params.ops_limit,
                                        static_cast<size_t>(params.mem_limit_bytes)) != 0;
}

std::string GeneratePassword(size_t length) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    uint8_t b[32];
    RandomBytes(b);
    for (uint8_t x : b) {
      // Rejection sampling keeps the distribution uniform.
      if (x < 256 - 256 % kAlphabet.size() && out.size() < length)
        out += kAlphabet[x % kAlphabet.size()];
    }
  }
  return out;
}

}  // namespace hcms::accounts
