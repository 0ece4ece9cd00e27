#include "content/text.h"

#include <cstdint>

namespace hcms::content {

namespace {

// Latin-1 Supplement and Latin Extended-A letters used in Portuguese (and kin),
// indexed by code point - 0xC0. '\0' means: not a letter we fold.
constexpr char kLatin1Fold[64] = {
    'A', 'A', 'A', 'A', 'A', 'A', 'A', 'C', 'E', 'E', 'E', 'E', 'I', 'I', 'I', 'I',  // C0-CF
    'D', 'N', 'O', 'O', 'O', 'O', 'O', 0,   'O', 'U', 'U', 'U', 'U', 'Y', 0,   's',  // D0-DF
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // E0-EF
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',  // F0-FF
};

}  // namespace

std::string FoldAccents(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC3 && i + 1 < s.size()) {
      const auto c2 = static_cast<unsigned char>(s[i + 1]);
      const unsigned cp = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
      if (cp >= 0xC0 && cp <= 0xFF && kLatin1Fold[cp - 0xC0] != 0) {
        out += kLatin1Fold[cp - 0xC0];
        if (cp == 0xDF) out += 's';  // ß -> ss
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string Slugify(std::string_view s) {
  const std::string folded = FoldAccents(s);
  std::string out;
  bool hyphen = false;
  for (unsigned char c : folded) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (hyphen && !out.empty()) out += '-';
      hyphen = false;
      out += static_cast<char>(c);
    } else if (c >= 'A' && c <= 'Z') {
      if (hyphen && !out.empty()) out += '-';
      hyphen = false;
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == '\'') {
      // "d'água" -> "dagua", as WordPress does
    } else {
      hyphen = true;
    }
    if (out.size() >= 190) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string TrimWords(std::string_view text, size_t max_words) {
  std::string out;
  size_t words = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
      ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' &&
           text[j] != '\r')
      ++j;
    if (words == max_words) {
      out += " [\xE2\x80\xA6]";
      return out;
    }
    if (!out.empty()) out += ' ';
    out.append(text.substr(i, j - i));
    ++words;
    i = j;
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace hcms::content
