// UTF-8 helpers for the detector: validation and byte -> code point offsets.
// Internal to lgpd/ (the anonymizer and the API edge use them too).

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hcms::lgpd {

// The byte offset of the first ill-formed sequence (overlong forms, surrogates, code
// points above U+10FFFF, truncated sequences), or nullopt when `s` is valid UTF-8.
std::optional<size_t> FirstInvalidUtf8(std::string_view s);

// Number of code points in valid UTF-8.
int64_t CountCodePoints(std::string_view s);

// Rewrites each byte offset in `offsets` (sorted ascending, each on a code point
// boundary of valid UTF-8 `s`) into a code point offset, in one pass over `s`.
void BytesToCodePoints(std::string_view s, std::span<int64_t> offsets);

// The byte offset of code point `cp` in valid UTF-8 `s`; nullopt past the end.
std::optional<size_t> CodePointToByte(std::string_view s, int64_t cp);

}  // namespace hcms::lgpd
