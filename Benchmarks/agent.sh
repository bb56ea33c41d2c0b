#!/usr/bin/env bash
# `watchbill agent` against Debian's node_exporter, side by side in the same window: both
# serve /metrics on loopback and are scraped every SCRAPE seconds (curl, as Prometheus
# would); the agent samples every second (its default) and runs the built-in alert rules.
# Reports each one's CPU % (utime + stime over the window), peak RSS, the answer's size and
# the mean time to answer, and the ratios agent / node_exporter.
#
# Usage: Benchmarks/agent.sh [-d SECONDS] [-s SCRAPE]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60 SCRAPE=5
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -s) SCRAPE=$2; shift 2 ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
NODE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
[[ -n $NODE ]] || { echo "node_exporter missing: apt-get install prometheus-node-exporter"; exit 1; }
swift build -c release --product watchbill >/dev/null
WORK=$(mktemp -d)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
AGENT_PORT=$(port) NODE_PORT=$(port)
env XDG_CONFIG_HOME="$WORK" XDG_STATE_HOME="$WORK" XDG_DATA_HOME="$WORK" \
  .build/release/watchbill agent --listen "127.0.0.1:$AGENT_PORT" >/dev/null 2>&1 &
AGENT=$!
"$NODE" --web.listen-address="127.0.0.1:$NODE_PORT" >/dev/null 2>&1 &
EXPORTER=$!
trap 'kill "$AGENT" "$EXPORTER" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 40); do
  curl -sf "http://127.0.0.1:$AGENT_PORT/healthz" >/dev/null && curl -sf "http://127.0.0.1:$NODE_PORT/metrics" >/dev/null && break
  sleep 0.25
done
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
A0=$(ticks "$AGENT") N0=$(ticks "$EXPORTER") T0=$(date +%s.%N)
: > "$WORK/agent.times"; : > "$WORK/node.times"
END=$(( $(date +%s) + DUR ))
while (( $(date +%s) < END )); do
  curl -s -o "$WORK/agent.body" -w '%{time_total}\n' "http://127.0.0.1:$AGENT_PORT/metrics" >> "$WORK/agent.times"
  curl -s -o "$WORK/node.body" -w '%{time_total}\n' "http://127.0.0.1:$NODE_PORT/metrics" >> "$WORK/node.times"
  sleep "$SCRAPE"
done
A1=$(ticks "$AGENT") N1=$(ticks "$EXPORTER") T1=$(date +%s.%N)
python3 - "$WORK" "$A0" "$A1" "$N0" "$N1" "$T0" "$T1" "$HZ" "$AGENT" "$EXPORTER" <<'PY'
import sys
work, a0, a1, n0, n1, t0, t1, hz, apid, npid = sys.argv[1:]
window = float(t1) - float(t0)
def cpu(x0, x1): return (int(x1) - int(x0)) / int(hz) / window * 100
def hwm(pid): return next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmHWM")) / 1024
def mean_ms(name):
    t = [float(x) for x in open(f"{work}/{name}.times") if x.strip()]
    return sum(t) / len(t) * 1000, len(t)
def size(name): return len(open(f"{work}/{name}.body", "rb").read())
rows = {"agent": (cpu(a0, a1), hwm(apid), size("agent"), *mean_ms("agent")),
        "node_exporter": (cpu(n0, n1), hwm(npid), size("node"), *mean_ms("node"))}
for name, (c, r, s, ms, n) in rows.items():
    print(f"{name:14} cpu {c:.3f} %  rss_hwm {r:.1f} MiB  /metrics {s} bytes  answer {ms:.1f} ms (mean of {n})")
a, n = rows["agent"], rows["node_exporter"]
print(f"ratio agent/node_exporter: cpu {a[0] / max(n[0], 1e-9):.2f}x  rss {a[1] / n[1]:.2f}x  answer time {a[3] / n[3]:.2f}x  (window {window:.0f} s)")
PY
