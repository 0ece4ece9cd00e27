/* hcms C PDK: write hcms (and Extism) plugins in C, compiled with
 *   clang --target=wasm32 -O2 -nostdlib -ffreestanding -Wl,--no-entry
 *
 * A plugin exports functions of type () -> i32 (0 = success) and talks to the host
 * only through Extism's kernel imports ("extism:host/env"), so the same .wasm runs
 * under hcms's host and under any Extism runtime. Host functions beyond the kernel
 * ("hcms:host/env") must be granted by the plugin's manifest.
 *
 *   HCMS_EXPORT(greet) int greet(void) {
 *     hcms_begin();                      // resets the heap: every call starts clean
 *     hcms_str in = hcms_input();
 *     hcms_buf out = hcms_buf_new(64);
 *     hcms_buf_cstr(&out, "{\"hello\":");
 *     hcms_buf_json_string(&out, in.ptr, in.len);
 *     hcms_buf_cstr(&out, "}");
 *     hcms_output(out.ptr, out.len);
 *     return 0;
 *   }
 *
 * Memory: a bump allocator over linear memory, reset by hcms_begin(); there is no
 * free. Freestanding: no libc; the few functions below cover what plugins need.
 */
#ifndef HCMS_PDK_H_
#define HCMS_PDK_H_

#include <stddef.h>
#include <stdint.h>

#define HCMS_EXPORT(name) __attribute__((export_name(#name)))
#define HCMS_KERNEL(name) __attribute__((import_module("extism:host/env"), import_name(#name)))
#define HCMS_HOST(name) __attribute__((import_module("hcms:host/env"), import_name(#name)))

/* Extism kernel imports. Handles (uint64_t) point into the host's kernel memory. */
uint64_t extism_input_length(void) HCMS_KERNEL(input_length);
uint8_t extism_input_load_u8(uint64_t offs) HCMS_KERNEL(input_load_u8);
uint64_t extism_input_load_u64(uint64_t offs) HCMS_KERNEL(input_load_u64);
uint64_t extism_alloc(uint64_t n) HCMS_KERNEL(alloc);
void extism_free(uint64_t handle) HCMS_KERNEL(free);
uint64_t extism_length(uint64_t handle) HCMS_KERNEL(length);
uint8_t extism_load_u8(uint64_t offs) HCMS_KERNEL(load_u8);
uint64_t extism_load_u64(uint64_t offs) HCMS_KERNEL(load_u64);
void extism_store_u8(uint64_t offs, uint8_t v) HCMS_KERNEL(store_u8);
void extism_store_u64(uint64_t offs, uint64_t v) HCMS_KERNEL(store_u64);
void extism_output_set(uint64_t handle, uint64_t n) HCMS_KERNEL(output_set);
void extism_error_set(uint64_t handle) HCMS_KERNEL(error_set);
uint64_t extism_config_get(uint64_t key_handle) HCMS_KERNEL(config_get);
uint64_t extism_var_get(uint64_t key_handle) HCMS_KERNEL(var_get);
void extism_var_set(uint64_t key_handle, uint64_t value_handle) HCMS_KERNEL(var_set);
void extism_log_info(uint64_t handle) HCMS_KERNEL(log_info);
void extism_log_debug(uint64_t handle) HCMS_KERNEL(log_debug);
void extism_log_warn(uint64_t handle) HCMS_KERNEL(log_warn);
void extism_log_error(uint64_t handle) HCMS_KERNEL(log_error);

/* hcms host functions (granted per plugin). lgpd_scan takes a handle to UTF-8 text
 * and returns a handle to JSON: {"findings":[{"kind":..,"start":..,"end":..}],..}. */
uint64_t hcms_host_lgpd_scan(uint64_t text_handle) HCMS_HOST(lgpd_scan);

/* ---- freestanding basics ---- */
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);

/* Resets the heap. Call first in every export. */
void hcms_begin(void);
/* Bump allocation, 8-byte aligned; traps (unreachable) when memory cannot grow. */
void* hcms_alloc(size_t n);

typedef struct {
  const char* ptr;
  size_t len;
} hcms_str;

#define HCMS_STR(lit) ((hcms_str){(lit), sizeof(lit) - 1})

/* The whole call input, copied into linear memory (NUL-terminated). */
hcms_str hcms_input(void);
/* Sets the call output (copied into kernel memory). */
void hcms_output(const char* p, size_t n);
/* Sets the call error; the export should then return non-zero. */
void hcms_error(const char* msg);
/* A config value, or {0,0} when unset. */
hcms_str hcms_config(const char* key);
void hcms_log(const char* msg);

/* Copies guest bytes to a new kernel block, and a kernel block to guest memory. */
uint64_t hcms_to_kernel(const char* p, size_t n);
hcms_str hcms_from_kernel(uint64_t handle);

/* ---- growable output buffer ---- */
typedef struct {
  char* ptr;
  size_t len;
  size_t cap;
} hcms_buf;

hcms_buf hcms_buf_new(size_t cap);
void hcms_buf_append(hcms_buf* b, const char* p, size_t n);
void hcms_buf_cstr(hcms_buf* b, const char* s);
void hcms_buf_char(hcms_buf* b, char c);
void hcms_buf_int(hcms_buf* b, int64_t v);
/* Appends a JSON string literal (quoted, escaped) of the UTF-8 bytes p[0..n). */
void hcms_buf_json_string(hcms_buf* b, const char* p, size_t n);
/* Appends text with &, <, >, " and ' escaped for HTML. */
void hcms_buf_html_escape(hcms_buf* b, const char* p, size_t n);

/* ---- minimal JSON reading ---- */
typedef enum {
  HCMS_JSON_NONE = 0,
  HCMS_JSON_STRING,
  HCMS_JSON_NUMBER,
  HCMS_JSON_OBJECT,
  HCMS_JSON_ARRAY,
  HCMS_JSON_TRUE,
  HCMS_JSON_FALSE,
  HCMS_JSON_NULL
} hcms_json_type;

typedef struct {
  hcms_json_type type;
  const char* ptr; /* the raw value text: for strings, without the quotes, still escaped */
  size_t len;
} hcms_json;

/* Parses `text` as one JSON value (whitespace allowed around it). */
hcms_json hcms_json_parse(const char* text, size_t len);
/* The member `key` of an object, or type NONE. */
hcms_json hcms_json_get(hcms_json object, const char* key);
/* Iterates an array or object: start with *pos = 0; returns 0 at the end. For objects,
 * *key receives the member name (raw, escaped). */
int hcms_json_next(hcms_json container, size_t* pos, hcms_json* key, hcms_json* value);
/* A string value decoded (escapes resolved, UTF-8), NUL-terminated. */
hcms_str hcms_json_string(hcms_json v);
int64_t hcms_json_int(hcms_json v, int64_t fallback);
int hcms_json_bool(hcms_json v, int fallback);

#endif /* HCMS_PDK_H_ */
