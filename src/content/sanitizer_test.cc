#include "content/sanitizer.h"

#include <gtest/gtest.h>

#include "content/markdown.h"
#include "content/text.h"

namespace hcms::content {
namespace {

// Payloads from the usual XSS cheat sheets: scripts, event handlers, javascript:
// URLs, SVG/MathML, style, iframes/objects, and mutation XSS (markup that changes
// meaning when parsed again).
const char* const kXssCorpus[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" ONERROR=\"alert(1)\">",
    "<body onload=alert(1)>",
    "<p onclick=\"alert(1)\">x</p>",
    "<div onmouseover=alert(1)>hover</div>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java\tscript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<img src=\"javascript:alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    // mutation XSS
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
    "<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;img src=1 "
    "onerror=alert(1)&gt;\">",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<listing>&lt;img src=1 onerror=alert(1)&gt;</listing>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- wp:paragraph --><img src=x onerror=alert(1)><!-- /wp:paragraph -->",
    "<!-- wp:x {\"a\":\"--><script>alert(1)</script>\"} -->",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">ok</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "\"><script>alert(1)</script>",
    "<<script>script>alert(1)//<</script>/script>",
};

// Looks only inside tags: escaped text ("&lt;script&gt;") is harmless.
bool LooksDangerous(const std::string& html) {
  std::string lower;
  for (char c : html) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t pos = 0;
  while ((pos = lower.find('<', pos)) != std::string::npos) {
    const size_t end = lower.find('>', pos);
    const std::string tag = lower.substr(pos, end == std::string::npos ? end : end - pos + 1);
    pos = end == std::string::npos ? lower.size() : end;
    if (tag.rfind("<!--", 0) == 0) {
      if (tag.find(" wp:") != 4 && tag.find(" /wp:") != 4) return true;
      continue;
    }
    for (const char* bad :
         {"<script",   "javascript:", "vbscript:", "data:",   " on",     "<svg",
          "<math",     "<style",      "style=",    "<iframe", "<object", "<embed",
          "<form",     "<input",      "<meta",     "<base",   "<link",   "<noscript",
          "<textarea", "<template",   "<title",    "srcdoc",  "<xmp",    "<listing"}) {
      if (tag.find(bad) != std::string::npos) return true;
    }
  }
  return false;
}

TEST(Sanitizer, NeutralisesTheXssCorpus) {
  for (const char* payload : kXssCorpus) {
    const std::string once = SanitizeHtml(payload);
    EXPECT_FALSE(LooksDangerous(once)) << payload << "\n -> " << once;
    // Idempotent: what we emit parses back to the same thing (no mutation).
    EXPECT_EQ(SanitizeHtml(once), once) << payload;
  }
}

TEST(Sanitizer, KeepsGutenbergBlocksAndOrdinaryMarkup) {
  const std::string in =
      "<!-- wp:heading {\"level\":3} -->\n<h3 class=\"wp-block-heading\">Título</h3>\n"
      "<!-- /wp:heading -->\n\n<!-- wp:paragraph -->\n<p>Texto com <strong>ênfase</strong>, "
      "<a href=\"https://example.org/x?a=1&amp;b=2\">link</a> e <em>itálico</em>.</p>\n"
      "<!-- /wp:paragraph -->\n\n<!-- wp:list -->\n<ul><li>um</li><li>dois</li></ul>\n"
      "<!-- /wp:list -->";
  EXPECT_EQ(SanitizeHtml(in), in);
}

TEST(Sanitizer, DropsOrdinaryCommentsAndUnwrapsUnknownElements) {
  EXPECT_EQ(SanitizeHtml("<p>a<!-- secret -->b</p>"), "<p>ab</p>");
  EXPECT_EQ(SanitizeHtml("<center><font color=red>x</font></center>"), "x");
  EXPECT_EQ(SanitizeHtml("<p>a<script>x</script>b</p>"), "<p>ab</p>");
}

TEST(Sanitizer, ChecksUrlsAndAddsNoopener) {
  EXPECT_EQ(SanitizeHtml("<a href=\"/relativo\">x</a>"), "<a href=\"/relativo\">x</a>");
  EXPECT_EQ(SanitizeHtml("<a href=\"mailto:a@b.c\">x</a>"), "<a href=\"mailto:a@b.c\">x</a>");
  EXPECT_EQ(SanitizeHtml("<a href=\"https://x.org\" target=\"_blank\" rel=\"opener\">x</a>"),
            "<a href=\"https://x.org\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
  EXPECT_EQ(SanitizeHtml("<img src=\"data:image/png;base64,AAAA\" alt=\"a\">"), "<img alt=\"a\">");
  EXPECT_EQ(SanitizeHtml("<td colspan=\"2x\">a</td>"), "a");  // td outside a table: unwrapped
  EXPECT_TRUE(IsSafeUrl("https://x.org"));
  EXPECT_TRUE(IsSafeUrl("foo/bar:baz"));
  EXPECT_FALSE(IsSafeUrl("java\nscript:alert(1)"));
  EXPECT_FALSE(IsSafeUrl("\x01javascript:alert(1)"));
}

TEST(Sanitizer, EscapesTextAndSurvivesDeepNesting) {
  EXPECT_EQ(SanitizeHtml("a < b & c > d"), "a &lt; b &amp; c &gt; d");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  deep += "x";
  const std::string out = SanitizeHtml(deep);
  EXPECT_NE(out.find('x'), std::string::npos);
  EXPECT_EQ(SanitizeHtml(out), out);
  // Past the depth limit the text survives and dropped content stays dropped.
  std::string mixed;
  for (int i = 0; i < 5000; ++i) mixed += i % 2 ? "<em>" : "<blockquote>";
  mixed += "a<script>bad()</script><style>x{}</style>b &amp; c";
  const std::string flat = SanitizeHtml(mixed);
  EXPECT_NE(flat.find("ab &amp; c"), std::string::npos);
  EXPECT_EQ(flat.find("bad()"), std::string::npos);
  EXPECT_EQ(flat.find("x{}"), std::string::npos);
  EXPECT_EQ(SanitizeHtml(flat), flat);
}

TEST(Sanitizer, ExtractsText) {
  EXPECT_EQ(HtmlToText("<!-- wp:paragraph --><p>Olá &amp; <b>mundo</b></p><p>dois</p>"
                       "<script>x</script>"),
            "Olá & mundo\ndois");
}

TEST(Sanitizer, PlainTextGivesWhatTheParserWouldGive) {
  // Text without markup skips the HTML parser; appending an empty inline element
  // forces the parser and must change nothing. Every string over a small alphabet
  // of letters, accents and whitespace, up to four characters, plus real titles.
  const std::vector<std::string> alphabet = {"a", " ", "\t", "\n", "\f", "é", "\"", ">"};
  std::vector<std::string> inputs = {
      "", "Coração saudável", "  Pressão alta \n", "Dor > 3 dias?", "\tTítulo\t", "\"Citação\""};
  std::vector<std::string> layer = {""};
  for (int len = 1; len <= 4; ++len) {
    std::vector<std::string> next;
    for (const auto& prefix : layer)
      for (const auto& c : alphabet) next.push_back(prefix + c);
    inputs.insert(inputs.end(), next.begin(), next.end());
    layer = std::move(next);
  }
  for (const auto& in : inputs) {
    EXPECT_EQ(HtmlToText(in), HtmlToText(in + "<b></b>")) << "input: [" << in << "]";
  }
}

TEST(Markdown, RendersGfmAndIsSanitisedAfterwards) {
  const std::string html = MarkdownToHtml("# Título\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~");
  EXPECT_NE(html.find("<h1>Título</h1>"), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_NE(html.find("<del>x</del>"), std::string::npos);
  const std::string evil =
      SanitizeHtml(MarkdownToHtml("[x](javascript:alert(1)) <script>a</script>"));
  EXPECT_FALSE(LooksDangerous(evil)) << evil;
}

TEST(Text, SlugifiesPortuguese) {
  EXPECT_EQ(Slugify("Saúde do Coração: o que é?"), "saude-do-coracao-o-que-e");
  EXPECT_EQ(Slugify("  Ação  & Reação "), "acao-reacao");
  EXPECT_EQ(Slugify("!!!"), "");
  EXPECT_EQ(FoldAccents("ÁÉÍÓÚ âêô ãõ ç"), "AEIOU aeo ao c");
  EXPECT_EQ(TrimWords("um dois três quatro", 2), "um dois [\xE2\x80\xA6]");
  EXPECT_TRUE(IsValidUtf8("ação"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

}  // namespace
}  // namespace hcms::content
