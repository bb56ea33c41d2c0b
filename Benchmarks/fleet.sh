#!/usr/bin/env bash
# The fleet at scale: 100 simulated node_exporters on loopback (Tests/WatchbillFleetTests/
# Server/exporter_server.py, each serving the real node_exporter fixture with moving
# counters), scraped every 5 s by `watchbill --node ...` at 200x50, against htop -d 10 in
# the same measurement window: CPU, RSS, bytes/s; and what a scrape round costs (the
# dashboard logs it). With -p, Debian's Prometheus scrapes the exporters (and itself) every
# 5 s, and watchbill reads the fleet from it (`--prometheus`) with a service-latency pane over
# Prometheus' own request histogram, by handler.
#
# Usage: Benchmarks/fleet.sh [-d SECONDS] [-n TARGETS] [-p]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60 COUNT=100 PROM=
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -n) COUNT=$2; shift 2 ;;
    -p) PROM=1; shift ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
. Benchmarks/side-by-side.sh
swift build -c release --product watchbill >/dev/null
WORK=$(mktemp -d)
# The exporters exit with this script (they watch their parent); a bounded run either way.
coproc EXPORTERS { exec python3 Tests/WatchbillFleetTests/Server/exporter_server.py "$COUNT"; }
read -r -u "${EXPORTERS[0]}" WORD PORTS_LINE
trap 'kill "$EXPORTERS_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
ARGS=()
NAME=watchbill-fleet-$COUNT
if [[ -z $PROM ]]; then
  for p in $PORTS_LINE; do ARGS+=(--node "127.0.0.1:$p"); done
  echo "$COUNT exporters on loopback, scraped every 5 s"
else
  PROM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  TARGETS=$(for p in $PORTS_LINE; do printf "'127.0.0.1:%s'," "$p"; done)
  cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 5s}
scrape_configs:
  - job_name: node
    static_configs: [{targets: [${TARGETS%,}]}]
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:$PROM_PORT']}]
YAML
  mkdir -p "$WORK/watchbill"
  cat > "$WORK/watchbill/config.yaml" <<YAML
fleet:
  prometheus: 127.0.0.1:$PROM_PORT
  latency:
    - name: prometheus
      histogram: prometheus_http_request_duration_seconds
      by: [handler]
YAML
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
  PROM_PID=$!
  trap 'kill "$EXPORTERS_PID" "$PROM_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
  # Ready, and two scrapes in (rates need two): at most 30 s.
  for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && break; sleep 0.5; done
  sleep 11
  NAME=watchbill-prometheus-$COUNT
  echo "$COUNT exporters scraped by Prometheus every 5 s; watchbill reads it"
fi
OUT=Benchmarks/results/fleet-$(date +%Y%m%d-%H%M%S)
side_by_side "$OUT" "$DUR" 200x50 "$NAME" 'Fleet' -- \
  env XDG_CONFIG_HOME="$WORK" XDG_STATE_HOME="$WORK" XDG_DATA_HOME="$WORK" "$PWD/.build/release/watchbill" \
  --flight-recorder off --scrape-interval 5 "${ARGS[@]}"
grep -h "fleet round" "$WORK"/watchbill/watchbill.log | tail -3 || true
