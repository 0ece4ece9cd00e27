// node validate_responses.mjs OPENAPI.json CASES.json: checks real answers of the
// server against the OpenAPI 3.1 document. CASES is a list of
//   {"method": "get", "path": "/api/v1/users/{id}", "status": 200,
//    "content_type": "application/json; charset=utf-8", "body": "...",
//    "headers": {"x-request-id": "..."}}
// with `path` the document's path template. Each answer must be documented (the
// operation, the status and the media type) and its body must satisfy the schema
// (JSON Schema 2020-12 through Ajv); the headers it documents as required must be
// there and valid (`headers`: lower-case name -> value). Prints one line per case;
// exit 1 on any failure.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const cases = JSON.parse(readFileSync(process.argv[3], "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document is one schema resource, so "#/components/schemas/X" resolves.
ajv.addSchema(doc, "openapi.json");

const pointer = (parts) =>
  "#/" + parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
const deref = (obj) => {
  while (obj && obj.$ref) {
    obj = obj.$ref
      .slice(2)
      .split("/")
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((o, k) => o?.[k], doc);
  }
  return obj;
};

let failed = 0;
for (const c of cases) {
  const name = `${c.method.toUpperCase()} ${c.path} -> ${c.status}`;
  const fail = (why) => {
    failed++;
    console.log(`FAIL ${name}: ${why}`);
  };
  const op = doc.paths?.[c.path]?.[c.method];
  if (!op) {
    fail("operation not in the document");
    continue;
  }
  const key = op.responses[String(c.status)] ? String(c.status) : "default";
  const response = deref(op.responses[key]);
  if (!response) {
    fail(`status ${c.status} not documented`);
    continue;
  }
  // Documented headers: the required ones must be there, and each one there must
  // satisfy its schema (header values are strings).
  const headers = c.headers || {};
  let headersOk = true;
  for (const [name, h] of Object.entries(response.headers || {})) {
    const header = deref(h);
    const value = headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) {
        fail(`required header ${name} missing`);
        headersOk = false;
      }
      continue;
    }
    if (header.schema && !ajv.validate(header.schema, value)) {
      fail(`header ${name}: ${ajv.errorsText(ajv.errors)}`);
      headersOk = false;
    }
  }
  if (!headersOk) continue;
  const media = (c.content_type || "").split(";")[0].trim().toLowerCase();
  if (!response.content) {
    if (c.body.length > 0) fail(`documented without a body, got ${media}`);
    else console.log(`ok   ${name}`);
    continue;
  }
  const entry = response.content[media];
  if (!entry) {
    fail(`media type ${media} not documented (${Object.keys(response.content)})`);
    continue;
  }
  if (!entry.schema || !media.endsWith("json")) {
    console.log(`ok   ${name} (${media})`);
    continue;
  }
  let body;
  try {
    body = JSON.parse(c.body);
  } catch (e) {
    fail(`body is not JSON: ${e.message}`);
    continue;
  }
  // Validate through a $ref into the document, so nested references resolve.
  let ref;
  if (op.responses[key].$ref) {
    ref = `openapi.json${op.responses[key].$ref}/content/${media.replaceAll("/", "~1")}/schema`;
  } else {
    ref = "openapi.json" + pointer(["paths", c.path, c.method, "responses", key, "content", media, "schema"]);
  }
  const validate = ajv.compile({ $ref: ref });
  if (validate(body)) {
    console.log(`ok   ${name}`);
  } else {
    fail(ajv.errorsText(validate.errors, { separator: "; " }));
  }
}
console.log(`${cases.length - failed} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
