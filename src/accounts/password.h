// Password hashing with Argon2id (libsodium crypto_pwhash), and the minimum policy.
//
// Hashes are self-describing PHC strings ("$argon2id$v=19$m=65536,t=3,p=1$..."), so
// parameters can change without a migration: NeedsRehash tells the login path to
// store a fresh hash. Thread-safe.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace hcms::accounts {

struct PasswordParams {
  uint64_t ops_limit = 3;                  // Argon2id passes
  uint64_t mem_limit_bytes = 64ull << 20;  // 64 MiB
};

// kInvalidArgument "weak_password" (with a field error) if `password` breaks the
// policy: at least 12 characters, at most 1024 bytes, not all one character.
Status CheckPasswordPolicy(std::string_view password);

Result<std::string> HashPassword(std::string_view password, const PasswordParams& params);
// Constant-time verification; false for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);
bool NeedsRehash(const std::string& hash, const PasswordParams& params);

// A random password of `length` characters from an unambiguous alphabet.
std::string GeneratePassword(size_t length = 20);

}  // namespace hcms::accounts
