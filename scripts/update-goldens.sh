#!/usr/bin/env bash
# Rewrites the expected output of golden cases after an intended change.
#   scripts/update-goldens.sh            all cases
#   scripts/update-goldens.sh PATTERN    cases whose path contains PATTERN
# Review the result with `git diff tests/golden` before committing.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
netc=${NETC:-$root/build/netc}
[ -x "$netc" ] || { echo "build netc first (scripts/build.sh)"; exit 2; }
find tests/golden -name '*.net' -not -path '*/lib/*' | sort | while read -r case_file; do
  case "$case_file" in *"${1:-}"*) ;; *) continue ;; esac
  tests/golden/run-golden.sh "$netc" "$case_file" --update
done
# The emitted C++ program of tests/emit/small.net.
case "tests/emit/small.net" in *"${1:-}"*) tests/emit/golden.sh "$netc" --update ;; esac
