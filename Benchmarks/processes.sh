#!/usr/bin/env bash
# Process-table cost against htop at several process counts, side by side in one window
# per count. Sleepers (bounded: they exit after 600 s, and are killed at the end) raise
# the process count; both programs refresh every second and show their process list
# (watchbill starts in its Processes view, `--view processes`, so it scans every refresh).
#
# Usage: Benchmarks/processes.sh [-d SECONDS] [COUNT...]   (default: 100 1000 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=30
if [[ ${1:-} == -d ]]; then DUR=$2; shift 2; fi
COUNTS=("${@:-100 1000 5000}")
read -r -a COUNTS <<< "${COUNTS[*]}"
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
command -v htop >/dev/null || { echo "htop missing: apt-get install htop"; exit 1; }
swift build -c release --product watchbill >/dev/null
OUT=Benchmarks/results/processes-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
SLEEPERS=()
cleanup() { ((${#SLEEPERS[@]})) && kill -9 "${SLEEPERS[@]}" 2>/dev/null; true; }
trap cleanup EXIT

# A glob, not `ls | wc`: a process that exits mid-listing makes ls fail.
count_processes() { local p=(/proc/[0-9]*); echo ${#p[@]}; }

printf '%-8s %12s %12s %8s\n' processes watchbill_cpu htop_cpu ratio | tee "$OUT/summary.txt"
for target in "${COUNTS[@]}"; do
  have=$(count_processes)
  while (( have < target )); do
    sleep 600 & SLEEPERS+=($!)
    have=$((have + 1))
  done
  n=$(count_processes)
  START=$(( $(date +%s) + 8 ))
  CSV="$OUT/n$target.csv"
  bash "$MEASURE" -A "$START" -d "$DUR" -s 200x50 -l watchbill -c "$CSV" -- "$PWD/.build/release/watchbill" --view processes > "$OUT/w$target.txt" 2>&1 &
  m1=$!
  bash "$MEASURE" -A "$START" -d "$DUR" -s 200x50 -l htop -c "$CSV" -- htop -d 10 > "$OUT/h$target.txt" 2>&1 &
  m2=$!
  # Only these two: a bare `wait` would also wait out the sleepers.
  wait "$m1" "$m2" || true
  awk -F, -v n="$n" 'NR > 1 { cpu[$1] = $2 } END {
    printf "%-8s %12s %12s %8.2f\n", n, cpu["watchbill"], cpu["htop"], (cpu["htop"] > 0 ? cpu["watchbill"] / cpu["htop"] : 0) }' \
    "$CSV" | tee -a "$OUT/summary.txt"
done
echo "results in $OUT"
