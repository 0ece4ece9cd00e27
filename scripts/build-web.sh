#!/usr/bin/env bash
# Builds the admin UI into $1 (CMake calls it; see cmake/AdminUi.cmake):
# npm packages (only when package-lock.json changed), type check, Vite build,
# then gzip variants of the larger text files for the server to send as is.
set -euo pipefail
out=${1:?usage: build-web.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
"$here/web-deps.sh"
cd "$here/../web"
node_modules/.bin/tsc --noEmit -p .
HCMS_WEB_OUT_DIR="$out" node_modules/.bin/vite build --logLevel warn
node scripts/precompress.mjs "$out"
