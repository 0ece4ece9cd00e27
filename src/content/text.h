// Text helpers for content: slugs, accent folding, excerpts.

#pragma once

#include <string>
#include <string_view>

namespace hcms::content {

// Folds Latin accents to ASCII ("Saúde Pública" -> "Saude Publica"); other UTF-8
// is kept as is.
std::string FoldAccents(std::string_view s);

// A WordPress-style slug: accents folded, lower case, runs of anything but
// [a-z0-9] become one hyphen, trimmed, at most 190 bytes. May be empty.
std::string Slugify(std::string_view s);

// The first `max_words` words of plain text, with "…" when cut.
std::string TrimWords(std::string_view text, size_t max_words);

// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace hcms::content
