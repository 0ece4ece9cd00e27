// node validate_openapi.mjs FILE: validates an OpenAPI 3.x document against the
// official JSON schema (@seriousme/openapi-schema-validator). Exit 0 when valid.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const result = await validator.validate(doc);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 1));
  process.exit(1);
}
if (validator.version !== "3.1") {
  console.error(`expected OpenAPI 3.1, got ${validator.version}`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
