#!/usr/bin/env bash
# Builds the libFuzzer binary (address sanitizer, in .build-fuzz) and runs each target for a
# fixed time on seeds made from the project's real fixtures. A crash, a leak, a timeout
# (10 s an input) or an input over 2 GB of memory fails the run, and the input that did it
# is kept in .build-fuzz/artifacts: add it under Fuzz/regressions/TARGET/ and it is replayed
# by every later run (and by CI) before fuzzing starts.
#
# Usage: Fuzz/run.sh [-t SECONDS] [TARGET...]   (default 30 s each, every target)
#   CI runs `Fuzz/run.sh -t 20`; a long local run is `Fuzz/run.sh -t 3600 promql`.
set -euo pipefail
cd "$(dirname "$0")/.."
TIME=30
while [[ $# -gt 0 && $1 == -* ]]; do
  case $1 in
    -t) TIME=$2; shift 2 ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
ALL=(exposition openmetrics promql template rulefile ruletest config theme keys recording proc)
TARGETS=("$@")
if [[ $# -eq 0 ]]; then TARGETS=("${ALL[@]}"); fi
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi

WATCHBILL_FUZZ=1 swift build --build-path .build-fuzz --product watchbill-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
BIN=.build-fuzz/debug/watchbill-fuzz
WORK=.build-fuzz/fuzz
rm -rf "$WORK/seeds"
mkdir -p "$WORK/seeds" "$WORK/artifacts"

# Seeds: the real material the tests read.
seed() { # TARGET FILE...
  local dir="$WORK/seeds/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [[ -f $f ]] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
  return 0
}
seed exposition Tests/WatchbillExpositionTests/Fixtures/*.txt Tests/WatchbillExpositionTests/Fixtures/node_exporter/e2e-output-*.txt \
  Tests/WatchbillFleetTests/Fixtures/*.txt Tests/WatchbillFleetTests/Fixtures/exporters/*.txt
seed openmetrics Tests/WatchbillExpositionTests/Fixtures/openmetrics/*.om Tests/WatchbillExpositionTests/Fixtures/python_client/*.om
seed rulefile rules/default.rules.yml Tests/WatchbillConfigTests/Fixtures/awesome-prometheus-alerts/*.yml \
  Tests/WatchbillConfigTests/Fixtures/monitoring-mixins/*.yaml
seed ruletest rules/default.rules.test.yml
seed theme themes/*.theme
seed recording Tests/WatchbillScreenTests/Fixtures/*.wbr
python3 - "$WORK/seeds" <<'PY'
import glob, os, re, sys
out = sys.argv[1]
def put(target, name, text):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    open(os.path.join(out, target, name), "wb").write(text.encode() if isinstance(text, str) else text)
rules = open("rules/default.rules.yml").read()
for i, e in enumerate(re.findall(r"^\s*expr:\s*(.+)$", rules, re.M)):
    put("promql", f"expr-{i}", e.strip().strip("'\""))
# The real rule collections' expressions, block scalars (`expr: |`) included.
for path in sorted(glob.glob("Tests/WatchbillConfigTests/Fixtures/monitoring-mixins/*.yaml")):
    for i, e in enumerate(re.findall(r"^( *)expr: \|\n((?:\1  .*\n)+)", open(path).read(), re.M)):
        put("promql", f"{os.path.basename(path)}-{i}", "".join(l.strip() + "\n" for l in e[1].splitlines()))
for i, t in enumerate(re.findall(r"^\s*(?:summary|description):\s*(.+)$", rules, re.M)):
    put("template", f"annotation-{i}", t.strip().strip("'\""))
blocks = []
for doc in ["README.md", "docs/config.md"]:
    blocks += re.findall(r"```yaml\n(.*?)```", open(doc).read(), re.S)
for i, b in enumerate(blocks):
    put("keys" if ("standard:" in b or "fleet:\n  open-host" in b) else "config", f"block-{i}", b)
# /proc: a selector byte (the file kind, as the target reads it), then the file.
kinds = {"stat": 0, "loadavg": 1, "pressure": 2, "uptime": 3, "mountinfo": 4, "diskstats": 5, "meminfo": 6, "dev": 7}
for path in glob.glob("Tests/WatchbillCollectorsTests/Fixtures/**/proc/**", recursive=True):
    if not os.path.isfile(path): continue
    base = os.path.basename(path)
    parent = os.path.basename(os.path.dirname(path))
    kind = 2 if parent == "pressure" else 8 if base == "stat" and parent.isdigit() else kinds.get(base, 9)
    put("proc", path.replace("/", "_"), bytes([kind]) + open(path, "rb").read())
PY

status=0
for t in "${TARGETS[@]}"; do
  corpus="$WORK/corpus/$t"
  mkdir -p "$corpus" "$WORK/seeds/$t"
  regressions=()
  if [[ -d Fuzz/regressions/$t ]]; then regressions=(Fuzz/regressions/$t); fi
  echo "== $t: ${TIME}s"
  if ! FUZZ_TARGET=$t "$BIN" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$WORK/artifacts/$t-" "$corpus" "$WORK/seeds/$t" "${regressions[@]}" \
      > "$WORK/$t.log" 2>&1; then
    status=1
    echo "!! $t failed: $WORK/$t.log"; grep -E "ERROR|SUMMARY|Test unit written" "$WORK/$t.log" | head -5
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$WORK/$t.log" | tr '\n' ' '; echo
done
exit $status
