/* Helpers shared by the built-in stage plugins (S.1.1 - S.1.5).
 *
 * Every stage receives the same JSON document from the orchestrator:
 *   {"post": {"id", "revision", "title", "content" (HTML), "excerpt", "slug", "url",
 *             "language", "published_at", "modified_at", "author"},
 *    "practice": {"name", "url", "logo", "physician": {"name", "crm", "uf", "rqe",
 *                 "specialty", "gender"}, "disclaimers": ["informative", "emergency", ...],
 *                 "conflict_of_interest", "technical_director": {...}},
 *    "previous": {"s1.1": {...}, "s1.2": {...}, ...}}
 * and answers {"stage": "s1.N", "status": "pass" | "needs_review" | "block", ...}.
 */
#ifndef HCMS_PLUGINS_STAGE_H_
#define HCMS_PLUGINS_STAGE_H_

#include "hcms_pdk.h"

typedef struct {
  hcms_json root;
  hcms_json post;
  hcms_json practice;
  hcms_json previous;
  hcms_str title;
  hcms_str content; /* HTML */
} stage_input;

/* Reads and parses the call input; on malformed JSON sets the error and returns 0. */
int stage_read_input(stage_input* in);

/* A decoded string member of an object ("" when absent). */
hcms_str stage_str(hcms_json obj, const char* key);

/* Plain text of HTML: tags dropped (script/style with their content), block ends
 * become "\n", character references decoded. */
hcms_str stage_html_to_text(const char* html, size_t len);

/* The document text every stage analyses: title, blank line, text of the content. */
hcms_str stage_document_text(const stage_input* in);

/* Unicode code points in p[0..n) (UTF-8). */
int64_t stage_code_points(const char* p, size_t n);

/* Case-insensitive ASCII search for `needle` (lower case) in p[0..n). */
int stage_contains(const char* p, size_t n, const char* needle);

#endif /* HCMS_PLUGINS_STAGE_H_ */
