#!/usr/bin/env bash
# Speed of `attest lint` and `attest import` on large pipe tables, against a floor measured in the same run
# on the same file: `cat FILE; wc -l FILE` (reading the bytes once).
#   10,000 and 100,000 rows x 3 columns (Task, Provider, Customer)
#   20 rows x 10,000 columns (Task, Provider, 9,998 other parties, Customer)
# For each: wall-clock and CPU (user+sys) time, best of 3, in ms. `import --dry-run` reads the matrix and
# builds the item table; `import` also writes the import record (and today the checklist file).
# Bounds (issue 9, release build, an idle 2-core machine): 10^4 rows < 0.2 s, 10^5 rows < 2 s,
# 10^4 columns x 20 rows < 1 s, for import and lint. On a shared machine compare CPU times and ratios.
# usage: Benchmarks/import.sh [BASELINE_ATTEST]   (another build's binary, e.g. of main, measured once per command
# in the same run)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
swift build -c release --product attest >/dev/null
attest="$PWD/.build/release/attest"
baseline="${1:-}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"

measure() {  # best of $runs (3): "wall_ms cpu_ms" (wall from the clock in ns, CPU user+sys from /usr/bin/time)
  local wall="" cpu=""
  for _ in $(seq 1 "${runs:-3}"); do
    local start end w c
    start=$(date +%s%N)
    /usr/bin/time -o "$work/time" -f "%U %S" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    w=$(( (end - start) / 1000000 )); c=$(tail -1 "$work/time" | awk '{ printf "%d", ($1 + $2) * 1000 }')  # after "Command exited with…"
    if [ -z "$wall" ] || [ "$w" -lt "$wall" ]; then wall=$w; fi
    if [ -z "$cpu" ] || [ "$c" -lt "$cpu" ]; then cpu=$c; fi
  done
  echo "$wall $cpu"
}
floor_of() { cat "$1" >/dev/null; wc -l "$1" >/dev/null; }
fresh_import() {  # the first import of the matrix into the workspace (the previous run's checklist removed)
  rm -rf ws/Checklists/bench && cd ws && "$attest" import "../$1" --checklist bench --prefix B "${@:2}"
}
export -f floor_of fresh_import; export attest
mkdir ws && (cd ws && "$attest" init >/dev/null)

printf '%-28s %-22s %10s %10s %9s\n' "matrix" "command" "wall ms" "cpu ms" "wall/floor"
for shape in "10000 3" "100000 3" "20 10000"; do
  set -- $shape
  file="m-$1x$2.md"
  python3 "$here/generate_matrix.py" "$file" "$1" "$2"
  read -r floor _ <<<"$(measure bash -c 'floor_of "$0"' "$file")"
  label="$1 x $2 ($(du -h "$file" | cut -f1))"
  printf '%-28s %-22s %10s %10s %9s\n' "$label" "floor: cat + wc -l" "$floor" "-" "1x"
  for binary in "$attest" $baseline; do
    name="attest"; runs=3
    [ "$binary" = "$attest" ] || { name="baseline"; runs=1; }  # the slow old build: one run each
    for command in lint dry-run import; do
      case $command in
        lint) read -r wall cpu <<<"$(measure "$binary" lint "$file")" ;;
        dry-run) read -r wall cpu <<<"$(attest=$binary measure bash -c 'fresh_import "$0" --dry-run' "$file")" ;;
        import) read -r wall cpu <<<"$(attest=$binary measure bash -c 'fresh_import "$0"' "$file")" ;;
      esac
      ratio=$(awk -v a="$wall" -v b="$floor" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : a) }')
      printf '%-28s %-22s %10s %10s %9s\n' "" "$name $command" "$wall" "$cpu" "$ratio"
    done
  done
done
echo "($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); times include process start, ~10 ms; the floor includes two process starts)"
