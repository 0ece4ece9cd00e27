#!/usr/bin/env bash
# Checks that the Dockerfile's run-time stage installs a Debian package for every
# shared library the given binaries link directly (their ELF NEEDED entries):
# a library added to the build and forgotten in the image would otherwise show
# only when the container starts. Libraries those packages need themselves come
# with them (apt resolves dependencies), so only direct links are checked.
#
#   scripts/check-docker-runtime.sh build/release/src/app/hcms build/release/src/plugins/hcms-plugin-worker
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -gt 0 ]] || { echo "usage: $0 BINARY..." >&2; exit 2; }

# The package names of the last stage's `apt-get install` (from its FROM on).
runtime=$(awk '/^FROM /{stage=""} {stage = stage $0 "\n"} END{printf "%s", stage}' Dockerfile |
  sed -e 's/\\$//' | tr -s ' \n' '\n\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u)

missing=0
for bin in "$@"; do
  [[ -x $bin ]] || { echo "check-docker-runtime: no binary $bin (build first)" >&2; exit 2; }
  while read -r lib; do
    path=$(ldd "$bin" | awk -v l="$lib" '$1 == l { print $3 }')
    [[ -n $path ]] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
    real=$(readlink -f "$path")
    pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
    if [[ -z $pkg ]]; then
      echo "check-docker-runtime: $bin needs $lib, which no Debian package provides" >&2
      missing=1
    elif ! grep -qx "$pkg" <<<"$runtime"; then
      echo "check-docker-runtime: $bin needs $lib from package $pkg; add it to the Dockerfile's run-time apt-get install" >&2
      missing=1
    fi
  done < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done
[[ $missing == 0 ]] && echo "check-docker-runtime: every linked library has its package in the image"
exit $missing
