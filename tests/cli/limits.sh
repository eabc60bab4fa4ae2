#!/usr/bin/env bash
# The default limits reject what they should, with a message naming the
# option that raises them: a file over 8 MiB (--max-file-size) and a graph
# over 2,000,000 nodes (--max-nodes).
#
# usage: limits.sh NETC
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

# 8 MiB + 1 byte: a network followed by a comment.
{
  printf 'network n() {\n  return input([1, 3, 8, 8])\n}\n#'
  head -c $((8 * 1024 * 1024)) /dev/zero | tr '\0' 'x'
} >"$work/big.net"
"$netc" "$work/big.net" >/dev/null 2>"$work/err"
rc=$?
check "file over 8 MiB: exit 1 (got $rc)" test "$rc" -eq 1
check "... naming --max-file-size" grep -q "is too large (.* bytes; the limit is 8388608, raise it with --max-file-size)" "$work/err"
"$netc" --max-file-size 9000000 "$work/big.net" >/dev/null 2>"$work/err"
rc=$?
check "... accepted with --max-file-size 9000000 (got $rc)" test "$rc" -eq 0

# 2,000,001 nodes: the input and 2,000,000 relus.
printf 'network n() {\n  x = input([1, 2])\n  for i in range(2000000) { x = relu(x) }\n  return x\n}\n' \
  >"$work/nodes.net"
"$netc" "$work/nodes.net" >/dev/null 2>"$work/err"
rc=$?
check "graph over 2,000,000 nodes: exit 1 (got $rc)" test "$rc" -eq 1
check "... naming --max-nodes" grep -q "more than 2000000 nodes (raise the limit with --max-nodes)" "$work/err"

exit $((fails > 0))
