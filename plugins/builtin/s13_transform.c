/* S.1.3: content transformation. Appends the mandatory and configured notices to the
 * post's HTML (research/cfm-rules.md §3):
 *   D1 responsible physician (always; the stage blocks without name, CRM and UF),
 *   D2 informative character, D3 emergency, D4 mental health (when configured, or
 *   when the text is about suicide or self-harm), D5 conflict of interest, D6 dates,
 *   D8 result images (when S.1.2 found before/after material), D13 telemedicine.
 * The practice's "disclaimers" list selects D2, D3, D5, D6, D13 ("informative",
 * "emergency", "conflict_of_interest", "dates", "telemedicine"); default: informative
 * and emergency.
 *
 * Export: transform. Output: {"stage":"s1.3","status","content":<html>,"added":[ids]}. */
#include "stage.h"

static int listed(hcms_json list, const char* id) {
  size_t pos = 0;
  hcms_json v;
  while (hcms_json_next(list, &pos, 0, &v)) {
    hcms_str s = hcms_json_string(v);
    if (s.len == strlen(id) && memcmp(s.ptr, id, s.len) == 0) return 1;
  }
  return 0;
}

static void add(hcms_buf* out, hcms_buf* added, const char* id, const char* css, const char* text,
                size_t n) {
  hcms_buf_cstr(out, "<p class=\"hcms-notice hcms-notice-");
  hcms_buf_cstr(out, css);
  hcms_buf_cstr(out, "\">");
  hcms_buf_html_escape(out, text, n);
  hcms_buf_cstr(out, "</p>\n");
  if (added->len > 1) hcms_buf_char(added, ',');
  hcms_buf_char(added, '"');
  hcms_buf_cstr(added, id);
  hcms_buf_char(added, '"');
}

static void add_c(hcms_buf* out, hcms_buf* added, const char* id, const char* css, const char* t) {
  add(out, added, id, css, t, strlen(t));
}

/* "2026-11-24T..." -> "24/11/2026"; anything else as is. */
static void put_date(hcms_buf* b, hcms_str iso) {
  if (iso.len >= 10 && iso.ptr[4] == '-' && iso.ptr[7] == '-') {
    hcms_buf_append(b, iso.ptr + 8, 2);
    hcms_buf_char(b, '/');
    hcms_buf_append(b, iso.ptr + 5, 2);
    hcms_buf_char(b, '/');
    hcms_buf_append(b, iso.ptr, 4);
  } else {
    hcms_buf_append(b, iso.ptr, iso.len);
  }
}

HCMS_EXPORT(transform) int transform(void) {
  hcms_begin();
  stage_input in;
  if (!stage_read_input(&in)) return 1;
  hcms_json physician = hcms_json_get(in.practice, "physician");
  hcms_str name = stage_str(physician, "name");
  hcms_str crm = stage_str(physician, "crm");
  hcms_str uf = stage_str(physician, "uf");
  hcms_str rqe = stage_str(physician, "rqe");
  hcms_str specialty = stage_str(physician, "specialty");
  hcms_str gender = stage_str(physician, "gender");
  hcms_json list = hcms_json_get(in.practice, "disclaimers");
  int defaults = list.type != HCMS_JSON_ARRAY;

  hcms_buf out = hcms_buf_new(in.content.len + 2048);
  hcms_buf added = hcms_buf_new(128);
  hcms_buf_char(&added, '[');
  hcms_buf_append(&out, in.content.ptr, in.content.len);
  hcms_buf_cstr(&out, "\n<aside class=\"hcms-notices\">\n");

  int identified = name.len && crm.len && uf.len;
  if (identified) {
    int f = gender.len == 1 && gender.ptr[0] == 'f';
    int m = gender.len == 1 && gender.ptr[0] == 'm';
    hcms_buf t = hcms_buf_new(256);
    hcms_buf_cstr(&t, "Conteúdo elaborado e revisado por ");
    hcms_buf_cstr(&t, f ? "Dra. " : m ? "Dr. " : "Dr(a). ");
    hcms_buf_append(&t, name.ptr, name.len);
    hcms_buf_cstr(&t, f ? " – MÉDICA – CRM/" : m ? " – MÉDICO – CRM/" : " – MÉDICO(A) – CRM/");
    hcms_buf_append(&t, uf.ptr, uf.len);
    hcms_buf_cstr(&t, " nº ");
    hcms_buf_append(&t, crm.ptr, crm.len);
    if (specialty.len && rqe.len) {
      hcms_buf_cstr(&t, " – ");
      hcms_buf_append(&t, specialty.ptr, specialty.len);
      hcms_buf_cstr(&t, " – RQE nº ");
      hcms_buf_append(&t, rqe.ptr, rqe.len);
    }
    hcms_buf_char(&t, '.');
    add(&out, &added, "physician", "physician", t.ptr, t.len);
  }
  if (defaults || listed(list, "informative")) {
    add_c(&out, &added, "informative", "informative",
          "Este conteúdo tem caráter exclusivamente informativo e educativo e não substitui a "
          "consulta, o diagnóstico ou o tratamento com médico ou outro profissional de saúde "
          "habilitado.");
  }
  if (defaults || listed(list, "emergency")) {
    add_c(&out, &added, "emergency", "emergency",
          "Em caso de sintomas graves ou emergência, procure imediatamente um serviço de saúde ou "
          "ligue 192 (SAMU).");
  }
  hcms_str text = stage_document_text(&in);
  if (listed(list, "mental_health") || stage_contains(text.ptr, text.len, "suic") ||
      stage_contains(text.ptr, text.len, "automutila")) {
    add_c(&out, &added, "mental_health", "mental-health",
          "Se você está pensando em suicídio ou precisa conversar, ligue 188 (CVV) — 24 horas, "
          "gratuito.");
  }
  if (listed(list, "conflict_of_interest")) {
    hcms_str coi = stage_str(in.practice, "conflict_of_interest");
    hcms_buf t = hcms_buf_new(256);
    hcms_buf_cstr(&t, "Declaração de conflito de interesses: ");
    if (coi.len) {
      hcms_buf_append(&t, coi.ptr, coi.len);
    } else {
      hcms_buf_cstr(&t, "o(a) autor(a) declara não possuir conflitos de interesse.");
    }
    add(&out, &added, "conflict_of_interest", "conflict", t.ptr, t.len);
  }
  if (listed(list, "dates")) {
    hcms_str published = stage_str(in.post, "published_at");
    hcms_str modified = stage_str(in.post, "modified_at");
    if (published.len || modified.len) {
      hcms_buf t = hcms_buf_new(128);
      if (published.len) {
        hcms_buf_cstr(&t, "Publicado em ");
        put_date(&t, published);
      }
      if (modified.len) {
        if (published.len) hcms_buf_cstr(&t, " · ");
        hcms_buf_cstr(&t, "Última revisão médica em ");
        put_date(&t, modified);
      }
      hcms_buf_char(&t, '.');
      add(&out, &added, "dates", "dates", t.ptr, t.len);
    }
  }
  /* D8 when S.1.2 found before/after material */
  hcms_json s12 = hcms_json_get(in.previous, "s1.2");
  hcms_json findings = hcms_json_get(s12, "findings");
  size_t pos = 0;
  hcms_json fnd;
  int images = 0;
  while (hcms_json_next(findings, &pos, 0, &fnd)) {
    hcms_str rule = stage_str(fnd, "rule");
    if (rule.len == 6 && memcmp(rule.ptr, "IMG-01", 6) == 0) images = 1;
  }
  if (images) {
    add_c(&out, &added, "result_images", "images",
          "Imagens publicadas com autorização por escrito, sem edição, com finalidade educativa. "
          "Os resultados variam de pessoa para pessoa e o procedimento pode ter complicações.");
  }
  if (listed(list, "telemedicine")) {
    add_c(&out, &added, "telemedicine", "telemedicine",
          "Atendimento por telemedicina conforme a Res. CFM 2.314/2022, mediante consentimento; o "
          "médico pode indicar consulta presencial a qualquer momento.");
  }
  hcms_buf_cstr(&out, "</aside>");
  hcms_buf_char(&added, ']');

  hcms_buf res = hcms_buf_new(out.len + 256);
  hcms_buf_cstr(&res, "{\"stage\":\"s1.3\",\"status\":\"");
  hcms_buf_cstr(&res, identified ? "pass" : "block");
  hcms_buf_cstr(&res, "\",\"content\":");
  hcms_buf_json_string(&res, out.ptr, out.len);
  hcms_buf_cstr(&res, ",\"added\":");
  hcms_buf_append(&res, added.ptr, added.len);
  if (!identified) {
    hcms_buf_cstr(
        &res,
        ",\"reason\":\"Configure o médico responsável (nome, CRM e UF) da clínica: a Res. "
        "CFM 2.336/2023 art. 4 exige a identificação.\"");
  }
  hcms_buf_char(&res, '}');
  hcms_output(res.ptr, res.len);
  return 0;
}
