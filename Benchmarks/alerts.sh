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
MEASURE=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
command -v htop >/dev/null || { echo "htop missing: apt-get install htop"; exit 1; }
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
mkdir -p "$OUT"
START=$(( $(date +%s) + 8 ))
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l watchbill-alerts -o "$OUT/watchbill" -p 'FIRING' -- \
  env XDG_CONFIG_HOME="$HOME_DIR" XDG_STATE_HOME="$HOME_DIR" "$PWD/.build/release/watchbill" > "$OUT/watchbill.txt" &
bash "$MEASURE" -A "$START" -d "$DUR" -s "$SIZE" -l htop -o "$OUT/htop" -- htop -d 10 > "$OUT/htop.txt" &
wait
grep -h "^label=" "$OUT"/watchbill.txt "$OUT"/htop.txt
python3 - "$OUT" <<'PY'
import re, sys
def read(name):
    line = next(l for l in open(f"{sys.argv[1]}/{name}.txt") if l.startswith("label="))
    return dict(kv.split("=", 1) for kv in line.split())
w, h = read("watchbill"), read("htop")
for key in ("cpu_pct", "bytes_per_s", "rss_hwm_mib"):
    print(f"{key}: watchbill {w[key]}  htop {h[key]}  ratio {float(w[key]) / max(float(h[key]), 1e-9):.2f}x")
PY
