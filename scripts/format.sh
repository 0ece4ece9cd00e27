#!/usr/bin/env bash
# clang-format (Debian 12's clang-format 14) over the project's C/C++ sources.
#   format.sh check   fail if any file is not formatted
#   format.sh fix     rewrite files in place
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-check}
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.cc' '*.h' '*.c' | grep -v '^web/' || true)
((${#files[@]})) || exit 0
if [[ $mode == fix ]]; then
  clang-format -i "${files[@]}"
else
  if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/hcms-format.log; then
    grep -E '^[^ ].*: (error|warning):' /tmp/hcms-format.log | cut -d: -f1 | sort -u | sed 's/^/  not formatted: /'
    echo "format-check: run 'make format' to fix" >&2
    exit 1
  fi
  echo "format-check: ${#files[@]} files formatted"
fi
