#!/usr/bin/env bash
# Writes Packaging/symbol-order.txt: the functions the common paths run (every one-shot
# command, the dashboard's first seconds, the agent answering a scrape), in that order. The
# release link puts them first in the binary (lld's --symbol-ordering-file), so a start
# touches a few dense pages of code instead of one page here and there across 22 MB: the
# kernel maps code 64 KiB around every page a process touches, and that is most of what a
# start costs in resident memory (BENCHMARKS.md, "Start").
#
# Run it after large changes to what starts; a stale list only packs less well (names it
# does not find are skipped). Needs valgrind and tmux.
# Usage: Packaging/symbol-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -d /opt/swift/usr/bin ]]; then export PATH="/opt/swift/usr/bin:$PATH"; fi
for tool in valgrind tmux objcopy curl; do command -v $tool >/dev/null || { echo "$tool missing"; exit 1; }; done
swift build -c release --product watchbill >/dev/null
WORK=$(mktemp -d)
SOCK=watchbill-order-$$
AGENT=""
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; [[ -n $AGENT ]] && kill "$AGENT" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
# valgrind 3.19 cannot read DWARF 5: profile a copy without debug information.
BIN=$WORK/watchbill
objcopy --strip-debug .build/release/watchbill "$BIN"
export XDG_STATE_HOME=$WORK/state XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
n=0
profile() { # ARGS... : one callgrind profile of a one-shot command
  n=$((n + 1))
  valgrind -q --tool=callgrind --demangle=no --callgrind-out-file="$WORK/$(printf %02d $n).cg" "$BIN" "$@" >/dev/null 2>&1 || true
}
profile --version
profile alerts
profile incident new --severity P2 "symbol order drill"
profile incident note 1 "a note"
profile incident list
profile rules check rules/default.rules.yml
profile rules test rules/default.rules.test.yml
profile --once
profile --help
# The dashboard at 200x50 for its first frames, the help and a zoom, then q.
n=$((n + 1))
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
  "valgrind -q --tool=callgrind --demangle=no --callgrind-out-file=$WORK/$(printf %02d $n).cg $BIN"
sleep 25
for key in '?' Escape Tab Enter Escape; do tmux -L "$SOCK" send-keys "$key"; sleep 3; done
tmux -L "$SOCK" send-keys q
for _ in $(seq 60); do [[ -s $WORK/$(printf %02d $n).cg ]] && break; sleep 1; done
# The agent answering two scrapes.
n=$((n + 1))
PORT=$((20000 + RANDOM % 20000))
valgrind -q --tool=callgrind --demangle=no --callgrind-out-file="$WORK/$(printf %02d $n).cg" "$BIN" agent --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
AGENT=$!
sleep 20
curl -s -m 20 "http://127.0.0.1:$PORT/metrics" >/dev/null || true
sleep 2
curl -s -m 20 "http://127.0.0.1:$PORT/metrics" >/dev/null || true
kill -TERM "$AGENT"; wait "$AGENT" || true; AGENT=""

# The functions of the binary itself, each once, in the order of the profiles above.
nm --defined-only "$BIN" | awk '$2 ~ /^[tTwW]$/ {print $3}' > "$WORK/symbols"
python3 - "$WORK" Packaging/symbol-order.txt <<'PY'
import glob, re, sys
work, out = sys.argv[1], sys.argv[2]
ours = set(open(f"{work}/symbols").read().split())
seen, order = set(), []
for path in sorted(glob.glob(f"{work}/*.cg")):
    for line in open(path, errors="replace"):
        # Callgrind names a function in full the first time (`fn=(12) name`), by number after.
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line)
        if not m: continue
        name = m.group(1).strip()
        if name in ours and name not in seen:
            seen.add(name)
            order.append(name)
# A function that shares one large section with others (libswiftCore's runtime is one
# 1.6 MB section; so are the parts of an object file the compiler did not split) drags the
# whole section along: placed among the small ones, it spreads them over megabytes. Those
# go last, after the functions that can be packed.
section, big = None, set()
for line in open("Packaging/.watchbill-release.map", errors="replace"):
    parts = line.split(None, 4)
    if len(parts) < 5:
        continue
    if ":(" in parts[4]:
        name = parts[4].strip()
        section = name if name.endswith("(.text)") and int(parts[2], 16) > 16384 else None
    elif section:
        big.add(parts[4].strip())
packed = [n for n in order if n not in big]
order = packed + [n for n in order if n in big]
open(out, "w").write("".join(n + "\n" for n in order))
print(f"{len(order)} functions in {out}, {len(order) - len(packed)} of them in large unsplit sections, last")
PY
# SwiftPM does not see the list as an input of the link: link again.
rm -f "$(swift build -c release --show-bin-path)/watchbill"
swift build -c release --product watchbill >/dev/null
