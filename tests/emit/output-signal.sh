#!/usr/bin/env bash
# SIGTERM, SIGINT or SIGHUP while netc writes -o leaves no temporary behind
# and any previous output as it was. Deterministic: NETC_TEST_OUTPUT_PAUSE_MS
# makes netc wait with its temporary complete but not yet in place, and the
# test signals it there; then a few real runs signalled at arbitrary times
# (each passes whether netc finished first or not).
#
# usage: output-signal.sh NETC   (run from the source root)
set -uo pipefail
set -m # background jobs keep SIGINT (without job control bash ignores it in them)
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
good=tests/emit/small.net
notmp() { test -z "$(ls -AR "$work" | grep -E '\.(tmp|old)-')"; }

# signal_during SIG DESCRIPTION NETC-ARGS...: starts netc paused inside its
# output, waits for its temporary, signals it, and checks it died of SIG.
signal_during() {
  local sig=$1 what=$2
  shift 2
  NETC_TEST_OUTPUT_PAUSE_MS=30000 "$netc" "$@" >/dev/null 2>&1 &
  local pid=$! i
  for ((i = 0; i < 400; i++)); do # up to 20 s
    ls -AR "$work" | grep -qE '\.tmp-' && break
    sleep 0.05
  done
  check "$what: the temporary exists before the signal" test "$i" -lt 400
  kill -s "$sig" "$pid"
  wait "$pid"
  local rc=$?
  check "$what: netc dies of SIG$sig (status $rc)" test "$rc" -eq $((128 + $(kill -l "$sig")))
  check "$what: no temporary is left" notmp
}

# A signal ignored on entry (nohup, some CI runners) stays ignored in netc:
# then there is nothing to test for it.
ignored() { # ignored SIG
  local mask
  mask=$(awk '/^SigIgn:/ {print $2}' /proc/$$/status 2>/dev/null) || return 1
  [ -n "$mask" ] && (( (0x$mask >> ($(kill -l "$1") - 1)) & 1 ))
}

for sig in TERM INT HUP; do
  if ignored "$sig"; then
    echo "skip: SIG$sig is ignored here"
    continue
  fi
  signal_during "$sig" "--emit=cpp, new directory, SIG$sig" --emit=cpp "$good" -o "$work/new$sig"
  check "... and no directory appears" test ! -e "$work/new$sig"
done

"$netc" --emit=cpp "$good" -o "$work/old" >/dev/null 2>&1
cp -r "$work/old" "$work/old.copy"
signal_during TERM "--emit=cpp replacing netc's directory" --emit=cpp "$good" -o "$work/old" -D res=16
check "... and the previous output is byte-identical" diff -r "$work/old.copy" "$work/old"

"$netc" --report "$good" -o "$work/report.txt" >/dev/null 2>&1
cp "$work/report.txt" "$work/report.copy"
signal_during TERM "-o FILE" --report "$good" -D res=16 -o "$work/report.txt"
check "... and the previous file is byte-identical" cmp -s "$work/report.copy" "$work/report.txt"

# Real runs on a big network, signalled at whatever point they reached.
for delay in 0.01 0.03 0.06 0.1 0.15 0.3; do
  timeout -s TERM "$delay" "$netc" --emit=cpp examples/densenet121.net -o "$work/big" \
    >/dev/null 2>&1
  check "SIGTERM after ${delay}s: no temporary is left" notmp
done

exit $((fails > 0))
