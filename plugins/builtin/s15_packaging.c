/* S.1.5: publication packaging. From the transformed HTML of S.1.3 (or the post's own
 * content when S.1.3 did not run) it builds:
 *   html      sanitised with an allow-list: known tags only, attributes only where
 *             listed, URLs only http(s), mailto, tel, relative or fragment; script,
 *             style, iframe, object and their content dropped; comments dropped.
 *   text      plain text
 *   jsonld    a schema.org MedicalWebPage
 *   feed_item a JSON Feed 1.1 item
 * Export: package. Output: {"stage":"s1.5","status":"pass","html","text","jsonld",
 * "feed_item"}. */
#include "stage.h"

static int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static int eq_ci(const char* p, size_t n, const char* lit) {
  size_t m = strlen(lit);
  if (n != m) return 0;
  for (size_t i = 0; i < n; ++i) {
    if (lc((unsigned char)p[i]) != lit[i]) return 0;
  }
  return 1;
}

static const char* const kTags[] = {
    "p",          "br",  "strong", "em",    "b",     "i",    "u",  "s",          "a",     "ul",
    "ol",         "li",  "h2",     "h3",    "h4",    "h5",   "h6", "blockquote", "aside", "figure",
    "figcaption", "img", "table",  "thead", "tbody", "tr",   "th", "td",         "code",  "pre",
    "hr",         "sup", "sub",    "span",  "cite",  "abbr", 0};
static const char* const kDrop[] = {"script",   "style",    "iframe", "object", "embed",
                                    "template", "noscript", "svg",    "math",   "form",
                                    "textarea", "select",   0};

static const char* allowed_tag(const char* p, size_t n) {
  for (int k = 0; kTags[k]; ++k) {
    if (eq_ci(p, n, kTags[k])) return kTags[k];
  }
  return 0;
}

static int dropped_tag(const char* p, size_t n) {
  for (int k = 0; kDrop[k]; ++k) {
    if (eq_ci(p, n, kDrop[k])) return 1;
  }
  return 0;
}

static int void_tag(const char* t) {
  return !memcmp(t, "br", 3) || !memcmp(t, "hr", 3) || !memcmp(t, "img", 4);
}

static int allowed_attr(const char* tag, const char* p, size_t n) {
  if (eq_ci(p, n, "title")) return 1;
  if (eq_ci(p, n, "class")) return 1;
  if (!strcmp(tag, "a") && eq_ci(p, n, "href")) return 1;
  if (!strcmp(tag, "img") &&
      (eq_ci(p, n, "src") || eq_ci(p, n, "alt") || eq_ci(p, n, "width") || eq_ci(p, n, "height")))
    return 1;
  if ((!strcmp(tag, "td") || !strcmp(tag, "th")) &&
      (eq_ci(p, n, "colspan") || eq_ci(p, n, "rowspan")))
    return 1;
  if (!strcmp(tag, "blockquote") && eq_ci(p, n, "cite")) return 1;
  return 0;
}

/* URL check on the decoded-enough value: no control characters; scheme, if any, must
 * be http, https, mailto or tel. */
static int safe_url(const char* p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n')) ++i;
  for (size_t k = i; k < n; ++k) {
    unsigned char c = (unsigned char)p[k];
    if (c < 0x20 || c == '&') return 0; /* entity-encoded schemes are refused outright */
    if (c == '/' || c == '?' || c == '#') break;
    if (c == ':') {
      return eq_ci(p + i, k - i, "http") || eq_ci(p + i, k - i, "https") ||
             eq_ci(p + i, k - i, "mailto") || eq_ci(p + i, k - i, "tel");
    }
  }
  return 1;
}

typedef struct {
  const char* open[64];
  int depth;
} tag_stack;

static hcms_str sanitize(const char* h, size_t n) {
  hcms_buf out = hcms_buf_new(n + 64);
  tag_stack st;
  st.depth = 0;
  size_t i = 0;
  while (i < n) {
    char c = h[i];
    if (c != '<') {
      if (c == '>') {
        hcms_buf_cstr(&out, "&gt;");
      } else if (c == '"') {
        hcms_buf_cstr(&out, "&quot;");
      } else {
        hcms_buf_char(&out, c); /* '&' is kept: entities pass through as text */
      }
      ++i;
      continue;
    }
    if (i + 3 < n && h[i + 1] == '!' && h[i + 2] == '-' && h[i + 3] == '-') { /* comment */
      size_t j = i + 4;
      while (j + 2 < n && !(h[j] == '-' && h[j + 1] == '-' && h[j + 2] == '>')) ++j;
      i = j + 2 < n ? j + 3 : n;
      continue;
    }
    size_t j = i + 1;
    int closing = j < n && h[j] == '/';
    if (closing) ++j;
    size_t ns = j;
    while (j < n && ((h[j] >= 'a' && h[j] <= 'z') || (h[j] >= 'A' && h[j] <= 'Z') ||
                     (h[j] >= '0' && h[j] <= '9')))
      ++j;
    size_t nl = j - ns;
    if (nl == 0 && !(j < n && (h[j] == '!' || h[j] == '?'))) {
      hcms_buf_cstr(&out, "&lt;");
      ++i;
      continue;
    }
    /* find the end of the tag and remember the attribute area */
    size_t as = j;
    char q = 0;
    while (j < n && (q || h[j] != '>')) {
      if (q) {
        if (h[j] == q) q = 0;
      } else if (h[j] == '"' || h[j] == '\'') {
        q = h[j];
      }
      ++j;
    }
    size_t ae = j;
    size_t end = j < n ? j + 1 : n;
    if (!closing && dropped_tag(h + ns, nl)) {
      /* skip to the matching close tag ("</name"), or to the end */
      size_t k = end;
      for (; k + 1 + nl < n; ++k) {
        if (h[k] != '<' || h[k + 1] != '/') continue;
        size_t z = 0;
        while (z < nl && lc((unsigned char)h[k + 2 + z]) == lc((unsigned char)h[ns + z])) ++z;
        if (z == nl) break;
      }
      while (k < n && h[k] != '>') ++k;
      i = k < n ? k + 1 : n;
      continue;
    }
    const char* tag = allowed_tag(h + ns, nl);
    i = end;
    if (!tag) continue; /* unknown tags vanish, their text stays */
    if (closing) {
      if (void_tag(tag)) continue;
      /* close only a tag that is open, closing the ones above it */
      int d = st.depth - 1;
      while (d >= 0 && st.open[d] != tag) --d;
      if (d < 0) continue;
      while (st.depth > d) {
        hcms_buf_cstr(&out, "</");
        hcms_buf_cstr(&out, st.open[--st.depth]);
        hcms_buf_char(&out, '>');
      }
      continue;
    }
    hcms_buf_char(&out, '<');
    hcms_buf_cstr(&out, tag);
    /* attributes */
    size_t k = as;
    while (k < ae) {
      while (k < ae && (h[k] == ' ' || h[k] == '\n' || h[k] == '\t' || h[k] == '/' || h[k] == '\r'))
        ++k;
      size_t an = k;
      while (k < ae && h[k] != '=' && h[k] != ' ' && h[k] != '\n' && h[k] != '\t' && h[k] != '/' &&
             h[k] != '>')
        ++k;
      size_t anl = k - an;
      const char* val = 0;
      size_t vl = 0;
      if (k < ae && h[k] == '=') {
        ++k;
        if (k < ae && (h[k] == '"' || h[k] == '\'')) {
          char qq = h[k++];
          val = h + k;
          while (k < ae && h[k] != qq) ++k;
          vl = (size_t)(h + k - val);
          if (k < ae) ++k;
        } else {
          val = h + k;
          while (k < ae && h[k] != ' ' && h[k] != '\n' && h[k] != '\t') ++k;
          vl = (size_t)(h + k - val);
        }
      }
      if (anl == 0) {
        if (k < ae) ++k;
        continue;
      }
      if (!allowed_attr(tag, h + an, anl)) continue;
      int is_url =
          eq_ci(h + an, anl, "href") || eq_ci(h + an, anl, "src") || eq_ci(h + an, anl, "cite");
      if (is_url && (!val || !safe_url(val, vl))) continue;
      hcms_buf_char(&out, ' ');
      for (size_t z = 0; z < anl; ++z) hcms_buf_char(&out, (char)lc((unsigned char)h[an + z]));
      hcms_buf_cstr(&out, "=\"");
      if (val) {
        for (size_t z = 0; z < vl; ++z) {
          char ch = val[z];
          if (ch == '"')
            hcms_buf_cstr(&out, "&quot;");
          else if (ch == '<')
            hcms_buf_cstr(&out, "&lt;");
          else if (ch == '>')
            hcms_buf_cstr(&out, "&gt;");
          else
            hcms_buf_char(&out, ch);
        }
      }
      hcms_buf_char(&out, '"');
    }
    if (!strcmp(tag, "a")) hcms_buf_cstr(&out, " rel=\"noopener nofollow\"");
    hcms_buf_char(&out, '>');
    if (!void_tag(tag) && st.depth < 64) st.open[st.depth++] = tag;
  }
  while (st.depth > 0) {
    hcms_buf_cstr(&out, "</");
    hcms_buf_cstr(&out, st.open[--st.depth]);
    hcms_buf_char(&out, '>');
  }
  hcms_buf_char(&out, 0);
  hcms_str s = {out.ptr, out.len - 1};
  return s;
}

static void member(hcms_buf* b, const char* key, hcms_str v, int comma) {
  if (comma) hcms_buf_char(b, ',');
  hcms_buf_json_string(b, key, strlen(key));
  hcms_buf_char(b, ':');
  hcms_buf_json_string(b, v.ptr, v.len);
}

/* The first `max` code points of t, cut at a word boundary, with "…" when cut. */
static hcms_str summary(hcms_str t, size_t max) {
  size_t cps = 0, i = 0, last_space = 0;
  while (i < t.len && cps < max) {
    if (t.ptr[i] == ' ' || t.ptr[i] == '\n') last_space = i;
    ++i;
    while (i < t.len && ((unsigned char)t.ptr[i] & 0xc0) == 0x80) ++i;
    ++cps;
  }
  hcms_buf b = hcms_buf_new(i + 4);
  if (i >= t.len) {
    hcms_buf_append(&b, t.ptr, t.len);
  } else {
    hcms_buf_append(&b, t.ptr, last_space ? last_space : i);
    hcms_buf_cstr(&b, "…");
  }
  for (size_t k = 0; k < b.len; ++k) {
    if (b.ptr[k] == '\n') b.ptr[k] = ' ';
  }
  hcms_str s = {b.ptr, b.len};
  return s;
}

HCMS_EXPORT(package) int package(void) {
  hcms_begin();
  stage_input in;
  if (!stage_read_input(&in)) return 1;
  hcms_json s13 = hcms_json_get(in.previous, "s1.3");
  hcms_str content = stage_str(s13, "content");
  if (content.len == 0) content = in.content;
  hcms_str html = sanitize(content.ptr, content.len);
  hcms_str body_text = stage_html_to_text(html.ptr, html.len);
  hcms_str excerpt = stage_str(in.post, "excerpt");
  hcms_str description = excerpt.len ? excerpt : summary(body_text, 160);
  hcms_str url = stage_str(in.post, "url");
  hcms_str published = stage_str(in.post, "published_at");
  hcms_str modified = stage_str(in.post, "modified_at");
  hcms_str language = stage_str(in.post, "language");
  if (language.len == 0) language = HCMS_STR("pt-BR");
  hcms_json physician = hcms_json_get(in.practice, "physician");
  hcms_str doctor = stage_str(physician, "name");
  hcms_str crm = stage_str(physician, "crm");
  hcms_str uf = stage_str(physician, "uf");
  hcms_str specialty = stage_str(physician, "specialty");
  hcms_str practice_name = stage_str(in.practice, "name");
  hcms_str practice_url = stage_str(in.practice, "url");
  hcms_str id = stage_str(in.post, "id");
  hcms_json id_num = hcms_json_get(in.post, "id");

  hcms_buf ld = hcms_buf_new(1024);
  hcms_buf_cstr(&ld, "{\"@context\":\"https://schema.org\",\"@type\":\"MedicalWebPage\"");
  member(&ld, "headline", in.title, 1);
  member(&ld, "name", in.title, 1);
  member(&ld, "description", description, 1);
  member(&ld, "inLanguage", language, 1);
  if (url.len) member(&ld, "url", url, 1);
  if (published.len) member(&ld, "datePublished", published, 1);
  if (modified.len) {
    member(&ld, "dateModified", modified, 1);
    member(&ld, "lastReviewed", modified, 1);
  }
  if (doctor.len) {
    hcms_buf who = hcms_buf_new(256);
    hcms_buf_cstr(&who, "{\"@type\":\"Physician\"");
    member(&who, "name", doctor, 1);
    if (crm.len && uf.len) {
      hcms_buf idb = hcms_buf_new(32);
      hcms_buf_cstr(&idb, "CRM/");
      hcms_buf_append(&idb, uf.ptr, uf.len);
      hcms_buf_char(&idb, ' ');
      hcms_buf_append(&idb, crm.ptr, crm.len);
      hcms_str idv = {idb.ptr, idb.len};
      member(&who, "identifier", idv, 1);
    }
    if (specialty.len) member(&who, "medicalSpecialty", specialty, 1);
    hcms_buf_char(&who, '}');
    hcms_buf_cstr(&ld, ",\"author\":");
    hcms_buf_append(&ld, who.ptr, who.len);
    hcms_buf_cstr(&ld, ",\"reviewedBy\":");
    hcms_buf_append(&ld, who.ptr, who.len);
  }
  if (practice_name.len) {
    hcms_buf_cstr(&ld, ",\"publisher\":{\"@type\":\"MedicalOrganization\"");
    member(&ld, "name", practice_name, 1);
    if (practice_url.len) member(&ld, "url", practice_url, 1);
    hcms_buf_char(&ld, '}');
  }
  hcms_buf_char(&ld, '}');

  hcms_buf feed = hcms_buf_new(html.len + 512);
  hcms_buf_char(&feed, '{');
  if (id_num.type == HCMS_JSON_NUMBER) {
    hcms_str idtext = {id_num.ptr, id_num.len};
    member(&feed, "id", url.len ? url : idtext, 0);
  } else {
    member(&feed, "id", url.len ? url : id, 0);
  }
  if (url.len) member(&feed, "url", url, 1);
  member(&feed, "title", in.title, 1);
  member(&feed, "summary", description, 1);
  member(&feed, "content_html", html, 1);
  member(&feed, "language", language, 1);
  if (published.len) member(&feed, "date_published", published, 1);
  if (modified.len) member(&feed, "date_modified", modified, 1);
  if (doctor.len) {
    hcms_buf_cstr(&feed, ",\"authors\":[{");
    member(&feed, "name", doctor, 0);
    hcms_buf_cstr(&feed, "}]");
  }
  hcms_buf_char(&feed, '}');

  hcms_buf out = hcms_buf_new(html.len * 3 + body_text.len + ld.len + 256);
  hcms_buf_cstr(&out, "{\"stage\":\"s1.5\",\"status\":\"pass\"");
  member(&out, "html", html, 1);
  member(&out, "text", body_text, 1);
  hcms_buf_cstr(&out, ",\"jsonld\":");
  hcms_buf_append(&out, ld.ptr, ld.len);
  hcms_buf_cstr(&out, ",\"feed_item\":");
  hcms_buf_append(&out, feed.ptr, feed.len);
  hcms_buf_char(&out, '}');
  hcms_output(out.ptr, out.len);
  return 0;
}
