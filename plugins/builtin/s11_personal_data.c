/* S.1.1: personal-data (LGPD) analysis.
 *
 * Export: analyze. The detection itself is the native LGPD detector, reached through
 * the host function hcms:host/env lgpd_scan (granted in this plugin's manifest), so
 * the stage is exactly as accurate and as fast as the detector. The plugin turns the
 * detector's analysis into the stage verdict:
 *   block         risk status "critico"
 *   needs_review  sensitive data, an identifiable person, or personal data of
 *                 someone other than the responsible professional (a reviewer
 *                 records the legal basis, LGPD arts. 7 and 11)
 *   pass          nothing, or only professional data (the CFM byline)
 * Output: {"stage":"s1.1","status",..,"personal_data_processed","lgpd_compliance_verified",
 *          "linked_person","risk_score","risk_status","counts":{..},"detections":[..],
 *          "recommendations":[..]}. Detections carry types and spans, never values. */
#include "stage.h"

HCMS_EXPORT(analyze) int analyze(void) {
  hcms_begin();
  stage_input in;
  if (!stage_read_input(&in)) return 1;
  hcms_str text = stage_document_text(&in);
  hcms_str raw = hcms_from_kernel(hcms_host_lgpd_scan(hcms_to_kernel(text.ptr, text.len)));
  hcms_json a = hcms_json_parse(raw.ptr, raw.len);
  if (a.type != HCMS_JSON_OBJECT) {
    hcms_error("resposta inválida do detector de dados pessoais");
    return 2;
  }
  if (hcms_json_get(a, "error").type != HCMS_JSON_NONE) {
    hcms_error("o detector de dados pessoais não conseguiu analisar o texto (UTF-8 inválido?)");
    return 3;
  }
  int64_t risk = hcms_json_int(hcms_json_get(a, "risk_score"), 0);
  hcms_str risk_status = stage_str(a, "status");
  int linked = hcms_json_bool(hcms_json_get(a, "linked_person"), 0);
  hcms_json dets = hcms_json_get(a, "detections");

  int personal = 0, sensitive = 0, professional = 0;
  hcms_buf list = hcms_buf_new(1024);
  size_t pos = 0;
  hcms_json d;
  int first = 1;
  while (hcms_json_next(dets, &pos, 0, &d)) {
    hcms_str type = stage_str(d, "type");
    hcms_str category = stage_str(d, "category");
    int prof = hcms_json_bool(hcms_json_get(d, "professional"), 0);
    if (prof) {
      ++professional;
    } else if (category.len == 9 && memcmp(category.ptr, "sensitive", 9) == 0) {
      ++sensitive;
    } else {
      ++personal;
    }
    if (!first) hcms_buf_char(&list, ',');
    first = 0;
    hcms_buf_cstr(&list, "{\"type\":");
    hcms_buf_json_string(&list, type.ptr, type.len);
    hcms_buf_cstr(&list, ",\"start\":");
    hcms_buf_int(&list, hcms_json_int(hcms_json_get(d, "start"), 0));
    hcms_buf_cstr(&list, ",\"end\":");
    hcms_buf_int(&list, hcms_json_int(hcms_json_get(d, "end"), 0));
    hcms_buf_cstr(&list, ",\"category\":");
    hcms_buf_json_string(&list, category.ptr, category.len);
    hcms_buf_cstr(&list, ",\"professional\":");
    hcms_buf_cstr(&list, prof ? "true" : "false");
    hcms_buf_char(&list, '}');
  }
  int critical = risk_status.len == 7 && memcmp(risk_status.ptr, "critico", 7) == 0;
  const char* status = critical                                ? "block"
                       : (sensitive || linked || personal > 0) ? "needs_review"
                                                               : "pass";
  hcms_buf out = hcms_buf_new(list.len + 1024);
  hcms_buf_cstr(&out, "{\"stage\":\"s1.1\",\"status\":\"");
  hcms_buf_cstr(&out, status);
  hcms_buf_cstr(&out, "\",\"personal_data_processed\":");
  hcms_buf_cstr(&out, (personal + sensitive) > 0 ? "true" : "false");
  hcms_buf_cstr(&out, ",\"lgpd_compliance_verified\":");
  hcms_buf_cstr(&out, critical ? "false" : "true");
  hcms_buf_cstr(&out, ",\"linked_person\":");
  hcms_buf_cstr(&out, linked ? "true" : "false");
  hcms_buf_cstr(&out, ",\"risk_score\":");
  hcms_buf_int(&out, risk);
  hcms_buf_cstr(&out, ",\"risk_status\":");
  hcms_buf_json_string(&out, risk_status.ptr, risk_status.len);
  hcms_buf_cstr(&out, ",\"counts\":{\"personal\":");
  hcms_buf_int(&out, personal);
  hcms_buf_cstr(&out, ",\"sensitive\":");
  hcms_buf_int(&out, sensitive);
  hcms_buf_cstr(&out, ",\"professional\":");
  hcms_buf_int(&out, professional);
  hcms_buf_cstr(&out, "},\"detections\":[");
  hcms_buf_append(&out, list.ptr, list.len);
  hcms_buf_cstr(&out, "],\"recommendations\":");
  hcms_json rec = hcms_json_get(a, "recommendations");
  if (rec.type == HCMS_JSON_ARRAY) {
    hcms_buf_append(&out, rec.ptr, rec.len);
  } else {
    hcms_buf_cstr(&out, "[]");
  }
  hcms_buf_char(&out, '}');
  hcms_output(out.ptr, out.len);
  return 0;
}
