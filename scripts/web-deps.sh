#!/usr/bin/env bash
# Installs web/'s npm packages exactly as package-lock.json pins them (`npm ci`,
# from the npm registry only), and only when the lock file or Node's major
# version changed since the last install: a second run takes milliseconds.
# Serialised with flock, so two builds never install at once.
set -euo pipefail
web=$(cd "$(dirname "$0")/../web" && pwd)
cd "$web"
stamp=node_modules/.hcms-installed
want="$(sha256sum package-lock.json | cut -d' ' -f1) node-$(node -p 'process.versions.node.split(".")[0]')"
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
exec 9>"$web/.npm-install.lock"
flock 9
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "web-deps: npm ci (package-lock.json changed)"
npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
echo "$want" >"$stamp"
