#!/usr/bin/env bash
# Replay cost: an hour recorded at 1 s, played at 64x (a minute of recording a second) at
# 200x50, against htop -d 10 in the same measurement window: CPU, bytes per second to the
# terminal, and RSS. The recording is this host's real tick repeated, with a moving CPU figure.
#
# Usage: Benchmarks/replay.sh [-d SECONDS] [-x SPEED]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=20 SPEED=64
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -x) SPEED=$2; shift 2 ;;
    *) sed -n '2,6p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
. Benchmarks/side-by-side.sh
swift build -c release --product watchbill >/dev/null
swift build -c release --product watchbill-bench >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
.build/release/watchbill-bench --make-recording "$WORK/hour.wbr" 3600
echo "recording: $(stat -c %s "$WORK/hour.wbr") bytes for an hour at 1 s"
OUT=Benchmarks/results/replay-$(date +%Y%m%d-%H%M%S)
side_by_side "$OUT" "$DUR" 200x50 "watchbill-replay-${SPEED}x" 'REPLAY' -- \
  env XDG_CONFIG_HOME="$WORK" XDG_STATE_HOME="$WORK" XDG_DATA_HOME="$WORK" "$PWD/.build/release/watchbill" replay "$WORK/hour.wbr" --speed "$SPEED"
# The dashboard logs how many frames it drew: a replay at 64x should draw about 64 a second.
grep -h "drew .* frames" "$WORK"/watchbill/watchbill.log | tail -1
