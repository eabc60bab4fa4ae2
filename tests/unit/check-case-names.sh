#!/usr/bin/env bash
# ctest runs each doctest case by name (doctest_discover_tests), and CMake
# splits a name at ';': such a case would be registered under a cut name
# that selects no case, and pass without running. No case name may hold one.
#
# usage: check-case-names.sh UNIT_TEST_BINARY
set -uo pipefail
names=$("$1" --list-test-cases --no-version 2>/dev/null) || { echo "cannot list the cases"; exit 1; }
count=$(printf '%s\n' "$names" | grep -c ': ' || true)
[ "$count" -gt 100 ] || { echo "only $count cases listed"; exit 1; }
bad=$(printf '%s\n' "$names" | grep ';' || true)
[ -z "$bad" ] || { printf 'case names with a semicolon (ctest would never run them):\n%s\n' "$bad"; exit 1; }
echo "ok: $count cases, no semicolon in a name"
