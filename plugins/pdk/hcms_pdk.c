/* hcms C PDK implementation (see hcms_pdk.h). Freestanding C for wasm32. */
#include "hcms_pdk.h"

extern unsigned char __heap_base;

static uintptr_t g_heap_top;
static uintptr_t g_heap_end;

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n >= 8) {
    uint64_t v;
    __builtin_memcpy(&v, s, 8); /* lowered to a load: no call */
    __builtin_memcpy(d, &v, 8);
    d += 8;
    s += 8;
    n -= 8;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d == s || n == 0) return dst;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    d += n;
    s += n;
    while (n--) *--d = *--s;
  }
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char* x = (const unsigned char*)a;
  const unsigned char* y = (const unsigned char*)b;
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}

int strcmp(const char* a, const char* b) {
  while (*a && *a == *b) {
    ++a;
    ++b;
  }
  return (unsigned char)*a - (unsigned char)*b;
}

void hcms_begin(void) {
  g_heap_top = (uintptr_t)&__heap_base;
  g_heap_end = __builtin_wasm_memory_size(0) * 65536u;
}

void* hcms_alloc(size_t n) {
  if (g_heap_top == 0) hcms_begin();
  uintptr_t p = (g_heap_top + 7u) & ~(uintptr_t)7u;
  if (n > 0xffffffffu - p) __builtin_trap();
  uintptr_t end = p + n;
  if (end > g_heap_end) {
    size_t pages = (end - g_heap_end + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
    g_heap_end += pages * 65536u;
  }
  g_heap_top = end;
  return (void*)p;
}

hcms_str hcms_input(void) {
  uint64_t n = extism_input_length();
  char* p = (char*)hcms_alloc((size_t)n + 1);
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v = extism_input_load_u64(i);
    memcpy(p + i, &v, 8);
  }
  for (; i < n; ++i) p[i] = (char)extism_input_load_u8(i);
  p[n] = 0;
  hcms_str s = {p, (size_t)n};
  return s;
}

uint64_t hcms_to_kernel(const char* p, size_t n) {
  uint64_t h = extism_alloc(n);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, p + i, 8);
    extism_store_u64(h + i, v);
  }
  for (; i < n; ++i) extism_store_u8(h + i, (uint8_t)p[i]);
  return h;
}

hcms_str hcms_from_kernel(uint64_t h) {
  hcms_str s = {0, 0};
  if (h == 0) return s;
  uint64_t n = extism_length(h);
  char* p = (char*)hcms_alloc((size_t)n + 1);
  uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v = extism_load_u64(h + i);
    memcpy(p + i, &v, 8);
  }
  for (; i < n; ++i) p[i] = (char)extism_load_u8(h + i);
  p[n] = 0;
  s.ptr = p;
  s.len = (size_t)n;
  return s;
}

void hcms_output(const char* p, size_t n) { extism_output_set(hcms_to_kernel(p, n), n); }

void hcms_error(const char* msg) { extism_error_set(hcms_to_kernel(msg, strlen(msg))); }

hcms_str hcms_config(const char* key) {
  uint64_t k = hcms_to_kernel(key, strlen(key));
  uint64_t v = extism_config_get(k);
  extism_free(k);
  return hcms_from_kernel(v);
}

void hcms_log(const char* msg) { extism_log_info(hcms_to_kernel(msg, strlen(msg))); }

/* ---- buffer ---- */

hcms_buf hcms_buf_new(size_t cap) {
  hcms_buf b;
  b.cap = cap < 16 ? 16 : cap;
  b.ptr = (char*)hcms_alloc(b.cap);
  b.len = 0;
  return b;
}

static void reserve(hcms_buf* b, size_t extra) {
  if (b->len + extra <= b->cap) return;
  size_t cap = b->cap * 2;
  while (cap < b->len + extra) cap *= 2;
  char* p = (char*)hcms_alloc(cap);
  memcpy(p, b->ptr, b->len);
  b->ptr = p;
  b->cap = cap;
}

void hcms_buf_append(hcms_buf* b, const char* p, size_t n) {
  reserve(b, n);
  memcpy(b->ptr + b->len, p, n);
  b->len += n;
}

void hcms_buf_cstr(hcms_buf* b, const char* s) { hcms_buf_append(b, s, strlen(s)); }

void hcms_buf_char(hcms_buf* b, char c) {
  reserve(b, 1);
  b->ptr[b->len++] = c;
}

void hcms_buf_int(hcms_buf* b, int64_t v) {
  char tmp[24];
  int n = 0;
  uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
  do {
    tmp[n++] = (char)('0' + (u % 10));
    u /= 10;
  } while (u);
  if (v < 0) hcms_buf_char(b, '-');
  while (n) hcms_buf_char(b, tmp[--n]);
}

void hcms_buf_json_string(hcms_buf* b, const char* p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  reserve(b, n + 2);
  hcms_buf_char(b, '"');
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = (unsigned char)p[i];
    if (c == '"' || c == '\\') {
      hcms_buf_char(b, '\\');
      hcms_buf_char(b, (char)c);
    } else if (c == '\n') {
      hcms_buf_append(b, "\\n", 2);
    } else if (c == '\r') {
      hcms_buf_append(b, "\\r", 2);
    } else if (c == '\t') {
      hcms_buf_append(b, "\\t", 2);
    } else if (c < 0x20) {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      hcms_buf_append(b, e, 6);
    } else {
      hcms_buf_char(b, (char)c);
    }
  }
  hcms_buf_char(b, '"');
}

void hcms_buf_html_escape(hcms_buf* b, const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    switch (p[i]) {
      case '&':
        hcms_buf_append(b, "&amp;", 5);
        break;
      case '<':
        hcms_buf_append(b, "&lt;", 4);
        break;
      case '>':
        hcms_buf_append(b, "&gt;", 4);
        break;
      case '"':
        hcms_buf_append(b, "&quot;", 6);
        break;
      case '\'':
        hcms_buf_append(b, "&#39;", 5);
        break;
      default:
        hcms_buf_char(b, p[i]);
    }
  }
}

/* ---- JSON ---- */

static size_t skip_ws(const char* t, size_t len, size_t i) {
  while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
  return i;
}

/* Scans one value starting at t[i]; sets *out and returns the index after it, or
 * (size_t)-1 on malformed input. Depth-limited. */
static size_t scan_value(const char* t, size_t len, size_t i, hcms_json* out, int depth) {
  hcms_json v = {HCMS_JSON_NONE, 0, 0};
  if (depth > 64) return (size_t)-1;
  i = skip_ws(t, len, i);
  if (i >= len) return (size_t)-1;
  char c = t[i];
  if (c == '"') {
    size_t j = i + 1;
    while (j < len && t[j] != '"') j += (t[j] == '\\') ? 2 : 1;
    if (j >= len) return (size_t)-1;
    v.type = HCMS_JSON_STRING;
    v.ptr = t + i + 1;
    v.len = j - i - 1;
    *out = v;
    return j + 1;
  }
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    size_t j = skip_ws(t, len, i + 1);
    if (j < len && t[j] == close) {
      j += 1;
    } else {
      for (;;) {
        hcms_json tmp;
        if (c == '{') {
          j = scan_value(t, len, j, &tmp, depth + 1);
          if (j == (size_t)-1 || tmp.type != HCMS_JSON_STRING) return (size_t)-1;
          j = skip_ws(t, len, j);
          if (j >= len || t[j] != ':') return (size_t)-1;
          ++j;
        }
        j = scan_value(t, len, j, &tmp, depth + 1);
        if (j == (size_t)-1) return (size_t)-1;
        j = skip_ws(t, len, j);
        if (j >= len) return (size_t)-1;
        if (t[j] == ',') {
          ++j;
          continue;
        }
        if (t[j] == close) {
          ++j;
          break;
        }
        return (size_t)-1;
      }
    }
    v.type = c == '{' ? HCMS_JSON_OBJECT : HCMS_JSON_ARRAY;
    v.ptr = t + i;
    v.len = j - i;
    *out = v;
    return j;
  }
  size_t j = i;
  while (j < len && t[j] != ',' && t[j] != '}' && t[j] != ']' && t[j] != ' ' && t[j] != '\n' &&
         t[j] != '\r' && t[j] != '\t')
    ++j;
  if (j == i) return (size_t)-1;
  v.ptr = t + i;
  v.len = j - i;
  if (v.len == 4 && memcmp(v.ptr, "true", 4) == 0) {
    v.type = HCMS_JSON_TRUE;
  } else if (v.len == 5 && memcmp(v.ptr, "false", 5) == 0) {
    v.type = HCMS_JSON_FALSE;
  } else if (v.len == 4 && memcmp(v.ptr, "null", 4) == 0) {
    v.type = HCMS_JSON_NULL;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    v.type = HCMS_JSON_NUMBER;
  } else {
    return (size_t)-1;
  }
  *out = v;
  return j;
}

hcms_json hcms_json_parse(const char* text, size_t len) {
  hcms_json v = {HCMS_JSON_NONE, 0, 0};
  size_t end = scan_value(text, len, 0, &v, 0);
  if (end == (size_t)-1 || skip_ws(text, len, end) != len) {
    hcms_json none = {HCMS_JSON_NONE, 0, 0};
    return none;
  }
  return v;
}

int hcms_json_next(hcms_json c, size_t* pos, hcms_json* key, hcms_json* value) {
  if (c.type != HCMS_JSON_OBJECT && c.type != HCMS_JSON_ARRAY) return 0;
  size_t i = *pos == 0 ? 1 : *pos;
  i = skip_ws(c.ptr, c.len, i);
  if (i < c.len && c.ptr[i] == ',') i = skip_ws(c.ptr, c.len, i + 1);
  if (i >= c.len || c.ptr[i] == '}' || c.ptr[i] == ']') return 0;
  if (c.type == HCMS_JSON_OBJECT) {
    hcms_json k;
    i = scan_value(c.ptr, c.len, i, &k, 1);
    if (i == (size_t)-1) return 0;
    i = skip_ws(c.ptr, c.len, i);
    if (i >= c.len || c.ptr[i] != ':') return 0;
    ++i;
    if (key) *key = k;
  }
  hcms_json v;
  i = scan_value(c.ptr, c.len, i, &v, 1);
  if (i == (size_t)-1) return 0;
  if (value) *value = v;
  *pos = i;
  return 1;
}

hcms_json hcms_json_get(hcms_json object, const char* key) {
  hcms_json none = {HCMS_JSON_NONE, 0, 0};
  size_t klen = strlen(key);
  size_t pos = 0;
  hcms_json k, v;
  while (hcms_json_next(object, &pos, &k, &v)) {
    if (k.len == klen && memcmp(k.ptr, key, klen) == 0) return v;
  }
  return none;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static void put_utf8(hcms_buf* b, uint32_t cp) {
  if (cp < 0x80) {
    hcms_buf_char(b, (char)cp);
  } else if (cp < 0x800) {
    hcms_buf_char(b, (char)(0xc0 | (cp >> 6)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    hcms_buf_char(b, (char)(0xe0 | (cp >> 12)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  } else {
    hcms_buf_char(b, (char)(0xf0 | (cp >> 18)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
    hcms_buf_char(b, (char)(0x80 | (cp & 0x3f)));
  }
}

static int read_u4(const char* p, size_t left, uint32_t* out) {
  if (left < 4) return 0;
  uint32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    int h = hexval(p[k]);
    if (h < 0) return 0;
    v = v * 16 + (uint32_t)h;
  }
  *out = v;
  return 1;
}

hcms_str hcms_json_string(hcms_json v) {
  hcms_str s = {"", 0};
  if (v.type != HCMS_JSON_STRING) return s;
  hcms_buf b = hcms_buf_new(v.len + 1);
  for (size_t i = 0; i < v.len; ++i) {
    char c = v.ptr[i];
    if (c != '\\' || i + 1 >= v.len) {
      hcms_buf_char(&b, c);
      continue;
    }
    char e = v.ptr[++i];
    switch (e) {
      case 'n':
        hcms_buf_char(&b, '\n');
        break;
      case 't':
        hcms_buf_char(&b, '\t');
        break;
      case 'r':
        hcms_buf_char(&b, '\r');
        break;
      case 'b':
        hcms_buf_char(&b, '\b');
        break;
      case 'f':
        hcms_buf_char(&b, '\f');
        break;
      case 'u': {
        uint32_t cp;
        if (!read_u4(v.ptr + i + 1, v.len - i - 1, &cp)) break;
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 6 < v.len + 0 && v.ptr[i + 1] == '\\' &&
            v.ptr[i + 2] == 'u') {
          uint32_t lo;
          if (read_u4(v.ptr + i + 3, v.len - i - 3, &lo) && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        put_utf8(&b, cp);
        break;
      }
      default:
        hcms_buf_char(&b, e);
    }
  }
  hcms_buf_char(&b, 0);
  s.ptr = b.ptr;
  s.len = b.len - 1;
  return s;
}

int64_t hcms_json_int(hcms_json v, int64_t fallback) {
  if (v.type != HCMS_JSON_NUMBER) return fallback;
  int64_t r = 0;
  size_t i = 0;
  int neg = 0;
  if (v.len > 0 && v.ptr[0] == '-') {
    neg = 1;
    i = 1;
  }
  for (; i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9'; ++i) r = r * 10 + (v.ptr[i] - '0');
  return neg ? -r : r;
}

int hcms_json_bool(hcms_json v, int fallback) {
  if (v.type == HCMS_JSON_TRUE) return 1;
  if (v.type == HCMS_JSON_FALSE) return 0;
  return fallback;
}
