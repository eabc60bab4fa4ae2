#!/usr/bin/env bash
# Running out of memory is exit 1 with the stage and the limits to lower,
# not an uncaught std::bad_alloc (SIGABRT, status 134). The address space is
# capped with `ulimit -v` on a network that needs more.
#
# usage: out-of-memory.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

# Under AddressSanitizer (scripts/robustness.sh) the address-space cap leaves
# no room for ASan's shadow memory and its allocator reports out of memory
# itself: this check is for the real binary, which scripts/test.sh runs it on.
skip_under_asan "$netc"

# Millions of layers (past the default --max-nodes, raised here): far more
# than the address space allowed below.
printf 'network huge() {\n  x = input([1, 8, 4, 4])\n  for i in range(3000000) { x = relu(x) }\n  return x\n}\n' \
  >"$work/huge.net"
for mode in "--report" "--emit=graph"; do
  # shellcheck disable=SC2086
  bash -c 'ulimit -v 400000; exec "$@"' _ "$netc" --max-nodes 10000000 $mode "$work/huge.net" >/dev/null 2>"$work/err"
  rc=$?
  check "$mode out of memory: exit 1 (got $rc)" test "$rc" -eq 1
  check "... saying so, with the limits to lower" grep -q "netc: error: out of memory while .*; lower .*--max-nodes" "$work/err"
done

exit $((fails > 0))
