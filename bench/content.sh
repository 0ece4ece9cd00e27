#!/usr/bin/env bash
# Content load figures (issue #4), side by side with WordPress in the same run:
# imports the 1,000-post WordPress export into a fresh hcms, times the import,
# then runs wrk on the four endpoints of ../shared/research/wordpress.md
#   list    GET /wp-json/wp/v2/posts?per_page=10
#   single  GET /wp-json/wp/v2/posts/<newest id>
#   home    GET /                       (rendered HTML)
#   search  GET /wp-json/wp/v2/posts?search=jabuticaba
# at 16 and 64 connections, and, when WordPress from wp-setup.sh answers on
# 127.0.0.1:8081, runs ../shared/research/wp-bench.sh with the same knobs.
# Loopback only; every run is bounded by DURATION. The lead runs this (it loads
# both cores); tests never do.
#
#   bench/content.sh                                  # SQLite, 20 s per run
#   BACKEND=postgres PG_URL=postgresql://... bench/content.sh
#   DURATION=10s CONNS="64" WP=0 bench/content.sh     # skip WordPress
#   UNCACHED=0 GZIP=0 bench/content.sh                # only the default, plain client
# Every endpoint is measured as served (anonymous response cache on, the default;
# wrk sends no Accept-Encoding, so answers are plain), rows "hcms ..."; with a
# client that accepts gzip as browsers do, rows "hcms-gzip ..."; and with
# content.response_cache_mb = 0 (every request rendered from the database), rows
# "hcms-nocache ...".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HCMS=${HCMS:-build/release/src/app/hcms}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNS=${CONNS:-"16 64"}
THREADS=${THREADS:-2}
BACKEND=${BACKEND:-sqlite}
SEARCH=${SEARCH:-jabuticaba}
WP=${WP:-1}
UNCACHED=${UNCACHED:-1}
GZIP=${GZIP:-1}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
[[ -d $SHARED/research ]] || SHARED=$(cd ../.. && pwd)/shared
EXPORT=${EXPORT:-$SHARED/research/wp-export-1000-posts.xml.gz}
OUT=${OUT:-$ROOT/build/bench-content-$(date +%Y%m%d-%H%M%S)}
command -v wrk >/dev/null || { echo "wrk not installed (make deps)" >&2; exit 1; }
[[ -x $HCMS ]] || { echo "build first: make build" >&2; exit 1; }
[[ -f $EXPORT ]] || { echo "missing $EXPORT" >&2; exit 1; }
mkdir -p "$OUT"

work=$(mktemp -d)
pid=""
trap '[[ -n $pid ]] && kill $pid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/hcms.toml" <<TOML
data_dir = "$work/data"
[server]
port = 0
port_file = "$work/port"
[log]
level = "warn"
access_log = false
TOML
if [[ $BACKEND == postgres ]]; then
  printf '[database]\nbackend = "postgres"\nurl = "%s"\n' "$PG_URL" >> "$work/hcms.toml"
fi

"$HCMS" migrate --config "$work/hcms.toml" >/dev/null
"$HCMS" tenant create --slug default --name "Clínica" --config "$work/hcms.toml" >/dev/null
t0=$(date +%s%N)
"$HCMS" import wxr "$EXPORT" --tenant default --config "$work/hcms.toml" > "$OUT/import.txt"
t1=$(date +%s%N)
import_ms=$(( (t1 - t0) / 1000000 ))

start_server() {  # $1: config file
  rm -f "$work/port"
  "$HCMS" serve --config "$1" > "$work/stdout" 2> "$work/stderr" &
  pid=$!
  for _ in $(seq 1 500); do [[ -s $work/port ]] && break; sleep 0.01; done
  port=$(cat "$work/port")
  BASE=http://127.0.0.1:$port
}
start_server "$work/hcms.toml"
POST_ID=$(curl -fsS "$BASE/wp-json/wp/v2/posts?per_page=1&_fields=id" | sed -E 's/.*"id":([0-9]+).*/\1/')

AWK_TO_MS='function ms(v){ if (v ~ /us$/) return substr(v,1,length(v)-2)/1000; if (v ~ /ms$/) return substr(v,1,length(v)-2)+0; if (v ~ /m$/) return substr(v,1,length(v)-1)*60000; if (v ~ /s$/) return substr(v,1,length(v)-1)*1000; return v }'
parse_wrk() {
  awk "$AWK_TO_MS"'
    /Requests\/sec:/ {rps=$2}
    /^ +50%/ {p50=ms($2)} /^ +90%/ {p90=ms($2)} /^ +99%/ {p99=ms($2)}
    /requests in/ {n=$1}
    /Non-2xx or 3xx responses:/ {bad=$NF}
    END {printf "%.0f %.2f %.2f %.2f %d %d\n", rps, p50, p90, p99, n, bad+0}' "$1"
}

{
  echo "# hcms $("$HCMS" version | head -1) — $BACKEND — $(nproc) cores — $(date -u +%FT%TZ)"
  echo
  echo "Import of the 1,000-post export (\`hcms import wxr\`, wall clock, one transaction): ${import_ms} ms"
  echo
  echo "| endpoint | conns | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} > "$OUT/summary.md"
run_all() {  # $1: row label; then extra wrk/curl arguments (headers)
  local label=$1
  shift
  declare -A URL
  URL[list]="$BASE/wp-json/wp/v2/posts?per_page=10"
  URL[single]="$BASE/wp-json/wp/v2/posts/$POST_ID"
  URL[home]="$BASE/"
  URL[search]="$BASE/wp-json/wp/v2/posts?search=$SEARCH"
  for e in list single home search; do
    curl -fsS "$@" -o "$OUT/body-$label-$e" "${URL[$e]}"
    wrk -t"$THREADS" -c16 -d"$WARMUP" "$@" "${URL[$e]}" > /dev/null
    for c in $CONNS; do
      wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency "$@" "${URL[$e]}" > "$OUT/wrk-$label-$e-c$c.txt"
      read -r rps p50 p90 p99 n bad < <(parse_wrk "$OUT/wrk-$label-$e-c$c.txt")
      echo "| $label $e | $c | $rps | $p50 | $p90 | $p99 | $n | $bad |" | tee -a "$OUT/summary.md"
      sleep 2
    done
  done
  echo "body bytes ($label): $(for e in list single home search; do printf '%s=%s ' $e $(stat -c %s "$OUT/body-$label-$e"); done)" >> "$OUT/summary.md"
  echo "rss_kb_after ($label): $(awk '/VmRSS/{print $2}' /proc/$pid/status)" >> "$OUT/summary.md"
  kill -TERM $pid; wait $pid || true; pid=""
}
run_all hcms
if [[ $GZIP == 1 ]]; then
  start_server "$work/hcms.toml"
  run_all hcms-gzip -H "Accept-Encoding: gzip"
fi
if [[ $UNCACHED == 1 ]]; then
  { cat "$work/hcms.toml"; printf '[content]\nresponse_cache_mb = 0\n'; } > "$work/nocache.toml"
  start_server "$work/nocache.toml"
  run_all hcms-nocache
fi

# WordPress in the same run, same knobs (its own script, its own output folder).
if [[ $WP == 1 ]] && curl -fsS -o /dev/null --max-time 5 http://127.0.0.1:8081/wp-json/; then
  (cd "$SHARED/research" 2>/dev/null || cd "$OUT"
   OUT="$OUT/wordpress" CONNS="$CONNS" DURATION="$DURATION" WARMUP="$WARMUP" THREADS="$THREADS" \
     WRITES=0 SEARCH="$SEARCH" bash "$SHARED/research/wp-bench.sh") || echo "wp-bench.sh failed" >&2
  { echo; echo "## WordPress (same run)"; cat "$OUT/wordpress/summary.md"; } >> "$OUT/summary.md"
fi
cat "$OUT/summary.md"
echo "results in $OUT" >&2
