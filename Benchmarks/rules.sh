#!/usr/bin/env bash
# What Debian's Prometheus spends evaluating the same real-world rule files Watchbill's
# micro benchmark evaluates (awesome-prometheus-alerts: 112 files, 954 rules; the monitoring
# mixins: 212 files, 1,131 rules, 303 of them recording; every group at 15 s) over a
# node_exporter on this host: its own rule-group durations, summed over the groups, averaged
# over the evaluations of a window; then Watchbill's micro benchmark of the same files
# (`watchbill-bench rules:`) in the same minute.
#
# Usage: Benchmarks/rules.sh [-d SECONDS]   (default 120)
# Needs: prometheus and prometheus-node-exporter (apt-get install prometheus prometheus-node-exporter).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=120
[[ ${1:-} == -d ]] && DUR=$2
WORK=$(mktemp -d /tmp/wb-rules-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NODE=$(free_port) PROM=$(free_port)
prometheus-node-exporter --web.listen-address=127.0.0.1:$NODE >/dev/null 2>&1 &
cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 15s, evaluation_interval: 15s}
rule_files: ['$PWD/Tests/WatchbillConfigTests/Fixtures/awesome-prometheus-alerts/*.yml', '$PWD/Tests/WatchbillConfigTests/Fixtures/monitoring-mixins/*.yaml']
scrape_configs:
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$NODE']}]
  - job_name: prometheus
    static_configs: [{targets: ['127.0.0.1:$PROM']}]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" --web.listen-address=127.0.0.1:$PROM >/dev/null 2>&1 &
sleep "$DUR"
# Watchbill on the same files in the same minute (its micro benchmark, release build).
swift build -c release --product watchbill-bench >/dev/null
.build/release/watchbill-bench rules: | grep -A1 real-world
python3 - "$PROM" <<'PY'
import json, sys, urllib.request, urllib.parse
port = sys.argv[1]
def q(expr):
    url = f"http://127.0.0.1:{port}/api/v1/query?query=" + urllib.parse.quote(expr)
    r = json.load(urllib.request.urlopen(url))["data"]["result"]
    return float(r[0]["value"][1]) if r else float("nan")
groups = q("count(prometheus_rule_group_rules)")
rules = q("sum(prometheus_rule_group_rules)")
seconds = q("sum(prometheus_rule_group_duration_seconds_sum)")
count = q("max(prometheus_rule_group_duration_seconds_count)")
last = q("sum(prometheus_rule_group_last_duration_seconds)")
series = q("count({job='node'})")
print(f"prometheus: {rules:.0f} rules in {groups:.0f} groups over {series:.0f} node_exporter series")
# The summary is over group evaluations: its mean times the groups is one round of all.
print(f"  every group once: {seconds / count * groups * 1e3:.1f} ms on average ({count:.0f} group evaluations; the last round: {last * 1e3:.1f} ms)")
PY
