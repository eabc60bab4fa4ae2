#!/usr/bin/env bash
# Rewrites the expected output of golden cases after an intended change.
#   scripts/update-goldens.sh            all cases
#   scripts/update-goldens.sh PATTERN    cases whose path contains PATTERN
# Review the result with `git diff tests/golden tests/emit` before committing.
# This is the only writer of expected files: the tests themselves
# (tests/golden/run-golden.sh, tests/emit/golden.sh) only compare.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
netc=${NETC:-$root/build/netc}
[ -x "$netc" ] || { echo "build netc first (scripts/build.sh)"; exit 2; }
find tests/golden \( -name '*.net' -o -name '*.gen' \) -not -path '*/lib/*' | sort |
while read -r case_file; do
  case "$case_file" in *"${1:-}"*) ;; *) continue ;; esac
  # A generated input (CASE.gen) is the case, not the CASE.net it would write.
  case "$case_file" in *.net) [ -f "${case_file%.net}.gen" ] && continue ;; esac
  tests/golden/golden-output.sh "$netc" "$case_file" >"${case_file%.*}.expected"
  echo "updated ${case_file%.*}.expected"
done

# The emitted C++ program of tests/emit/small.net (tests/emit/golden.sh
# compares it): emitted twice, which must agree, then copied over.
case "tests/emit/small.net" in *"${1:-}"*)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$netc" --emit=cpp tests/emit/small.net -o "$work/a"
  "$netc" --emit=cpp tests/emit/small.net -o "$work/b"
  diff -r "$work/a" "$work/b" || { echo "two runs emitted different files" >&2; exit 1; }
  rm -rf tests/emit/small.expected
  cp -r "$work/a" tests/emit/small.expected
  echo "updated tests/emit/small.expected"
;; esac

# netc lsp's JSON-RPC transcripts (tests/lsp/NAME.json -> NAME.expected).
for script in tests/lsp/*.json; do
  case "$script" in *"${1:-}"*) ;; *) continue ;; esac
  python3 tests/lsp/lsp-client.py "$netc" "$script" --update "${script%.json}.expected"
  echo "updated ${script%.json}.expected"
done
