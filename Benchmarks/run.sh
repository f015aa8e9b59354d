#!/usr/bin/env bash
# Speed of evaluation at scale, as ratios against a floor measured in the same run on the same files:
#   floor: reading every record file once (cat of records/**, page cache warm)
#   attest status and gate (stat cache warm), status (stat cache cold: every attachment re-hashed),
#   attest report (JUnit, markdown, OSCAL), attest verify (re-hash everything, re-read every record, derive the item table again),
#   attest tick (reads records/checklist/ only).
# Then the same workspace is committed to git and the git checks are measured on their own:
#   gate and verify in the repository, minus the same command outside it.
# With BASELINE=/path/to/an/older/attest, status, gate and report are also timed side by side with it on the
# same workspace, alternating (this machine's speed drifts by a fifth within minutes: only an alternating,
# same-workspace comparison tells builds apart).
# usage: [BASELINE=ATTEST] Benchmarks/run.sh [RECORDS=100000] [ITEMS=1000] [ATTACHMENTS=10000]
set -euo pipefail
records=${1:-100000}; items=${2:-1000}; attachments=${3:-10000}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."
swift build -c release --product attest >/dev/null
attest="$PWD/.build/release/attest"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
"$attest" init >/dev/null
{ echo "# Bench"; echo; echo "| Task | Provider | Customer |"; echo "| --- | --- | --- |"
  for i in $(seq 1 "$items"); do echo "| Obligation number $i | I | RA |"; done; } > matrix.md
"$attest" import matrix.md --checklist bench --prefix B >/dev/null
python3 "$here/generate.py" "$work" "$items" "$records" "$attachments"
echo "workspace: $records records over $items obligations, $attachments attachments, $(du -sh Checklists | cut -f1); $(nproc) cores"

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
read_all() { find Checklists/bench/records -type f -print0 | xargs -0 cat >/dev/null; }
cold_status() { rm -rf .attest; "$attest" status --format json; }

floor=$(best read_all)
warm=$(best "$attest" status --format json)
gate=$(best "$attest" gate)
cold=$(best cold_status)
report=$(best "$attest" report)
verify=$(best "$attest" verify)
tick=$(best "$attest" tick B-01 --note "benchmark tick" --by bench)
ratio() { awk -v a="$1" -v b="$floor" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf '%-40s %8s ms\n' "floor: read every record once" "$floor"
printf '%-40s %8s ms  %6sx floor\n' "attest status (stat cache warm)" "$warm" "$(ratio "$warm")"
printf '%-40s %8s ms  %6sx floor\n' "attest gate (stat cache warm)" "$gate" "$(ratio "$gate")"
printf '%-40s %8s ms  %6sx floor\n' "attest status (stat cache cold)" "$cold" "$(ratio "$cold")"
printf '%-40s %8s ms  %6sx floor\n' "attest report (JUnit, markdown, OSCAL)" "$report" "$(ratio "$report")"
printf '%-40s %8s ms  %6sx floor\n' "attest verify (re-hash all)" "$verify" "$(ratio "$verify")"
printf '%-40s %8s ms  %6sx floor\n' "attest tick (adds one record)" "$tick" "$(ratio "$tick")"

if [ -n "${BASELINE:-}" ]; then
  # Min and median of 7 alternating runs of each build, in milliseconds.
  side_by_side() {
    local runs="" line
    for _ in 1 2 3 4 5 6 7; do
      for build in "$BASELINE" "$attest"; do
        local start end
        start=$(date +%s%N); "$build" "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
        runs+="$build $(( (end - start) / 1000000 ))"$'\n'
      done
    done
    for build in "$BASELINE" "$attest"; do
      line=$(printf '%s' "$runs" | awk -v b="$build" '$1 == b { print $2 }' | sort -n | awk '{ v[NR] = $1 } END { printf "min %5d  median %5d", v[1], v[int((NR + 1) / 2)] }')
      printf '  %-34s %s ms\n' "$([ "$build" = "$attest" ] && echo "this build" || echo "baseline")" "$line"
    done
  }
  for command in "status --format json" "gate" "report"; do
    echo "side by side: attest $command"
    # shellcheck disable=SC2086
    side_by_side $command
  done
fi

# Signed: every record gets a .sig (Benchmarks/sign.py writes SSHSIG as ssh-keygen does) and allowed_signers.
if python3 -c 'import cryptography' 2>/dev/null; then
  python3 "$here/sign.py" "$work" bench
  signed_floor=$(best read_all)
  "$attest" status --format json >/dev/null 2>&1 || true   # fills the verdict cache
  signed_warm=$(best "$attest" status --format json)
  signed_cold=$(best cold_status)
  signed_verify=$(best "$attest" verify)
  sratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
  printf '%-40s %8s ms\n' "signed floor: read records and .sig" "$signed_floor"
  printf '%-40s %8s ms  %6sx signed floor\n' "attest status signed (cache warm)" "$signed_warm" "$(sratio "$signed_warm" "$signed_floor")"
  printf '%-40s %8s ms  %6sx signed floor\n' "attest status signed (cache cold)" "$signed_cold" "$(sratio "$signed_cold" "$signed_floor")"
  printf '%-40s %8s ms  %6sx unsigned verify\n' "attest verify signed" "$signed_verify" "$(sratio "$signed_verify" "$verify")"
else
  echo "python3's cryptography is missing (pip install cryptography): signed measurements skipped"
fi

# The git checks, measured separately: the same commands inside a repository holding the workspace, against
# the same commands on the same (signed, when it was signed) workspace just before it became one.
pre_gate=$(best "$attest" gate)
pre_verify=$(best "$attest" verify)
git init -q . && git -c user.email=bench@example.com -c user.name=bench add -A >/dev/null \
  && git -c user.email=bench@example.com -c user.name=bench commit -q -m bench >/dev/null
git_gate=$(best "$attest" gate)
git_verify=$(best "$attest" verify)
printf '%-40s %8s ms  (+%s ms for the working-tree check)\n' "attest gate in git" "$git_gate" "$(( git_gate - pre_gate ))"
printf '%-40s %8s ms  (+%s ms for the working-tree and late-record checks)\n' "attest verify in git" "$git_verify" "$(( git_verify - pre_verify ))"
