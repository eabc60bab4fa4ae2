#!/usr/bin/env bash
# Runs one golden case and compares its output with CASE.expected; it never
# writes anything (scripts/update-goldens.sh rewrites expected files).
#
#   run-golden.sh NETC tests/golden/SUITE/CASE.net   (or CASE.gen)
#
# golden-output.sh describes the case's command line, generated inputs and
# `# GOLDEN: skip-header`. Run from the source root.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 NETC CASE.net|CASE.gen   (scripts/update-goldens.sh updates goldens)" >&2
  exit 2
fi
netc=$1
case_file=$2
expected=${case_file%.*}.expected
here=$(dirname "$0")

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
if ! "$here/golden-output.sh" "$netc" "$case_file" >"$actual"; then
  echo "FAILED: golden-output.sh could not run $case_file"
  exit 1
fi

if [ ! -f "$expected" ]; then
  echo "missing $expected (run scripts/update-goldens.sh to create it)"
  exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "FAILED: $case_file differs from $expected (scripts/update-goldens.sh accepts the change)"
  exit 1
fi
