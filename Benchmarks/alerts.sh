#!/usr/bin/env bash
# The dashboard with alerts firing (an Alerts row and a P1 banner on screen, values moving
# every second) against htop in the same measurement window: what the Alerts pane costs.
# The rule engine's own cost at scale (500 rules over 2,000 series) is in the micro
# benchmarks (Benchmarks/run.sh --micro-only).
#
# Usage: Benchmarks/alerts.sh [-d SECONDS] [-s WxH]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=30 SIZE=200x50
while [[ $# -gt 0 ]]; do
  case $1 in
    -d) DUR=$2; shift 2 ;;
    -s) SIZE=$2; shift 2 ;;
    *) sed -n '2,7p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
. Benchmarks/side-by-side.sh
swift build -c release --product watchbill >/dev/null
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HOME_DIR/watchbill/rules"
# Twelve alerts on every evaluation (one per CPU mode and more), each second, one at P1.
cat > "$HOME_DIR/watchbill/rules/bench.yml" <<'YAML'
groups:
  - name: bench
    interval: 1s
    rules:
      - alert: BenchPaging
        expr: node_load1 >= 0
        labels: {severity: P1}
        annotations: {summary: "load {{ $value }}", runbook_url: cpu-saturated.md}
      - alert: BenchCPUModes
        expr: rate(node_cpu_seconds_total[1m]) >= 0
        labels: {severity: P3}
        annotations: {summary: "{{ $labels.mode }} {{ $value }}", runbook_url: cpu-saturated.md}
YAML
OUT=Benchmarks/results/alerts-$(date +%Y%m%d-%H%M%S)
side_by_side "$OUT" "$DUR" "$SIZE" watchbill-alerts 'FIRING' -- \
  env XDG_CONFIG_HOME="$HOME_DIR" XDG_STATE_HOME="$HOME_DIR" XDG_DATA_HOME="$HOME_DIR" "$PWD/.build/release/watchbill"
