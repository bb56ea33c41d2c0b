#!/usr/bin/env bash
# The fleet at scale: 100 simulated node_exporters on loopback (Tests/WatchbillFleetTests/
# Server/exporter_server.py, each serving the real node_exporter fixture with moving
# counters), scraped every 5 s by `watchbill --node ...` at 200x50, against htop -d 10 in
# the same measurement window: CPU, RSS, bytes/s; and what a scrape round costs (the
# dashboard logs it).
#
# Usage: Benchmarks/fleet.sh [-d SECONDS] [-n TARGETS]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=60 COUNT=100
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -n) COUNT=$2; shift 2 ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
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
for p in $PORTS_LINE; do ARGS+=(--node "127.0.0.1:$p"); done
echo "$COUNT exporters on loopback, scraped every 5 s"
OUT=Benchmarks/results/fleet-$(date +%Y%m%d-%H%M%S)
side_by_side "$OUT" "$DUR" 200x50 "watchbill-fleet-$COUNT" 'Fleet' -- \
  env XDG_CONFIG_HOME="$WORK" XDG_STATE_HOME="$WORK" XDG_DATA_HOME="$WORK" "$PWD/.build/release/watchbill" \
  --flight-recorder off --scrape-interval 5 "${ARGS[@]}"
grep -h "fleet round" "$WORK"/watchbill/watchbill.log | tail -3
