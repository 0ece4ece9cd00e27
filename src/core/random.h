// Cryptographically secure randomness (libsodium) and the identifiers built from it.
//
// UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits; sorts by creation
// time, so it indexes well. Used for records that carry health data (DESIGN.md).

#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/clock.h"

namespace hcms {

// Fills `out` with random bytes. Thread-safe. Calls sodium_init once.
void RandomBytes(std::span<uint8_t> out);

// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string RandomHex(size_t bytes);

// Like RandomHex, for identifiers that must be unique but are not secrets (request
// ids): served from a per-thread buffer of system randomness refilled every 4 KiB,
// so that a request costs no system call. Never use it for tokens or keys.
std::string RandomIdHex(size_t bytes);

// `bytes` random bytes as unpadded base64url.
std::string RandomToken(size_t bytes);

// A new UUIDv7 in canonical text form: "0192f3c4-5e6f-7abc-8def-0123456789ab".
std::string NewUuidV7(TimePoint now);
std::string NewUuidV7();

// True for the canonical 36-character lower/upper-case hex form.
bool IsUuid(std::string_view text);

// Lower-case hex of arbitrary bytes.
std::string HexEncode(std::span<const uint8_t> bytes);

}  // namespace hcms
