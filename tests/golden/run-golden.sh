#!/usr/bin/env bash
# Runs one golden case and compares it with its expected output.
#
#   run-golden.sh NETC tests/golden/SUITE/CASE.net [--update]
#
# The command line is `NETC ARGS CASE.net`, where ARGS comes from a line
# `# ARGS: ...` among the first five lines of the case, else from the suite's
# ARGS file (used for inputs that cannot hold a comment, such as binary files).
# The expected file CASE.expected holds the command, the exit code, stdout and
# stderr. With --update (or NETC_UPDATE_GOLDENS=1) it is rewritten instead.
# Run from the source root: file names in messages are relative to it.
set -u
netc=$1
case_file=$2
update=${3:-}
[ "${NETC_UPDATE_GOLDENS:-0}" = 1 ] && update=--update
expected=${case_file%.net}.expected
suite_dir=$(dirname "$case_file")

args=$(head -n 5 "$case_file" 2>/dev/null | tr -d '\0' | tr -d '\r' | sed -n 's/^# ARGS: *//p' | head -n 1)
if [ -z "$args" ] && [ -f "$suite_dir/ARGS" ]; then
  args=$(head -n 1 "$suite_dir/ARGS" | tr -d '\r')
fi

out=$(mktemp); err=$(mktemp); actual=$(mktemp)
trap 'rm -f "$out" "$err" "$actual"' EXIT
# shellcheck disable=SC2086  # ARGS is a list of words by design
timeout 60 "$netc" $args "$case_file" >"$out" 2>"$err" </dev/null
code=$?
{
  echo "# netc $args $case_file"
  echo "exit: $code"
  echo "--- stdout"
  cat "$out"
  echo "--- stderr"
  cat "$err"
} >"$actual"

if [ "$update" = --update ]; then
  cp "$actual" "$expected"
  echo "updated $expected"
  exit 0
fi
if [ ! -f "$expected" ]; then
  echo "missing $expected (run scripts/update-goldens.sh to create it)"
  exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "FAILED: $case_file differs from $expected (scripts/update-goldens.sh accepts the change)"
  exit 1
fi
