#!/usr/bin/env bash
# A long --sweep shows "variant K of N" on stderr when it is a terminal, and
# a long elaboration the layers so far; both erased at the end; not on a
# pipe, and never in the output.
#
# usage: progress.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
sweep=(--report --sweep width=0.25:2.0:0.001 examples/mobilenetv2.net) # 1,751 variants
TERM=xterm script -qec "'$netc' ${sweep[*]} -o '$work/tty.txt'" /dev/null >"$work/tty.err"
check "a terminal sees the progress" grep -q "netc: --sweep: variant [0-9]* of 1751" "$work/tty.err"
"$netc" "${sweep[@]}" -o "$work/pipe.txt" 2>"$work/pipe.err"
check "a pipe does not" test ! -s "$work/pipe.err"
check "the output is the same either way" cmp -s "$work/tty.txt" "$work/pipe.txt"

printf 'network huge() {\n  x = input([1, 8, 4, 4])\n  for i in range(1000000) { x = relu(x) }\n  return x\n}\n' \
  >"$work/huge.net"
TERM=xterm script -qec "'$netc' '$work/huge.net'" /dev/null >"$work/elab.err"
check "a terminal sees a long elaboration's progress" \
  grep -q "netc: elaborating: [0-9]* layers so far" "$work/elab.err"
"$netc" "$work/huge.net" 2>"$work/elab-pipe.err"
check "a pipe does not" test ! -s "$work/elab-pipe.err"
[ "$fails" = 0 ]
