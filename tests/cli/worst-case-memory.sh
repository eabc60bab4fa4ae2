#!/usr/bin/env bash
# The worst inputs found at the default limits stay within the memory budget
# (about 2 GB): each runs under a 2.5 GB address-space cap and succeeds. Not
# timed; README "Robustness" has the measured figures.
#  * a list of integers filling the 8 MiB file limit (the most tokens and
#    syntax tree per byte: about 120 bytes of memory per byte);
#  * `x = relu(x)` lines filling it, costed (--report);
#  * a loop building the largest graph allowed (2,000,000 nodes), costed.
#
# usage: worst-case-memory.sh NETC
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

skip_under_asan "$netc"

limit=$((8 * 1024 * 1024))
python3 - "$work" "$limit" <<'PY'
import sys
work, limit = sys.argv[1], int(sys.argv[2])
head = "network n() {\n  x = input([1, 2])\n"
tail = "  return x\n}\n"
n = (limit - len(head) - len(tail) - 16) // 2
with open(work + "/list.net", "w") as f:
    f.write(head + "  y = [" + ",".join(["1"] * n) + "]\n" + tail)
line = "  x = relu(x)\n"
with open(work + "/lines.net", "w") as f:
    f.write(head + line * ((limit - len(head) - len(tail)) // len(line)) + tail)
with open(work + "/nodes.net", "w") as f:
    f.write(head + "  for i in range(1999999) { x = relu(x) }\n" + tail)
PY

run() {
  bash -c 'ulimit -v 2500000; exec "$@"' _ "$netc" "$@" >/dev/null 2>"$work/err"
}
for f in list lines nodes; do
  check "$f.net is within the limits" test "$(stat -c %s "$work/$f.net")" -le "$limit"
  run --report "$work/$f.net"
  rc=$?
  check "$f.net --report within 2.5 GB: exit 0 (got $rc)" test "$rc" -eq 0
  [ "$rc" -eq 0 ] || head -3 "$work/err" >&2
done

exit $((fails > 0))
