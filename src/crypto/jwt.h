// JSON Web Tokens (RFC 7519) through libjwt, pinned to HS256 with a key ring.
//
// Every token names its key in the header (`kid`). Verification refuses, before
// libjwt sees the token, anything whose header is not exactly {alg: HS256, kid:
// <a key in the ring>}: `alg=none`, other HMAC sizes, RSA/EC algorithms (the
// algorithm-confusion family) and unknown key ids. After libjwt has checked the
// signature, the algorithm is checked again, then exp/nbf (with `leeway`).
// Claims beyond the registered ones are the caller's business.
//
//   KeyRing ring = ...;                       // LoadOrCreateKeyRing(path)
//   auto token = SignJwt(ring, claims_json);   // uses ring.active
//   auto claims = VerifyJwt(ring, token, now); // nlohmann::json of the payload
//
// Errors (kUnauthenticated): token_malformed, token_algorithm_rejected,
// token_key_unknown, token_signature_invalid, token_expired, token_not_yet_valid.
// Thread-safe: the functions keep no state; a KeyRing is immutable once built.

#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/clock.h"
#include "core/error.h"

namespace hcms::crypto {

struct JwtKey {
  std::string kid;
  std::vector<uint8_t> secret;  // >= 32 bytes
  std::string created_at;
};

struct KeyRing {
  std::vector<JwtKey> keys;  // the active key and keys still accepted for verification
  std::string active;        // kid used to sign
  const JwtKey* Find(std::string_view kid) const;
};

// Reads a key ring file (JSON: {"active": kid, "keys": [{"kid","secret"(base64url),
// "created_at"}]}); creates one with a fresh key (mode 0600) when it does not exist.
Result<KeyRing> LoadOrCreateKeyRing(const std::string& path, TimePoint now);
// Adds a new active key; keeps the previous ones for verification, dropping all
// but the newest `keep` old keys. Writes the file atomically.
Result<KeyRing> RotateKeyRing(const std::string& path, TimePoint now, size_t keep = 2);
KeyRing NewKeyRing(TimePoint now);

// Signs `payload` (a JSON object) with the active key. kInternal on failure.
Result<std::string> SignJwt(const KeyRing& ring, const nlohmann::json& payload);
// Signs with an explicit algorithm name and key bytes (tests of hostile tokens).
Result<std::string> SignJwtWith(std::string_view alg, std::string_view kid,
                                const std::vector<uint8_t>& key, const nlohmann::json& payload);

// Verifies and returns the payload. `leeway` applies to exp and nbf.
Result<nlohmann::json> VerifyJwt(const KeyRing& ring, std::string_view token, TimePoint now,
                                 std::chrono::seconds leeway = std::chrono::seconds(5));

// base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace hcms::crypto
