#!/usr/bin/env bash
# Speed of `attest import` and `attest lint` on large pipe tables, against a floor measured in the same run
# on the same file: `cat FILE` and `wc -l FILE` (reading the bytes once).
#   tall:  10,000 and 100,000 rows x 3 columns (Task, Provider, Customer)
#   wide:  20 rows x 10,000 columns (Task, Provider, 9,997 other parties, Customer)
# Bounds (issue 9, release build): 10^4 rows < 0.2 s, 10^5 rows < 2 s, 10^4 columns x 20 rows < 1 s, for both.
# usage: Benchmarks/import.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
swift build -c release --product attest >/dev/null
attest="$PWD/.build/release/attest"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"

best() {  # best of 3 wall-clock runs, in milliseconds
  local best=""
  for _ in 1 2 3; do
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
fresh_import() {  # a new workspace each time: the first import of the matrix, records written
  rm -rf ws && mkdir ws && (cd ws && "$attest" init >/dev/null && "$attest" import "../$1" --checklist bench --prefix B)
}
floor_of() { cat "$1" >/dev/null; wc -l "$1" >/dev/null; }

printf '%-34s %9s %9s %9s %8s %8s\n' "matrix" "floor ms" "import ms" "lint ms" "import/" "lint/"
for shape in "10000 3" "100000 3" "20 10000"; do
  set -- $shape
  file="m-$1x$2.md"
  python3 "$here/generate_matrix.py" "$file" "$1" "$2"
  floor=$(best floor_of "$file")
  import=$(best fresh_import "$file")
  lint=$(best "$attest" lint "$file")
  ratio() { awk -v a="$1" -v b="$floor" 'BEGIN { printf "%.0fx", (b > 0 ? a / b : a) }'; }
  printf '%-34s %9s %9s %9s %8s %8s\n' "$1 rows x $2 columns ($(du -h "$file" | cut -f1))" "$floor" "$import" "$lint" "$(ratio "$import")" "$(ratio "$lint")"
done
echo "($(nproc) cores; ratios are against cat + wc -l of the same file)"
