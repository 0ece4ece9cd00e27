#include "core/random.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include <sodium.h>

namespace hcms {

namespace {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();  // no entropy source: nothing safe can run
    return true;
  }();
  (void)ready;
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void RandomBytes(std::span<uint8_t> out) {
  EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  std::string s(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return s;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  RandomBytes({reinterpret_cast<uint8_t*>(raw.data()), raw.size()});
  return HexEncode({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()});
}

std::string RandomIdHex(size_t bytes) {
  thread_local std::array<uint8_t, 4096> pool;
  thread_local size_t used = pool.size();
  std::string out;
  out.reserve(bytes * 2);
  while (bytes > 0) {
    if (used == pool.size()) {
      RandomBytes(pool);
      used = 0;
    }
    const size_t n = std::min(bytes, pool.size() - used);
    out += HexEncode({pool.data() + used, n});  // each byte goes out once
    used += n;
    bytes -= n;
  }
  return out;
}

std::string RandomToken(size_t bytes) {
  EnsureSodium();
  std::string raw(bytes, '\0');
  RandomBytes({reinterpret_cast<uint8_t*>(raw.data()), raw.size()});
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string NewUuidV7(TimePoint now) {
  uint8_t b[16];
  RandomBytes(b);
  const uint64_t ms = static_cast<uint64_t>(now.time_since_epoch().count() / 1000);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20);
}

std::string NewUuidV7() { return NewUuidV7(SystemClock::Instance().Now()); }

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace hcms
