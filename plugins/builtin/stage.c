#include "stage.h"

hcms_str stage_str(hcms_json obj, const char* key) {
  return hcms_json_string(hcms_json_get(obj, key));
}

int stage_read_input(stage_input* in) {
  hcms_str raw = hcms_input();
  in->root = hcms_json_parse(raw.ptr, raw.len);
  if (in->root.type != HCMS_JSON_OBJECT) {
    hcms_error("entrada inválida: esperado um objeto JSON");
    return 0;
  }
  in->post = hcms_json_get(in->root, "post");
  in->practice = hcms_json_get(in->root, "practice");
  in->previous = hcms_json_get(in->root, "previous");
  if (in->post.type != HCMS_JSON_OBJECT) {
    hcms_error("entrada inválida: \"post\" ausente");
    return 0;
  }
  in->title = stage_str(in->post, "title");
  in->content = stage_str(in->post, "content");
  return 1;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int stage_contains(const char* p, size_t n, const char* needle) {
  size_t m = strlen(needle);
  if (m == 0) return 1;
  for (size_t i = 0; i + m <= n; ++i) {
    size_t k = 0;
    while (k < m && lower((unsigned char)p[i + k]) == (unsigned char)needle[k]) ++k;
    if (k == m) return 1;
  }
  return 0;
}

int64_t stage_code_points(const char* p, size_t n) {
  int64_t c = 0;
  for (size_t i = 0; i < n; ++i) {
    if (((unsigned char)p[i] & 0xc0) != 0x80) ++c;
  }
  return c;
}

static int name_is(const char* p, size_t n, const char* name) {
  size_t m = strlen(name);
  if (n != m) return 0;
  for (size_t i = 0; i < n; ++i) {
    if (lower((unsigned char)p[i]) != name[i]) return 0;
  }
  return 1;
}

static void put_cp(hcms_buf* b, uint32_t cp) {
  if (cp < 0x80) {
    hcms_buf_char(b, (char)cp);
  } else if (cp < 0x800) {
    hcms_buf_char(b, (char)(0xc0 | (cp >> 6)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    hcms_buf_char(b, (char)(0xe0 | (cp >> 12)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x110000) {
    hcms_buf_char(b, (char)(0xf0 | (cp >> 18)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  }
}

static const struct {
  const char* name;
  uint32_t cp;
} kEntities[] = {
    {"amp", '&'},      {"lt", '<'},        {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", ' '},     {"aacute", 0xe1},   {"eacute", 0xe9},  {"iacute", 0xed},  {"oacute", 0xf3},
    {"uacute", 0xfa},  {"atilde", 0xe3},   {"otilde", 0xf5},  {"ccedil", 0xe7},  {"acirc", 0xe2},
    {"ecirc", 0xea},   {"ocirc", 0xf4},    {"agrave", 0xe0},  {"Aacute", 0xc1},  {"Eacute", 0xc9},
    {"Iacute", 0xcd},  {"Oacute", 0xd3},   {"Uacute", 0xda},  {"Atilde", 0xc3},  {"Otilde", 0xd5},
    {"Ccedil", 0xc7},  {"Acirc", 0xc2},    {"Ecirc", 0xca},   {"Ocirc", 0xd4},   {"ndash", 0x2013},
    {"mdash", 0x2014}, {"hellip", 0x2026}, {"ldquo", 0x201c}, {"rdquo", 0x201d}, {"lsquo", 0x2018},
    {"rsquo", 0x2019}, {"ordm", 0xba},     {"ordf", 0xaa},    {"deg", 0xb0},     {"copy", 0xa9},
};

/* Decodes a character reference at s[0..] ('&' included); returns bytes consumed or 0. */
static size_t decode_entity(const char* s, size_t n, hcms_buf* out) {
  size_t end = 1;
  while (end < n && end < 12 && s[end] != ';') ++end;
  if (end >= n || s[end] != ';' || end == 1) return 0;
  if (s[1] == '#') {
    uint32_t cp = 0;
    size_t i = 2;
    int hex = i < end && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    if (i == end) return 0;
    for (; i < end; ++i) {
      char c = s[i];
      int d = (c >= '0' && c <= '9')          ? c - '0'
              : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                              : -1;
      if (d < 0) return 0;
      cp = cp * (hex ? 16 : 10) + (uint32_t)d;
      if (cp > 0x10ffff) return 0;
    }
    put_cp(out, cp == 0 ? 0xfffd : cp);
    return end + 1;
  }
  for (size_t k = 0; k < sizeof kEntities / sizeof kEntities[0]; ++k) {
    size_t m = strlen(kEntities[k].name);
    if (m == end - 1 && memcmp(s + 1, kEntities[k].name, m) == 0) {
      put_cp(out, kEntities[k].cp);
      return end + 1;
    }
  }
  return 0;
}

static int is_block_tag(const char* name, size_t n) {
  static const char* kBlocks[] = {
      "p",          "br",      "li",      "div",   "h1",     "h2",         "h3",
      "h4",         "h5",      "h6",      "tr",    "hr",     "ul",         "ol",
      "blockquote", "section", "article", "table", "figure", "figcaption", "pre"};
  for (size_t k = 0; k < sizeof kBlocks / sizeof kBlocks[0]; ++k) {
    if (name_is(name, n, kBlocks[k])) return 1;
  }
  return 0;
}

hcms_str stage_html_to_text(const char* h, size_t n) {
  hcms_buf out = hcms_buf_new(n + 1);
  size_t i = 0;
  while (i < n) {
    char c = h[i];
    if (c == '<') {
      size_t j = i + 1;
      int closing = j < n && h[j] == '/';
      if (closing) ++j;
      size_t name_start = j;
      while (j < n && ((h[j] >= 'a' && h[j] <= 'z') || (h[j] >= 'A' && h[j] <= 'Z') ||
                       (h[j] >= '0' && h[j] <= '9')))
        ++j;
      size_t name_len = j - name_start;
      if (name_len == 0 && !(j < n && (h[j] == '!' || h[j] == '?'))) {
        hcms_buf_char(&out, '<'); /* a bare '<' in text */
        ++i;
        continue;
      }
      /* skip to the end of the tag, honouring quoted attribute values */
      char quote = 0;
      while (j < n && (quote || h[j] != '>')) {
        if (quote) {
          if (h[j] == quote) quote = 0;
        } else if (h[j] == '"' || h[j] == '\'') {
          quote = h[j];
        }
        ++j;
      }
      size_t tag_end = j < n ? j + 1 : n;
      if (!closing && (name_is(h + name_start, name_len, "script") ||
                       name_is(h + name_start, name_len, "style"))) {
        /* drop everything up to the matching close tag */
        const char* close = name_is(h + name_start, name_len, "script") ? "</script" : "</style";
        size_t cl = strlen(close);
        size_t k = tag_end;
        while (k + cl <= n) {
          size_t m = 0;
          while (m < cl && lower((unsigned char)h[k + m]) == close[m]) ++m;
          if (m == cl) break;
          ++k;
        }
        while (k < n && h[k] != '>') ++k;
        i = k < n ? k + 1 : n;
        continue;
      }
      if (is_block_tag(h + name_start, name_len) &&
          (closing || name_is(h + name_start, name_len, "br") ||
           name_is(h + name_start, name_len, "hr"))) {
        if (out.len > 0 && out.ptr[out.len - 1] != '\n') hcms_buf_char(&out, '\n');
      }
      i = tag_end;
      continue;
    }
    if (c == '&') {
      size_t used = decode_entity(h + i, n - i, &out);
      if (used) {
        i += used;
        continue;
      }
    }
    hcms_buf_char(&out, c);
    ++i;
  }
  while (out.len > 0 && (out.ptr[out.len - 1] == '\n' || out.ptr[out.len - 1] == ' ')) --out.len;
  hcms_buf_char(&out, 0);
  hcms_str s = {out.ptr, out.len - 1};
  return s;
}

hcms_str stage_document_text(const stage_input* in) {
  hcms_str body = stage_html_to_text(in->content.ptr, in->content.len);
  hcms_buf b = hcms_buf_new(in->title.len + body.len + 4);
  hcms_buf_append(&b, in->title.ptr, in->title.len);
  if (in->title.len && body.len) hcms_buf_append(&b, "\n\n", 2);
  hcms_buf_append(&b, body.ptr, body.len);
  hcms_buf_char(&b, 0);
  hcms_str s = {b.ptr, b.len - 1};
  return s;
}
