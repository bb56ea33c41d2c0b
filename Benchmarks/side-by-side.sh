# Sourced by the benchmark scripts that measure watchbill and htop in one window.
#   side_by_side OUT DUR SIZE LABEL FIRST_FRAME_REGEX -- COMMAND...
# runs COMMAND (watchbill, in whatever form) and `htop -d 10` through measure-tui.sh with
# one shared window, then prints both result lines and the watchbill/htop ratios.
side_by_side() {
  local out=$1 dur=$2 size=$3 label=$4 pattern=$5
  shift 6
  local measure=${MEASURE_TUI:-../shared/tools/measure-tui.sh}
  command -v htop >/dev/null || { echo "htop missing: apt-get install htop"; return 1; }
  mkdir -p "$out"
  local start=$(( $(date +%s) + 8 ))
  bash "$measure" -A "$start" -d "$dur" -s "$size" -l "$label" -p "$pattern" -o "$out/watchbill" -- "$@" > "$out/watchbill.txt" &
  local first=$!
  bash "$measure" -A "$start" -d "$dur" -s "$size" -l htop -o "$out/htop" -- htop -d 10 > "$out/htop.txt" &
  # Only these two: a caller's own background servers (fleet.sh's exporters) keep running.
  wait "$first" $!
  grep -h "^label=" "$out"/watchbill.txt "$out"/htop.txt
  python3 - "$out" <<'PY'
import sys
def read(name):
    line = next(l for l in open(f"{sys.argv[1]}/{name}.txt") if l.startswith("label="))
    return dict(kv.split("=", 1) for kv in line.split())
w, h = read("watchbill"), read("htop")
for key in ("cpu_pct", "bytes_per_s", "rss_hwm_mib"):
    print(f"{key}: watchbill {w[key]}  htop {h[key]}  ratio {float(w[key]) / max(float(h[key]), 1e-9):.2f}x")
PY
}
