#!/usr/bin/env bash
# Installs the npm packages the tests need (package-lock.json pinned, npm registry
# only). Idempotent: does nothing when node_modules matches the lock file.
#   tests/fhir:    the HL7 FHIR R4 JSON schema validator used by the privacy tests.
#   tests/js:      WordPress clients (wpapi) and the OpenAPI validator (functional tests).
#   tests/extism:  the official Extism runtime (plugin conformance test).
# web/ installs its own packages at build time (scripts/web-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "install-npm-deps: node and npm are needed (Node 18+)" >&2
  exit 1
}
for dir in tests/fhir tests/js tests/extism; do
  stamp="$dir/node_modules/.package-lock.json"
  if [[ -f $stamp && $stamp -nt $dir/package-lock.json ]]; then
    continue
  fi
  echo "install-npm-deps: npm ci in $dir"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
done
