#include "content/sanitizer.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <gumbo.h>

namespace hcms::content {

namespace {

enum class Policy { kKeep, kUnwrap, kDrop };

// Elements dropped together with their content.
bool IsDropped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_MARQUEE:
    case GUMBO_TAG_BLINK:
      return true;
    default:
      return false;
  }
}

bool IsVoid(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

bool IsAllowed(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BDI:
    case GUMBO_TAG_BDO:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DFN:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_I:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RUBY:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_U:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

Policy PolicyFor(const GumboElement& el) {
  if (el.tag_namespace != GUMBO_NAMESPACE_HTML) return Policy::kDrop;
  if (el.tag == GUMBO_TAG_UNKNOWN) return Policy::kUnwrap;
  if (IsDropped(el.tag)) return Policy::kDrop;
  if (IsAllowed(el.tag)) return Policy::kKeep;
  return Policy::kUnwrap;  // html, body, font, center, ...
}

enum class AttrKind { kNo, kText, kUrl, kNumber };

AttrKind AttributeKind(GumboTag tag, std::string_view name) {
  if (name == "class" || name == "id" || name == "title" || name == "lang" || name == "dir")
    return AttrKind::kText;
  switch (tag) {
    case GUMBO_TAG_A:
      if (name == "href") return AttrKind::kUrl;
      if (name == "rel" || name == "target" || name == "hreflang") return AttrKind::kText;
      break;
    case GUMBO_TAG_IMG:
      if (name == "src") return AttrKind::kUrl;
      if (name == "alt" || name == "loading" || name == "decoding") return AttrKind::kText;
      if (name == "width" || name == "height") return AttrKind::kNumber;
      break;
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
      if (name == "src" || name == "poster") return AttrKind::kUrl;
      if (name == "controls" || name == "preload" || name == "loop" || name == "muted" ||
          name == "playsinline")
        return AttrKind::kText;
      if (name == "width" || name == "height") return AttrKind::kNumber;
      break;
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
      if (name == "src") return AttrKind::kUrl;
      if (name == "type" || name == "kind" || name == "srclang" || name == "label")
        return AttrKind::kText;
      break;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      if (name == "colspan" || name == "rowspan") return AttrKind::kNumber;
      if (name == "scope" || name == "headers") return AttrKind::kText;
      break;
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
      if (name == "span") return AttrKind::kNumber;
      break;
    case GUMBO_TAG_OL:
      if (name == "start") return AttrKind::kNumber;
      if (name == "reversed" || name == "type") return AttrKind::kText;
      break;
    case GUMBO_TAG_LI:
      if (name == "value") return AttrKind::kNumber;
      break;
    case GUMBO_TAG_TIME:
      if (name == "datetime") return AttrKind::kText;
      break;
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_INS:
      if (name == "cite") return AttrKind::kUrl;
      if (name == "datetime") return AttrKind::kText;
      break;
    case GUMBO_TAG_DETAILS:
      if (name == "open") return AttrKind::kText;
      break;
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_DFN:
      break;
    default:
      break;
  }
  return AttrKind::kNo;
}

bool IsNumber(std::string_view v) {
  if (v.empty() || v.size() > 9) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void AppendEscaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\0':
        break;
      default:
        out += c;
    }
  }
}

// Gutenberg block delimiters: " wp:name {json} " / " /wp:name " / " wp:name /".
// WordPress escapes <, > and -- inside block attributes, so a delimiter never
// contains them; anything that does is not one of ours.
bool IsBlockComment(std::string_view text) {
  if (text.size() > 4096) return false;
  if (text.find("--") != std::string_view::npos || text.find('<') != std::string_view::npos ||
      text.find('>') != std::string_view::npos || text.find('\0') != std::string_view::npos)
    return false;
  std::string_view t = text;
  if (t.empty() || t.front() != ' ' || t.back() != ' ') return false;
  t.remove_prefix(1);
  if (!t.empty() && t.front() == '/') t.remove_prefix(1);
  if (t.substr(0, 3) != "wp:") return false;
  t.remove_prefix(3);
  if (t.empty() || !(t.front() >= 'a' && t.front() <= 'z')) return false;
  return true;
}

class Serializer {
 public:
  explicit Serializer(std::string& out) : out_(out) {}

  void Children(const GumboVector& children, int depth) {
    for (unsigned i = 0; i < children.length; ++i) {
      Node(*static_cast<const GumboNode*>(children.data[i]), depth);
    }
  }

 private:
  // Text and block comments, written as kept; false for elements and documents.
  bool Leaf(const GumboNode& node) {
    switch (node.type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        AppendEscaped(out_, node.v.text.text);
        return true;
      case GUMBO_NODE_COMMENT:
        if (IsBlockComment(node.v.text.text)) {
          out_ += "<!--";
          out_ += node.v.text.text;
          out_ += "-->";
        }
        return true;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
      case GUMBO_NODE_DOCUMENT:
        return false;
    }
    return false;
  }

  void Node(const GumboNode& node, int depth) {
    if (Leaf(node)) return;
    if (node.type == GUMBO_NODE_DOCUMENT) {
      Children(node.v.document.children, depth);
    } else {
      Element(node.v.element, depth);
    }
  }

  static constexpr int kMaxDepth = 256;

  void Element(const GumboElement& el, int depth) {
    // Deeply nested input is flattened rather than risking the stack.
    const Policy policy =
        depth > kMaxDepth && PolicyFor(el) == Policy::kKeep ? Policy::kUnwrap : PolicyFor(el);
    if (policy == Policy::kDrop) return;
    if (policy == Policy::kUnwrap) {
      if (depth > kMaxDepth) {
        Flatten(el.children);
      } else {
        Children(el.children, depth + 1);
      }
      return;
    }
    const char* name = gumbo_normalized_tagname(el.tag);
    out_ += '<';
    out_ += name;
    const bool blank = el.tag == GUMBO_TAG_A && HasTargetBlank(el);
    for (unsigned i = 0; i < el.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(el.attributes.data[i]);
      if (a->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE) continue;
      const std::string_view attr = a->name;
      const std::string_view value = a->value;
      const AttrKind kind = AttributeKind(el.tag, attr);
      if (kind == AttrKind::kNo) continue;
      if (kind == AttrKind::kUrl && !IsSafeUrl(value)) continue;
      if (kind == AttrKind::kNumber && !IsNumber(value)) continue;
      if (el.tag == GUMBO_TAG_A && attr == "target" && value != "_blank") continue;
      if (blank && attr == "rel") continue;  // replaced below
      out_ += ' ';
      out_ += attr;
      out_ += "=\"";
      AppendEscaped(out_, value);
      out_ += '"';
    }
    if (blank) out_ += " rel=\"noopener noreferrer\"";
    out_ += '>';
    if (IsVoid(el.tag)) return;
    Children(el.children, depth + 1);
    out_ += "</";
    out_ += name;
    out_ += '>';
  }

  // Deeper than kMaxDepth every element is unwrapped: what is left is the text and the
  // block comments of everything not dropped, walked with an explicit stack (5,000
  // nested elements must not take 5,000 frames; under AddressSanitizer a frame
  // here is ~7 KB).
  void Flatten(const GumboVector& children) {
    std::vector<const GumboNode*> stack;
    auto push = [&stack](const GumboVector& v) {
      for (unsigned i = v.length; i > 0; --i)
        stack.push_back(static_cast<const GumboNode*>(v.data[i - 1]));
    };
    push(children);
    while (!stack.empty()) {
      const GumboNode& node = *stack.back();
      stack.pop_back();
      if (Leaf(node)) continue;
      if (node.type == GUMBO_NODE_DOCUMENT) {
        push(node.v.document.children);
      } else if (PolicyFor(node.v.element) != Policy::kDrop) {
        push(node.v.element.children);
      }
    }
  }

  static bool HasTargetBlank(const GumboElement& el) {
    const GumboAttribute* t = gumbo_get_attribute(&el.attributes, "target");
    return t != nullptr && std::string_view(t->value) == "_blank";
  }

  std::string& out_;
};

GumboOutput* ParseFragment(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  options.fragment_context = GUMBO_TAG_BODY;
  options.fragment_namespace = GUMBO_NAMESPACE_HTML;
  options.max_errors = 0;
  return gumbo_parse_with_options(&options, html.data(), html.size());
}

bool IsBlockLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return true;
    default:
      return false;
  }
}

void CollectText(const GumboNode& node, std::string& out, int depth) {
  if (depth > 256) return;
  switch (node.type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
      out += node.v.text.text;
      return;
    case GUMBO_NODE_WHITESPACE:
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
      return;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE: {
      const GumboElement& el = node.v.element;
      if (PolicyFor(el) == Policy::kDrop) return;
      for (unsigned i = 0; i < el.children.length; ++i)
        CollectText(*static_cast<const GumboNode*>(el.children.data[i]), out, depth + 1);
      if (IsBlockLevel(el.tag) && !out.empty() && out.back() != '\n') {
        while (!out.empty() && out.back() == ' ') out.pop_back();
        out += '\n';
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace

bool IsSafeUrl(std::string_view url) {
  std::string compact;
  compact.reserve(url.size());
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F) continue;  // browsers drop these inside schemes
    compact += static_cast<char>(c);
  }
  const size_t colon = compact.find(':');
  if (colon == std::string::npos) return true;
  const size_t first_delim = compact.find_first_of("/?#");
  if (first_delim != std::string::npos && first_delim < colon) return true;  // relative
  std::string scheme = compact.substr(0, colon);
  for (char& c : scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  AppendEscaped(out, s);
  return out;
}

std::string SanitizeHtml(std::string_view html) {
  GumboOutput* output = ParseFragment(html);
  std::string out;
  out.reserve(html.size());
  Serializer serializer(out);
  // A fragment parse yields <html> whose children are the fragment's nodes.
  const GumboNode* root = output->root;
  if (root->type == GUMBO_NODE_ELEMENT) serializer.Children(root->v.element.children, 0);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return out;
}

std::string HtmlToText(std::string_view html) {
  // Text with no markup, entity or character the parser rewrites (NUL, CR) is its
  // own text: titles mostly are, and parsing each one was 4 % of a home page.
  if (html.find_first_of(std::string_view("<&\r\0", 4)) == std::string_view::npos &&
      html.find_first_not_of(" \t\n\f") != std::string_view::npos) {
    std::string out(html);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  GumboOutput* output = ParseFragment(html);
  std::string out;
  const GumboNode* root = output->root;
  if (root->type == GUMBO_NODE_ELEMENT) {
    for (unsigned i = 0; i < root->v.element.children.length; ++i)
      CollectText(*static_cast<const GumboNode*>(root->v.element.children.data[i]), out, 0);
  }
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace hcms::content
