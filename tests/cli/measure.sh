#!/usr/bin/env bash
# `netc measure` on a small network, in every format: structure only (every
# layer has a measured time or is marked view or unmeasured with a reason,
# the totals exist, exit 0). No timing is asserted: the machine is shared.
#
# usage: measure.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
cat >"$work/small.net" <<'NET'
import "std/blocks.net"
network small() {
  x = input([1, 3, 16, 16]) |> conv_bn_act(8)
  y = conv2d(x, 8, k=3, padding=1) |> batchnorm
  x = relu(x + y) |> max_pool2d(2)
  x = groupnorm(x, 2)
  return x |> global_avg_pool |> flatten |> linear(10) |> softmax
}
NET
flags=(--repeats 3)

out=$("$netc" measure "${flags[@]}" "$work/small.net" 2>"$work/err")
check "table: exit 0" test $? -eq 0
check "table: the measured section" grep -q '^measured on this machine: oneDNN 2\.6' <<<"$out"
check "table: the measured total" grep -q '^  measured total ' <<<"$out"
check "table: the roofline of the measured layers" grep -q '^  roofline bound ' <<<"$out"
check "table: groupnorm is unmeasured, with the reason" \
  grep -q "^    groupnorm: 'groupnorm': oneDNN 2.6 has no group normalization" <<<"$out"
check "table: nothing on stderr off a terminal" test ! -s "$work/err"
# Every layer row of the measured section has a time, view or unmeasured.
rows=$(sed -n '/^measured on this machine/,/^$/p' <<<"$out" | sed '1,3d;/^$/d')
bad=$(grep -Ev ' [0-9.]+ (ns|us|ms|s) .* [0-9.]+x( |$)|  view$|  unmeasured$' <<<"$rows")
check "table: every layer measured, a view or unmeasured" test -z "$bad"

json=$("$netc" measure "${flags[@]}" --format json "$work/small.net")
check "json: exit 0" test $? -eq 0
layers=$(grep -c '"status": "' <<<"$json")
named=$(sed -n '/^  "layers": \[/,/^  \]/p' <<<"$json" | grep -c '"name": ')
check "json: one measured entry per layer ($layers of $named)" test "$layers" -eq "$named"
check "json: no layer without a status" \
  test "$(grep -c '"status": "\(measured\|view\|unmeasured\)"' <<<"$json")" -eq "$layers"
check "json: a measured layer has a median" grep -q '"status": "measured", .*"median_s": [0-9]' <<<"$json"
check "json: an unmeasured layer has no time and a reason" \
  grep -q '"status": "unmeasured", .*"median_s": null, .*"why": "' <<<"$json"
check "json: the measured total" grep -q '"total_s": [0-9]' <<<"$json"

csv=$("$netc" measure "${flags[@]}" --format csv "$work/small.net")
check "csv: exit 0" test $? -eq 0
check "csv: measured columns" grep -q 'measured_median_s' <<<"$csv"
check "csv: the total row" grep -q '^(total),.*,total,' <<<"$csv"
md=$("$netc" measure "${flags[@]}" --format md -O0 --threads 2 "$work/small.net")
check "md, -O0, 2 threads: exit 0" test $? -eq 0
check "md: the measured section" grep -q '^## Measured' <<<"$md"
check "md: 2 threads" grep -q '2 threads' <<<"$md"
check "md: the batchnorm as written runs" grep -q 'batch.*normalization' <<<"$md"
check "md, -O0: plain layouts by default" grep -q 'plain layouts (per-call reorders timed' <<<"$md"

# Layouts: blocked by default on the optimized graph; --layout chooses.
for layout in blocked plain; do
  for o in "" -O0; do
    j=$("$netc" measure "${flags[@]}" $o --layout $layout --format json "$work/small.net")
    check "--layout $layout $o: exit 0" test $? -eq 0
    check "--layout $layout $o: recorded" grep -q "\"layout\": \"$layout\"" <<<"$j"
    check "--layout $layout $o: no layer failed to run" \
      test -z "$(grep '"why": "oneDNN could not run' <<<"$j")"
  done
done
check "json: blocked by default" grep -q '"layout": "blocked"' <<<"$json"
"$netc" --report --layout plain "$work/small.net" >/dev/null 2>"$work/err"
check "--layout without netc measure: usage error, exit 2" test $? -eq 2
check "... naming netc measure" grep -q "option '--layout' needs netc measure" "$work/err"
"$netc" measure --layout sideways "$work/small.net" >/dev/null 2>"$work/err"
check "--layout sideways: usage error, exit 2" test $? -eq 2
[ "$fails" = 0 ]
