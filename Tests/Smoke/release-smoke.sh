#!/usr/bin/env bash
# The optimized binary users run (`swift run -c release watchbill`): what it links, then driven through its
# runtime's paths in a private tmux server: the dashboard (rewind, alerts, help, processes)
# and a replay of what it recorded (pause, seek, speed, rewind inside it). Optimized code
# can fail where the debug build the unit tests use does not (an exclusivity conflict once
# aborted the release binary at its first frame), so CI runs this too. Bounded: about 40 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/release/watchbill}
[[ -x $BIN ]] || { echo "release-smoke: no $BIN (swift build -c release --product watchbill)"; exit 1; }
# What every start maps: the release binary carries the Swift runtime and Foundation, so
# it needs only system libraries, none of the toolchain's, no ICU, and no libcurl (loaded
# when a probe starts) or FoundationNetworking.
needed=$(readelf -d "$BIN" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
for lib in $needed; do
  case $lib in
    libc.so.6 | libm.so.6 | ld-linux-*.so.2 | libstdc++.so.6 | libgcc_s.so.1 | libncursesw.so.6 | libtinfo.so.6 | libsqlite3.so.0 | libyaml-0.so.2) ;;
    *) echo "release-smoke: $BIN needs $lib at every start"; exit 1 ;;
  esac
done
if ldd "$BIN" | grep -Ei 'swift|icu|curl|Foundation'; then echo "release-smoke: $BIN maps the libraries above at start"; exit 1; fi
WORK=$(mktemp -d)
SOCK=watchbill-smoke-$$
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
export XDG_CONFIG_HOME=$WORK/config XDG_STATE_HOME=$WORK/state XDG_DATA_HOME=$WORK/data
fail() { echo "release-smoke: $1"; tmux -L "$SOCK" capture-pane -p -t smoke 2>/dev/null | head -20; cat "$WORK/err" 2>/dev/null | head -20; exit 1; }
# Waits up to 15 s for the screen to show $1.
await() {
  for _ in $(seq 150); do
    tmux -L "$SOCK" capture-pane -p -t smoke 2>/dev/null | grep -q -- "$1" && return 0
    sleep 0.1
  done
  fail "never showed '$1'"
}
run() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -f "$WORK/exit"
  tmux -L "$SOCK" new-session -d -s smoke -x 120 -y 40 "$BIN $* 2>$WORK/err; echo \$? > $WORK/exit; sleep 60"
}
keys() { for k in "$@"; do tmux -L "$SOCK" send-keys -t smoke "$k"; sleep 0.3; done; }
ended() {
  for _ in $(seq 100); do [[ -s $WORK/exit ]] && break; sleep 0.1; done
  [[ $(cat "$WORK/exit" 2>/dev/null) == 0 ]] || fail "$1 did not exit cleanly"
  ! grep -q "Fatal\|Simultaneous accesses" "$WORK/err" || fail "$1 crashed"
}

run --interval 0.5 --record "$WORK/smoke.wbr"
await "CPU"
sleep 3
keys H Left Left Escape A Escape '?' Escape t Escape 8 8
await "CPU"
keys q
ended "the dashboard"

run replay "$WORK/smoke.wbr" --speed 2
await "REPLAY"
keys Space g G Left Right ']' '[' H Left Escape A i Escape '?' Escape
await "REPLAY"
keys q
ended "the replay"
echo "release-smoke: dashboard and replay ran and quit cleanly"
