#!/usr/bin/env bash
# What the restart and handoff work costs:
#  1. The first frame and memory of a dashboard that takes a flight recording back (960
#     samples, what 16 minutes at 1 s leave) and eight days of alert history against one
#     starting empty, with htop in the same measurement window.
#  2. `watchbill report --since 8d` over eight days of alert history (50,000 entries) against
#     the same report over an empty history, and `htop --version` as the floor of a start.
#
# Usage: Benchmarks/restart.sh [-d SECONDS] [-s WxH]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=20 SIZE=200x50
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -s) SIZE=$2; shift 2 ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
command -v htop >/dev/null || { echo "htop missing: apt-get install htop"; exit 1; }
MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
swift build -c release --product watchbill >/dev/null
BIN=$PWD/.build/release/watchbill
WORK=$(mktemp -d)
trap 'tmux -L wb-restart kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
OUT=Benchmarks/results/restart-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT" "$WORK/full" "$WORK/empty"

# A flight recording of 960 samples: the dashboard at its fastest (250 ms) for 4 minutes.
tmux -L wb-restart new-session -d -x 120 -y 40 \
  "XDG_STATE_HOME=$WORK/full XDG_CONFIG_HOME=$WORK/full XDG_DATA_HOME=$WORK/full $BIN --interval 0.25"
sleep 242
tmux -L wb-restart send-keys q
sleep 2
ls -la "$WORK/full/watchbill/" | grep flight

# Eight days of alert history: a flapping alert on 20 targets, 50,000 changes.
python3 - "$WORK/full/watchbill/alert-history.log" <<'PY'
import sys, time
now = time.time()
with open(sys.argv[1], "w") as f:
    for i in range(50_000):
        t = now - 8 * 86400 + i * (8 * 86400 / 50_000)
        frm, to = [("", "pending"), ("pending", "firing"), ("firing", "resolved"), ("resolved", "")][i % 4]
        labels = f'alertname=\\"Flapping\\",probe=\\"target-{i // 4 % 20}\\",severity=\\"P2\\"'
        f.write(f'alert at="{t}",from="{frm}",to="{to}",labels="{labels}"\n')
PY

# 1. Start with the recording, start empty, htop: one window.
START=$(( $(date +%s) + 8 ))
cp -r "$WORK/full" "$WORK/refill"
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l watchbill-refill -o "$OUT/refill" -- \
  env XDG_STATE_HOME="$WORK/refill" XDG_CONFIG_HOME="$WORK/refill" XDG_DATA_HOME="$WORK/refill" "$BIN" > "$OUT/refill.txt" &
A=$!
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l watchbill-empty -o "$OUT/empty" -- \
  env XDG_STATE_HOME="$WORK/empty" XDG_CONFIG_HOME="$WORK/empty" XDG_DATA_HOME="$WORK/empty" "$BIN" > "$OUT/empty.txt" &
B=$!
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l htop -o "$OUT/htop" -- htop -d 10 > "$OUT/htop.txt" &
wait $A $B $!
grep -h "^label=" "$OUT"/refill.txt "$OUT"/empty.txt "$OUT"/htop.txt
grep -h "taken back" "$WORK/refill/watchbill/watchbill.log" || echo "no refill in the log"

# 2. The report over eight days of history, over none, and a bare start; medians of 7.
python3 - "$BIN" "$WORK/full" "$WORK/empty" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, full, empty = sys.argv[1:4]
def run(cmd, home):
    env = dict(os.environ, XDG_STATE_HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t
cases = {
    "report, 8 days of history": ([binary, "report", "--since", "8d"], full),
    "report, no history": ([binary, "report", "--since", "8d"], empty),
    "htop --version": (["htop", "--version"], empty),
}
times = {k: [] for k in cases}
for _ in range(8):  # the first round warms the caches and is dropped
    for k, (cmd, home) in cases.items():
        times[k].append(run(cmd, home))
medians = {k: statistics.median(v[1:]) for k, v in times.items()}
for k, m in medians.items():
    print(f"{k}: median {m * 1000:.1f} ms")
print(f"ratio history/none: {medians['report, 8 days of history'] / medians['report, no history']:.2f}x")
PY
