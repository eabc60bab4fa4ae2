#!/usr/bin/env bash
# The golden of the emitted program: emits tests/emit/small.net twice, checks
# the two directories are byte-identical (deterministic output), and compares
# them with tests/emit/small.expected/. It only compares:
# scripts/update-goldens.sh rewrites small.expected after an intended change.
#
# usage: golden.sh NETC   (run from the source root)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 NETC   (scripts/update-goldens.sh emit updates the golden)" >&2
  exit 2
fi
netc=$1
expected=tests/emit/small.expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$netc" --emit=cpp tests/emit/small.net -o "$work/a"
"$netc" --emit=cpp tests/emit/small.net -o "$work/b"
if ! diff -r "$work/a" "$work/b"; then
  echo "FAIL: two runs emitted different files" >&2
  exit 1
fi
if ! diff -r "$expected" "$work/a"; then
  echo "FAIL: the emitted files differ from $expected (scripts/update-goldens.sh emit updates it)" >&2
  exit 1
fi
echo "ok: $(ls -A "$work/a" | wc -l) files identical to $expected, and deterministic"
