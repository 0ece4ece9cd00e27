// Escapes text for inclusion inside a JSON string literal (hand-built JSON lines).
// Invalid UTF-8 is replaced by U+FFFD so the output is always valid JSON.

#pragma once

#include <string>
#include <string_view>

namespace hcms {

std::string JsonEscape(std::string_view s);

}  // namespace hcms
