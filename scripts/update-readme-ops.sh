#!/usr/bin/env bash
# Rewrites README.md's table of FLOPs per op (between its op-table marker
# comments) from the op table, after an op or its costDoc changed. The unit
# test "ops: README.md's table ..." fails while the README is stale.
# Review the result with `git diff README.md` before committing.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
tests=${NETC_UNIT_TESTS:-${BUILD_DIR:-$root/build}/tests/netc_unit_tests}
[ -x "$tests" ] || { echo "build the unit tests first (scripts/build.sh)"; exit 2; }
NETC_UPDATE_README=1 "$tests" --test-case="ops: README.md*" --no-version
