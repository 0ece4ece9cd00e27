#!/usr/bin/env bash
# Captures the WordPress REST responses that tests/functional/content_test.cc
# compares hcms's /wp-json with, from the WordPress that
# ../shared/research/wp-setup.sh installs on 127.0.0.1:8081 (run that first, as root).
# Writes tests/data/wp/*.json. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BASE:-http://127.0.0.1:8081}
AUTH_FILE=${APP_PW_FILE:-}
out=tests/data/wp
mkdir -p "$out"
id=$(curl -fsS "$B/wp-json/wp/v2/posts?per_page=1&_fields=id" | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -fsS "$B/wp-json/wp/v2/posts?per_page=2" > "$out/posts.json"
curl -fsS "$B/wp-json/wp/v2/posts/$id" > "$out/post.json"
for r in pages categories tags users comments media; do
  curl -fsS "$B/wp-json/wp/v2/$r?per_page=2" > "$out/$r.json"
done
curl -fsS "$B/wp-json/wp/v2/search?search=jabuticaba&per_page=2" > "$out/search.json"
curl -sS "$B/wp-json/wp/v2/posts/999999" > "$out/error-not-found.json"
curl -sS "$B/wp-json/wp/v2/users/me" > "$out/error-users-me.json"
curl -sS "$B/wp-json/wp/v2/posts?per_page=500" > "$out/error-per-page.json"
curl -sS -D - -o /dev/null "$B/wp-json/wp/v2/posts?per_page=10&page=2" | tr -d '\r' > "$out/headers-list.txt"
if [[ -n $AUTH_FILE ]]; then
  curl -fsS -u "$(cat "$AUTH_FILE")" "$B/wp-json/wp/v2/users/me" > "$out/users-me.json"
fi
echo "captured into $out (post $id)"
