// HTML sanitising with an allow-list, on write and on render.
//
// The input is parsed as an HTML5 fragment (gumbo, the same algorithm browsers
// use) and a new document is serialised from the tree: only allow-listed
// elements and attributes survive, every text and attribute value is re-escaped,
// and URLs must be relative or http(s)/mailto/tel. Elements whose content is
// code or a foreign namespace (script, style, iframe, object, svg, math,
// template, noscript, forms, ...) are dropped with everything inside them; other
// unknown elements are unwrapped (their children stay). Comments are dropped
// except Gutenberg block delimiters (<!-- wp:paragraph -->, <!-- /wp:list -->),
// which WordPress needs to edit the post again.
//
// Because the output is produced from the parsed tree and contains nothing that
// parses differently the second time, sanitising is idempotent:
// Sanitize(Sanitize(x)) == Sanitize(x). The XSS corpus test checks that.
//
// Thread-safe (no shared state).

#pragma once

#include <string>
#include <string_view>

namespace hcms::content {

// Bumped whenever the allow-list changes, so cached renders are redone.
inline constexpr int kSanitizerVersion = 1;

std::string SanitizeHtml(std::string_view html);

// The text of an HTML fragment, tags removed, entities decoded, block elements
// separated by newlines; for search, excerpts and feeds.
std::string HtmlToText(std::string_view html);

// True for a URL that may appear in href/src: relative, or http, https, mailto,
// tel (ASCII whitespace and control characters are ignored, as browsers do).
bool IsSafeUrl(std::string_view url);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view s);

}  // namespace hcms::content
