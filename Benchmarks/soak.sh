#!/usr/bin/env bash
# Does a wall display grow? Runs `watchbill --wall --cycle 20s` in a private tmux server at
# 200x50 for MINUTES (default 10) with a short history (--history 2m, so every ring buffer
# is full after two minutes) and --interval 0.25 (four times the default tick rate), probing
# two loopback targets every second, and samples its RSS every 30 s. Steady state means
# the last sample is within a few percent of the one at minute 3.
#
# --check (CI runs `Benchmarks/soak.sh --check 20`): first the window is resized 1,000
# times, ten a second (1x1, 500x200, 80x24 and sizes between), then left at 200x50; the run
# fails if watchbill stopped, or if its RSS grew past a bound: in a run of an hour or more,
# 1 MiB over the minute-60 sample (every window has filled by then); in a shorter one, 2 MiB
# over the minute-6 sample (the hour's latency windows are still filling). The 24-hour soak is `Benchmarks/soak.sh --check 1440`.
#
# Usage: Benchmarks/soak.sh [--check] [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK=0
if [[ ${1:-} == --check ]]; then CHECK=1; shift; fi
MIN=${1:-10}
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
command -v tmux >/dev/null || { echo "tmux missing"; exit 1; }
swift build -c release --product watchbill >/dev/null
OUT=$PWD/Benchmarks/results/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/config/watchbill" "$OUT/state"
python3 Tests/WatchbillProbesTests/Server/probe_server.py > "$OUT/server.txt" &
SERVER=$!
SOCK=watchbill-soak-$$
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 50); do [[ -s "$OUT/server.txt" ]] && break; sleep 0.1; done
PORT=$(awk '{print $2}' "$OUT/server.txt")
cat > "$OUT/config/watchbill/config.yaml" <<CONF
probes:
  - {name: fast, http: {url: "http://127.0.0.1:$PORT/delay/5"}, interval: 1s, timeout: 1s}
  - {name: broken, http: {url: "http://127.0.0.1:$PORT/status/503"}, interval: 1s, timeout: 1s}
CONF
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
  "env XDG_CONFIG_HOME=$OUT/config XDG_STATE_HOME=$OUT/state $PWD/.build/release/watchbill --wall --cycle 20s --interval 0.25 --history 2m"
sleep 2
PID=$(tmux -L "$SOCK" list-panes -F '#{pane_pid}')
# The pane runs the binary directly, so the pane's PID is watchbill.
if ((CHECK)); then
  # 1,000 resizes through the sizes a wall, a split pane and a phone see, then back to 200x50.
  (
    sizes=("1 1" "500 200" "80 24" "2 2" "20 3" "132 43" "200 50" "40 10" "300 100" "81 25")
    for ((n = 0; n < 1000; n++)); do
      set -- ${sizes[$((n % ${#sizes[@]}))]}
      tmux -L "$SOCK" resize-window -x "$1" -y "$2" 2>/dev/null || break
      echo "$((n + 1))" > "$OUT/resizes.txt"
      sleep 0.1
    done
    tmux -L "$SOCK" resize-window -x 200 -y 50 2>/dev/null || true
  ) &
fi
printf '%8s %10s\n' minute rss_kib | tee "$OUT/rss.txt"
samples=$((MIN * 2))
for ((i = 0; i <= samples; i++)); do
  [[ -r /proc/$PID/status ]] || { echo "watchbill stopped at sample $i"; tmux -L "$SOCK" capture-pane -p || true; exit 1; }
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
  awk -v i="$i" -v rss="$rss" 'BEGIN { printf "%8.1f %10d\n", i / 2, rss }' | tee -a "$OUT/rss.txt"
  # Every 5 minutes the mappings, so a growth can be traced to the heap, an arena or a file.
  ((i % 10 == 0)) && { cp "/proc/$PID/smaps" "$OUT/smaps-$((i / 2)).txt" 2>/dev/null || true; }
  ((i < samples)) && sleep 30
done
awk 'NR > 1 { m = $1; r[m] = $2; if (m >= 3 && (base == "" )) base = $2; last = $2; if ($2 > max) max = $2 }
  END { printf "minute 3: %d KiB, last: %d KiB, max: %d KiB, growth after minute 3: %.1f%%\n", base, last, max, (last - base) * 100 / base }' \
  "$OUT/rss.txt" | tee "$OUT/summary.txt"
echo "results in $OUT"
if ((CHECK)); then
  echo "resizes: $(cat "$OUT/resizes.txt" 2>/dev/null || echo 0)"
  if ((MIN >= 70)); then FROM=60 LIMIT=1024; else FROM=6 LIMIT=2048; fi
  awk -v from="$FROM" -v limit="$LIMIT" 'NR > 1 && $1 >= from { if (base == "") base = $2; if ($2 - base > max) max = $2 - base }
    END { printf "growth over minute %d: at most %d KiB (bound %d KiB)\n", from, max, limit; exit (base == "" || max > limit) }' "$OUT/rss.txt"
fi
