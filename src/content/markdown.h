// Markdown (GitHub Flavored, cmark-gfm) to HTML. The result still goes through
// SanitizeHtml before anyone sees it: raw HTML in Markdown is allowed by the
// parser and then cleaned by the same allow-list as HTML posts.

#pragma once

#include <string>
#include <string_view>

namespace hcms::content {

// Tables, strikethrough, autolinks and task lists enabled. Thread-safe.
std::string MarkdownToHtml(std::string_view markdown);

}  // namespace hcms::content
