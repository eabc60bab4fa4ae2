#!/usr/bin/env bash
# `netc -` reads the program from standard input: it is named <stdin> in
# messages and its relative imports resolve against the working directory.
#
# usage: stdin.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
good='import "std/blocks.net"
network n() {
  return input([1, 3, 16, 16]) |> conv_bn_act(8)
}'
out=$(printf '%s\n' "$good" | "$netc" --report --format csv -)
check "a report of the program on stdin" grep -q '^conv_bn_act.conv2d,conv2d' <<<"$out"
diff <(printf '%s\n' "$good" | "$netc" --emit=graph -) \
     <(printf '%s\n' "$good" | "$netc" --emit=graph - ) >/dev/null
check "the same graph twice" test $? -eq 0
bad='network n() {
  x = input([1, 3, 8, 8])
  return conv2d(x, 4, k=9)
}'
err=$(printf '%s\n' "$bad" | "$netc" - 2>&1)
rc=$?
check "an error in it exits 1" test "$rc" -eq 1
check "located in <stdin>" grep -q '^<stdin>:3:10: error: conv2d: output height would be 0' <<<"$err"
out=$("$netc" --report - </dev/null 2>&1)
rc=$?
check "empty standard input is an input error" test "$rc" -eq 1
[ "$fails" = 0 ]
