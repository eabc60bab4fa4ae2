#!/usr/bin/env bash
# `netc calibrate --quick` measures kernels through oneDNN and writes them as
# `kernel = ...` lines that --hw reads back; the estimate then comes from
# them, for networks none of whose layers was timed. Structure and exact
# arithmetic only, no timing asserted: the machine is shared.
#
# usage: calibrate-kernels.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

"$netc" calibrate --quick -o "$work/host.net" 2>"$work/err"
check "calibrate --quick: exit 0" test $? -eq 0
for family in conv linear eltwise_relu eltwise_clip batch_normalization binary_add \
              pooling_max concat softmax; do
  check "the profile has $family kernels" grep -q "^  kernel = $family(.*us=[0-9.]*)$" \
    "$work/host.net"
done
check "the profile says how kernels were timed" \
  grep -q '^# Kernels: [0-9]* configurations timed through oneDNN 2\.6.*plain layouts' \
  "$work/host.net"

# Every example gets an estimate from the kernels (its layers were never timed).
for f in examples/*.net; do
  out=$("$netc" --report --format json --top 0 --hw "$work/host.net" "$f" 2>&1)
  check "$(basename "$f"): estimate from the kernel profile" \
    grep -q '"calibrated_latency_s": [0-9]' <<<"$out"
done
estimate() { # the total estimate of resnet18 -O0 on profile $1
  "$netc" --report -O0 --format json --top 0 --hw "$1" examples/resnet18.net |
    grep '^  "totals": ' | sed 's/.*"calibrated_latency_s": \([0-9.e+-]*\).*/\1/'
}
# Without layer_overhead, every layer of resnet18 is in a measured family, so
# doubling every kernel's time doubles the estimate exactly.
grep -v '^  layer_overhead' "$work/host.net" >"$work/a.net"
awk '{ if (match($0, /us=[0-9.]+\)$/)) { t = substr($0, RSTART + 3, RLENGTH - 4);
       $0 = substr($0, 1, RSTART - 1) sprintf("us=%.6f)", 2 * t) } print }' \
  "$work/a.net" >"$work/b.net"
a=$(estimate "$work/a.net")
b=$(estimate "$work/b.net")
check "doubled kernel times double the estimate ($a -> $b)" \
  awk -v a="$a" -v b="$b" 'BEGIN { r = b / a; exit !(a > 0 && r > 1.999999 && r < 2.000001) }'
# Without kernel lines, the op-class efficiencies give another estimate.
grep -v '^  kernel = ' "$work/a.net" >"$work/classes.net"
c=$(estimate "$work/classes.net")
check "without kernel lines the class efficiencies apply ($c)" \
  awk -v a="$a" -v c="$c" 'BEGIN { exit !(c > 0 && c != a) }'

"$netc" calibrate --layout sideways >/dev/null 2>"$work/err"
check "calibrate --layout sideways: usage error, exit 2" test $? -eq 2
check "... naming the choices" grep -q 'plain or blocked' "$work/err"
[ "$fails" = 0 ]
