#!/usr/bin/env bash
# Two builds of watchbill and htop in one measurement window: did a change cost anything?
# The machines are noisy, so both builds are measured at the same moment, beside htop.
#
# Usage: Benchmarks/ab.sh BASE_BINARY [NEW_BINARY] [-d SECONDS] [-s WxH] [-- ARGS...]
#   e.g. git worktree add /tmp/base main~3 && (cd /tmp/base && swift build -c release --product watchbill)
#        Benchmarks/ab.sh /tmp/base/.build/release/watchbill
# ARGS go to both builds (say `replay FILE --speed 64`).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { sed -n '2,9p' "$0"; exit 2; }
BASE=$1; shift
NEW=$PWD/.build/release/watchbill
if [[ $# -gt 0 && $1 != -* ]]; then NEW=$1; shift; fi
DUR=60 SIZE=200x50 ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -s) SIZE=$2; shift 2 ;;
    --) shift; ARGS=("$@"); break ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
command -v htop >/dev/null || { echo "htop missing: apt-get install htop"; exit 1; }
OUT=Benchmarks/results/ab-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
HOMES=$(mktemp -d)
trap 'rm -rf "$HOMES"' EXIT
START=$(( $(date +%s) + 10 ))
for side in base new; do
  bin=$BASE; [[ $side == new ]] && bin=$NEW
  mkdir -p "$HOMES/$side"
  bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l "$side" -p 'CPU|REPLAY' -o "$OUT/$side" -- \
    env XDG_CONFIG_HOME="$HOMES/$side" XDG_STATE_HOME="$HOMES/$side" XDG_DATA_HOME="$HOMES/$side" "$bin" "${ARGS[@]}" > "$OUT/$side.txt" 2>&1 &
done
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l htop -o "$OUT/htop" -- htop -d 10 > "$OUT/htop.txt" 2>&1 &
wait
grep -h "^label=" "$OUT"/base.txt "$OUT"/new.txt "$OUT"/htop.txt
python3 - "$OUT" <<'PY'
import sys
def read(name):
    line = next(l for l in open(f"{sys.argv[1]}/{name}.txt") if l.startswith("label="))
    return dict(kv.split("=", 1) for kv in line.split())
b, n, h = read("base"), read("new"), read("htop")
for key in ("cpu_pct", "bytes_per_s", "rss_hwm_mib", "startup_ms"):
    hv = max(float(h[key]), 1e-9)
    print(f"{key}: base {b[key]} ({float(b[key]) / hv:.2f}x htop)  new {n[key]} ({float(n[key]) / hv:.2f}x htop)  htop {h[key]}")
PY
