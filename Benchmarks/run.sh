#!/usr/bin/env bash
# One command for every benchmark: micro benchmarks of the hot paths, then watchbill, htop
# and btop side by side in one measurement window (same machine, same minute), so the
# figures compare as ratios on a noisy shared machine, then one-shot commands' starts
# against htop's and promtool's (Benchmarks/start.sh, when promtool is installed).
#
# Usage: Benchmarks/run.sh [-d SECONDS] [-s WxH] [--load] [--micro-only]
#   --load  keep one core busy (a bounded `timeout ... sh -c 'while :; do :; done'`) during the
#           window, so every CPU figure on screen changes every second: the busy-host case.
# Needs: htop and btop for the comparison (apt-get install htop btop), tmux, and
# measure-tui.sh (default ../shared/tools/measure-tui.sh, or set MEASURE_TUI).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60 SIZE=200x50 MICRO_ONLY=0 LOAD=0
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -s) SIZE=$2; shift 2 ;;
    --micro-only) MICRO_ONLY=1; shift ;;
    --load) LOAD=1; shift ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
OUT=Benchmarks/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

swift build -c release --product watchbill >/dev/null
swift build -c release --product watchbill-bench >/dev/null
echo "== micro"
.build/release/watchbill-bench | tee "$OUT/micro.txt"
((MICRO_ONLY)) && exit 0

MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
[[ -x $MEASURE || -f $MEASURE ]] || { echo "measure-tui.sh not found at $MEASURE (set MEASURE_TUI)"; exit 1; }
for peer in htop btop; do command -v $peer >/dev/null || { echo "$peer missing: apt-get install $peer"; exit 1; }; done

# btop refreshes every 2 s by default; give it 1 s like the others, in a private config.
BTOP_HOME=$(mktemp -d)
mkdir -p "$BTOP_HOME/.config/btop"
printf 'update_ms = 1000\n' > "$BTOP_HOME/.config/btop/btop.conf"
trap 'rm -rf "$BTOP_HOME"' EXIT

echo "== whole process, side by side: ${DUR}s at $SIZE (window opens together for all three)"
START=$(( $(date +%s) + 12 ))
if ((LOAD)); then
  timeout $((DUR + 20)) sh -c 'while :; do :; done' &
  echo "load: one busy core for $((DUR + 20)) s"
fi
CSV="$OUT/process.csv"
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l watchbill -c "$CSV" -o "$OUT/watchbill" -- "$PWD/.build/release/watchbill" > "$OUT/watchbill.txt" 2>&1 &
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l htop -c "$CSV" -o "$OUT/htop" -- htop -d 10 > "$OUT/htop.txt" 2>&1 &
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l btop -c "$CSV" -o "$OUT/btop" -- env HOME="$BTOP_HOME" btop > "$OUT/btop.txt" 2>&1 &
wait
cat "$OUT"/watchbill.txt "$OUT"/htop.txt "$OUT"/btop.txt | grep -E '^label=|CPU .* of one core' || true

# Ratios against the peers measured in the same window.
awk -F, 'NR > 1 { cpu[$1] = $2; rss[$1] = $3; bps[$1] = $5; start[$1] = $8 }
  END {
    printf "\n%-10s %8s %10s %12s %10s\n", "program", "cpu %", "rss MiB", "bytes/s", "first ms"
    for (p in cpu) printf "%-10s %8s %10s %12s %10s\n", p, cpu[p], rss[p], bps[p], start[p]
    if (cpu["htop"] > 0) printf "\nwatchbill/htop: cpu %.2fx  bytes/s %.2fx  rss %.2fx\n", cpu["watchbill"]/cpu["htop"], bps["watchbill"]/bps["htop"], rss["watchbill"]/rss["htop"]
    if (cpu["btop"] > 0) printf "watchbill/btop: cpu %.2fx  bytes/s %.2fx  rss %.2fx\n", cpu["watchbill"]/cpu["btop"], bps["watchbill"]/bps["btop"], rss["watchbill"]/rss["btop"]
  }' "$CSV" | tee "$OUT/summary.txt"
echo "results in $OUT"
if command -v promtool >/dev/null; then
  echo "== one-shot commands"
  bash Benchmarks/start.sh -n 20 | tee "$OUT/start.txt"
fi
