#!/usr/bin/env bash
# Probe scale: N targets (default 1000) at a 1 s interval against a local nginx for D
# seconds (default 60), watchbill's dashboard measured by measure-tui beside htop in the
# same window. Reports watchbill's CPU % and peak RSS (and the ratio to htop's CPU), and
# from watchbill's own log: probes started, completed, missed (lost: must be 0) and the
# schedule lag p50/p99/max.
#
# Usage: Benchmarks/probes.sh [-d SECONDS] [-n TARGETS]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60
N=1000
while getopts "d:n:" o; do
  case $o in
    d) DUR=$OPTARG ;;
    n) N=$OPTARG ;;
    *) exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
for tool in nginx htop; do command -v $tool >/dev/null || { echo "$tool missing: apt-get install $tool"; exit 1; }; done
swift build -c release --product watchbill >/dev/null
OUT=$PWD/Benchmarks/results/probes-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT/nginx/logs" "$OUT/config/watchbill" "$OUT/state"
PORT=${PORT:-18080}

# nginx on loopback only, from its own prefix; a tiny static answer per request.
cat > "$OUT/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$PORT;
    location / { return 200 "ok\n"; }
  }
}
CONF
nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf"
trap 'kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true' EXIT

{
  echo "probes:"
  for ((i = 0; i < N; i++)); do
    printf '  - name: t%04d\n    http: {url: "http://127.0.0.1:%d/t/%d"}\n    interval: 1s\n    timeout: 1s\n' "$i" "$PORT" "$i"
  done
} > "$OUT/config/watchbill/config.yaml"
.build/release/watchbill config check --config "$OUT/config/watchbill/config.yaml" > "$OUT/config-check.txt"
head -1 "$OUT/config-check.txt"

START=$(( $(date +%s) + 8 ))
CSV="$OUT/measure.csv"
bash "$MEASURE" -A "$START" -d "$DUR" -s 200x50 -l watchbill -c "$CSV" -- \
  env XDG_CONFIG_HOME="$OUT/config" XDG_STATE_HOME="$OUT/state" "$PWD/.build/release/watchbill" > "$OUT/watchbill.txt" 2>&1 &
m1=$!
bash "$MEASURE" -A "$START" -d "$DUR" -s 200x50 -l htop -c "$CSV" -- htop -d 10 > "$OUT/htop.txt" 2>&1 &
m2=$!
wait "$m1" "$m2" || true
HEALTH=$(grep "probe runner:" "$OUT/state/watchbill/watchbill.log" | tail -1 | sed 's/.*probe runner: //')
awk -F, -v n="$N" -v health="$HEALTH" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  { cpu[$1] = $col["cpu_pct"]; rss[$1] = $col["rss_hwm_mib"] }
  END {
    printf "targets %d at 1s\nwatchbill cpu %s%%  rss %s MiB  (htop cpu %s%%, ratio %.2f)\n%s\n", n,
      cpu["watchbill"], rss["watchbill"], cpu["htop"], (cpu["htop"] > 0 ? cpu["watchbill"] / cpu["htop"] : 0), health
  }' "$CSV" | tee "$OUT/summary.txt"
echo "results in $OUT"
