#!/usr/bin/env bash
# What a one-shot command costs (a cron job's `watchbill alerts`, a deploy hook's
# `incident note`), against peers' starts in the same run: `htop --version`, `promtool
# --version` and `promtool check rules` of the same file. Each command runs RUNS times,
# the programs taking turns; prints the median wall time and the peak RSS (the smallest
# of the runs, since the page cache only ever adds) of each, and watchbill / htop.
#
# --base BINARY adds another build's same commands (a release binary of an earlier commit:
# git worktree add /tmp/base COMMIT && (cd /tmp/base && swift build -c release)), so a change
# is judged against its parent in the same run.
#
# Usage: Benchmarks/start.sh [-n RUNS] [--base BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=30 BASE=""
while [[ $# -gt 0 ]]; do
  case $1 in
    -n) RUNS=$2; shift 2 ;;
    --base) BASE=$(realpath "$2"); shift 2 ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
for peer in htop promtool; do command -v $peer >/dev/null || { echo "$peer missing: apt-get install htop prometheus"; exit 1; }; done
swift build -c release --product watchbill >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
BIN=$PWD/.build/release/watchbill
"$BIN" incident new --severity P3 "start benchmark" >/dev/null
python3 - "$RUNS" "$BIN" "$BASE" <<'PY'
import os, statistics, subprocess, sys, time
runs, wb, base = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def watchbill(label, binary):
    return [
        (f"{label} --version", [binary, "--version"]),
        (f"{label} alerts", [binary, "alerts"]),
        (f"{label} incident note", [binary, "incident", "note", "1", "still looking"]),
        (f"{label} rules check", [binary, "rules", "check", "rules/default.rules.yml"]),
    ]
commands = watchbill("watchbill", wb) + (watchbill("base", base) if base else []) + [
    ("htop --version", ["htop", "--version"]),
    ("promtool --version", ["promtool", "--version"]),
    ("promtool check rules", ["promtool", "check", "rules", "--lint=none", "rules/default.rules.yml"]),
]
times = {name: [] for name, _ in commands}
rss = {name: [] for name, _ in commands}
for _ in range(runs):
    for name, argv in commands:
        start = time.perf_counter()
        status = subprocess.call(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append((time.perf_counter() - start) * 1000)
        if status != 0 and not name.endswith(" alerts"):  # alerts exits 1 or 2 when something fires
            sys.exit(f"{name} exited {status}")
        # The peak RSS from GNU time, a small parent: the child a Python parent forks
        # counts the parent's pages until it execs.
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True).stderr.split()
        rss[name].append(int(out[-1]) / 1024)
print(f"{'command':28} {'median ms':>10} {'peak RSS MiB':>13}")
for name, _ in commands:
    print(f"{name:28} {statistics.median(times[name]):10.1f} {min(rss[name]):13.1f}")
if base:
    print()
    for name, _ in watchbill("watchbill", wb):
        b = name.replace("watchbill", "base", 1)
        print(f"{name:28} / base: time {statistics.median(times[name]) / statistics.median(times[b]):.2f}x, "
              f"RSS {min(rss[name]) / min(rss[b]):.2f}x")
h = statistics.median(times["htop --version"]); hr = min(rss["htop --version"])
print(f"\nwatchbill --version / htop --version: time {statistics.median(times['watchbill --version']) / h:.1f}x, RSS {min(rss['watchbill --version']) / hr:.1f}x")
PY
