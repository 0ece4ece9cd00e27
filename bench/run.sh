#!/usr/bin/env bash
# `make bench`: the micro-benchmarks (Google Benchmark) and the HTTP load figures.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in build/release/bench/*_bench; do
  [[ -x $b ]] || continue
  echo "== $b"
  "$b" --benchmark_min_time=0.5
done
echo "== bench/http.sh"
./bench/http.sh
