/* S.1.4: legal review preparation. Combines S.1.1 and S.1.2 into a risk score (0-100)
 * and a checklist for the legal reviewer; it prepares the human review, it does not
 * replace it.
 *
 * Score: the LGPD risk score weighted 0.4, plus 35 per blocking, 12 per review and 3
 * per warning finding of S.1.2, capped at 100. Levels as in seed 004: baixo (0-20),
 * medio (21-50), alto (51-80), critico (81-100). Status: block when S.1.2 blocked;
 * needs_review when the score reaches the practice's "legal_review_threshold"
 * (default 50) or a checklist item needs attention; pass otherwise.
 *
 * Export: prepare. Output: {"stage":"s1.4","status","risk_score","risk_level",
 *   "legal_review_required","checklist":[{"id","text","status":"ok|attention|blocking",
 *   "rule"?}]} */
#include "stage.h"

static void item(hcms_buf* b, int* first, const char* id, const char* text, size_t n,
                 const char* status, const char* rule, size_t rule_len) {
  if (!*first) hcms_buf_char(b, ',');
  *first = 0;
  hcms_buf_cstr(b, "{\"id\":");
  hcms_buf_json_string(b, id, strlen(id));
  hcms_buf_cstr(b, ",\"text\":");
  hcms_buf_json_string(b, text, n);
  hcms_buf_cstr(b, ",\"status\":\"");
  hcms_buf_cstr(b, status);
  hcms_buf_char(b, '"');
  if (rule) {
    hcms_buf_cstr(b, ",\"rule\":");
    hcms_buf_json_string(b, rule, rule_len);
  }
  hcms_buf_char(b, '}');
}

static int str_is(hcms_str s, const char* lit) {
  return s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

HCMS_EXPORT(prepare) int prepare(void) {
  hcms_begin();
  stage_input in;
  if (!stage_read_input(&in)) return 1;
  hcms_json s11 = hcms_json_get(in.previous, "s1.1");
  hcms_json s12 = hcms_json_get(in.previous, "s1.2");
  hcms_json s13 = hcms_json_get(in.previous, "s1.3");
  int64_t threshold = hcms_json_int(hcms_json_get(in.practice, "legal_review_threshold"), 50);

  int64_t lgpd_risk = hcms_json_int(hcms_json_get(s11, "risk_score"), 0);
  hcms_json counts = hcms_json_get(s12, "counts");
  int64_t blocks = hcms_json_int(hcms_json_get(counts, "block"), 0);
  int64_t reviews = hcms_json_int(hcms_json_get(counts, "review"), 0);
  int64_t warns = hcms_json_int(hcms_json_get(counts, "warn"), 0);
  int64_t score = (lgpd_risk * 4) / 10 + 35 * blocks + 12 * reviews + 3 * warns;
  if (score > 100) score = 100;
  const char* level = score <= 20   ? "baixo"
                      : score <= 50 ? "medio"
                      : score <= 80 ? "alto"
                                    : "critico";

  hcms_buf list = hcms_buf_new(2048);
  int first = 1;
  int attention = 0;

  /* identification and notices, from S.1.3 */
  hcms_json added = hcms_json_get(s13, "added");
  int physician = 0, informative = 0;
  size_t pos = 0;
  hcms_json v;
  while (hcms_json_next(added, &pos, 0, &v)) {
    hcms_str id = hcms_json_string(v);
    if (str_is(id, "physician")) physician = 1;
    if (str_is(id, "informative")) informative = 1;
  }
  const char* t1 =
      "Identificação do médico responsável (nome, CRM/UF e RQE quando houver especialidade) "
      "presente no texto publicado.";
  item(&list, &first, "physician_identified", t1, strlen(t1), physician ? "ok" : "blocking",
       "ID-01", 5);
  const char* t2 = "Aviso de caráter informativo e educativo presente.";
  item(&list, &first, "informative_notice", t2, strlen(t2), informative ? "ok" : "attention", 0, 0);
  if (!informative) attention = 1;

  /* personal data, from S.1.1 */
  int personal = hcms_json_bool(hcms_json_get(s11, "personal_data_processed"), 0);
  int linked = hcms_json_bool(hcms_json_get(s11, "linked_person"), 0);
  const char* t3 = personal ? "Dados pessoais encontrados: confirme a base legal (LGPD arts. 7 e "
                              "11) ou anonimize antes de publicar."
                            : "Nenhum dado pessoal de terceiros encontrado pelo detector LGPD.";
  item(&list, &first, "personal_data", t3, strlen(t3),
       linked     ? "blocking"
       : personal ? "attention"
                  : "ok",
       0, 0);
  if (personal) attention = 1;

  /* one item per S.1.2 finding */
  hcms_json findings = hcms_json_get(s12, "findings");
  pos = 0;
  hcms_json f;
  while (hcms_json_next(findings, &pos, 0, &f)) {
    hcms_str rule = stage_str(f, "rule");
    hcms_str title = stage_str(f, "title");
    hcms_str sev = stage_str(f, "severity");
    hcms_str rem = stage_str(f, "remediation");
    hcms_str match = stage_str(f, "match");
    hcms_buf t = hcms_buf_new(title.len + rem.len + match.len + 32);
    hcms_buf_append(&t, title.ptr, title.len);
    if (match.len) {
      hcms_buf_cstr(&t, " («");
      hcms_buf_append(&t, match.ptr, match.len);
      hcms_buf_cstr(&t, "»)");
    }
    hcms_buf_cstr(&t, ": ");
    hcms_buf_append(&t, rem.ptr, rem.len);
    const char* st = str_is(sev, "block") ? "blocking" : "attention";
    if (!str_is(sev, "warn")) attention = 1;
    item(&list, &first, "claim", t.ptr, t.len, str_is(sev, "warn") ? "ok" : st, rule.ptr, rule.len);
  }
  hcms_str s12_status = stage_str(s12, "status");
  const char* status = str_is(s12_status, "block") || linked ? "block"
                       : (score >= threshold || attention)   ? "needs_review"
                                                             : "pass";
  hcms_buf out = hcms_buf_new(list.len + 256);
  hcms_buf_cstr(&out, "{\"stage\":\"s1.4\",\"status\":\"");
  hcms_buf_cstr(&out, status);
  hcms_buf_cstr(&out, "\",\"risk_score\":");
  hcms_buf_int(&out, score);
  hcms_buf_cstr(&out, ",\"risk_level\":\"");
  hcms_buf_cstr(&out, level);
  hcms_buf_cstr(&out, "\",\"legal_review_required\":");
  hcms_buf_cstr(&out, status[0] == 'p' ? "false" : "true");
  hcms_buf_cstr(&out, ",\"checklist\":[");
  hcms_buf_append(&out, list.ptr, list.len);
  hcms_buf_cstr(&out, "]}");
  hcms_output(out.ptr, out.len);
  return 0;
}
