/* Test plugin: echoes its input, reads a config value, uses vars and logs. */
#include "hcms_pdk.h"

HCMS_EXPORT(echo) int echo(void) {
  hcms_begin();
  hcms_str in = hcms_input();
  hcms_output(in.ptr, in.len);
  return 0;
}

HCMS_EXPORT(greet) int greet(void) {
  hcms_begin();
  hcms_str in = hcms_input();
  hcms_str who = hcms_config("greeting");
  hcms_buf out = hcms_buf_new(64);
  hcms_buf_cstr(&out, "{\"greeting\":");
  hcms_buf_json_string(&out, who.ptr ? who.ptr : "olá", who.ptr ? who.len : strlen("olá"));
  hcms_buf_cstr(&out, ",\"input\":");
  hcms_buf_json_string(&out, in.ptr, in.len);
  hcms_buf_cstr(&out, "}");
  hcms_log("greet called");
  hcms_output(out.ptr, out.len);
  return 0;
}

HCMS_EXPORT(fail) int fail(void) {
  hcms_begin();
  hcms_error("entrada recusada");
  return 3;
}
