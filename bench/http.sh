#!/usr/bin/env bash
# HTTP load figures for docs/performance.md (issue #2): wrk on GET /health and on a
# database-backed read (GET /api/v1/site) at 16 and 64 connections, idle RSS, and
# start-up time. Bounded: DURATION per run (default 10s).
#
#   bench/http.sh                       # SQLite, the default
#   BACKEND=postgres PG_URL=postgresql://... bench/http.sh
#   DURATION=20s CONNS="16 64" bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
HCMS=${HCMS:-build/release/src/app/hcms}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"16 64"}
THREADS=${THREADS:-2}
BACKEND=${BACKEND:-sqlite}
command -v wrk >/dev/null || { echo "wrk not installed (make deps)" >&2; exit 1; }
[[ -x $HCMS ]] || { echo "build first: make build" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/hcms.toml" <<TOML
data_dir = "$work/data"
[server]
port = 0
port_file = "$work/port"
[log]
level = "warn"
access_log = true
access_log_path = "$work/access.log"
TOML
if [[ $BACKEND == postgres ]]; then
  printf '[database]\nbackend = "postgres"\nurl = "%s"\n' "$PG_URL" >> "$work/hcms.toml"
fi

start_server() {
  rm -f "$work/port"
  "$HCMS" serve --config "$work/hcms.toml" > "$work/stdout" 2> "$work/stderr" &
  pid=$!
  for _ in $(seq 1 500); do [[ -s $work/port ]] && break; sleep 0.01; done
  port=$(cat "$work/port")
}

# Start-up: time from exec to the port file appearing (first start migrates and
# creates the first admin; later starts are the normal case), median of 10.
start_server; kill -TERM $pid; wait $pid || true
startups=()
for _ in $(seq 1 10); do
  t0=$(date +%s%N)
  start_server
  t1=$(date +%s%N)
  startups+=($(( (t1 - t0) / 1000 )))
  kill -TERM $pid; wait $pid || true
done
startup_us=$(printf '%s\n' "${startups[@]}" | sort -n | sed -n 5p)

start_server
sleep 1
idle_rss_kb=$(awk '/VmRSS/{print $2}' /proc/$pid/status)

echo "# hcms $("$HCMS" version) — backend $BACKEND — $(nproc) cores — $(date -u +%FT%TZ)"
echo "start-up (exec to listening, median of 10): $((startup_us / 1000)).$(( (startup_us % 1000) / 100 )) ms"
echo "idle RSS: $((idle_rss_kb / 1024)) MiB ($idle_rss_kb kB)"
echo
echo "| endpoint | conns | req/s | p50 ms | p90 ms | p99 ms | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for path in /health /api/v1/site; do
  wrk -t"$THREADS" -c16 -d2s "http://127.0.0.1:$port$path" > /dev/null  # warm-up
  for c in $CONNS; do
    out=$(wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency "http://127.0.0.1:$port$path")
    rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    p() { awk -v q="$1" '$1==q{v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; printf "%.2f", v}' <<<"$out"; }
    errs=$(awk '/Non-2xx|Socket errors/{print}' <<<"$out" | tr '\n' ' ')
    echo "| GET $path | $c | $rps | $(p 50%) | $(p 90%) | $(p 99%) | ${errs:-0} |"
  done
done
busy_rss_kb=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
echo
echo "RSS after the runs: $((busy_rss_kb / 1024)) MiB"
