#!/usr/bin/env bash
# `make test`: the whole suite, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
start=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$1" $(( $(date +%s) - start )); }

step "format check"
./scripts/format.sh check

step "release build (-Werror)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

step "tests: unit, storage (SQLite + PostgreSQL), functional (real binary)"
ctest --preset release

step "AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"

step "unit tests under ASan + UBSan"
ctest --preset asan

step "all tests passed"
