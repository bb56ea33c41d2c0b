#!/usr/bin/env bash
# The agent under abuse, beside Debian's node_exporter under the same: for a minute, 50
# scrapers in a loop, 500 connections held open and idle, and a request with 40 KB of headers
# every second, while one well-behaved scraper asks every second. Prints that scraper's
# latency (median, p99, worst) and misses, the flood's scrapes a second, and each server's
# RSS before, at the end and 20 s after.
#
# Usage: Benchmarks/agent-abuse.sh [-d SECONDS]   (default 60; release build of watchbill)
# Needs: prometheus-node-exporter (apt-get install prometheus-node-exporter), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60
[[ ${1:-} == -d ]] && DUR=$2
swift build -c release --product watchbill >/dev/null
WORK=$(mktemp -d /tmp/wb-abuse.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$1/status; }

abuse() { # NAME PID PORT
  local name=$1 pid=$2 port=$3
  sleep 5
  local before; before=$(rss "$pid")
  python3 - "$port" "$DUR" "$name" <<'PY'
import socket, sys, threading, time
port, dur, name = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
stop = time.time() + dur
def get(extra=b""):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + b"\r\n")
    data = b""
    while True:
        c = s.recv(1 << 16)
        if not c: break
        data += c
    s.close()
    return data
flood = [0]
def flooder():
    while time.time() < stop:
        try: get(); flood[0] += 1
        except OSError: pass
idle = []
for _ in range(500):
    try: idle.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError: break
threads = [threading.Thread(target=flooder, daemon=True) for _ in range(50)]
for t in threads: t.start()
lat, missed, huge = [], 0, 0
while time.time() < stop:
    t0 = time.time()
    try:
        d = get()
        if d.startswith(b"HTTP/1.1 200") or d.startswith(b"HTTP/1.0 200"): lat.append(time.time() - t0)
        else: missed += 1
    except OSError: missed += 1
    try:
        if not get(b"Cookie: " + b"x" * 40000 + b"\r\n").startswith(b"HTTP/1.1 200"): huge += 1
    except OSError: huge += 1
    time.sleep(max(0, 1 - (time.time() - t0)))
for t in threads: t.join()
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1e3 if lat else float("nan")
print(f"{name}: scraper {len(lat)} answered, {missed} missed; median {q(0.5):.1f} ms, p99 {q(0.99):.1f} ms, worst {lat[-1]*1e3 if lat else float('nan'):.1f} ms; "
      f"flood {flood[0] / dur:.0f} scrapes/s; {len(idle)} idle held; huge headers refused {huge}")
PY
  local during; during=$(rss "$pid")
  sleep 20
  echo "$name: RSS $before MiB before, $during MiB at the end, $(rss "$pid") MiB 20 s after"
}

AGENT=$(free_port) NODE=$(free_port)
XDG_STATE_HOME=$WORK XDG_CONFIG_HOME=$WORK .build/release/watchbill agent --listen 127.0.0.1:$AGENT >/dev/null 2>&1 &
APID=$!
prometheus-node-exporter --web.listen-address=127.0.0.1:$NODE >/dev/null 2>&1 &
NPID=$!
abuse "watchbill agent" $APID $AGENT
abuse "node_exporter" $NPID $NODE
