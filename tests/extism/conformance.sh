#!/usr/bin/env bash
# CTest entry point: installs the pinned @extism/extism from the npm registry when it is
# missing (package-lock.json), then runs the conformance test program given as $1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ ! -d "$here/node_modules/@extism/extism" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec "$@"
