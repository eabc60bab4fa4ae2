#!/usr/bin/env bash
# The bad-input corpus: every case of the golden suites errors/ (syntax,
# lexical, binary junk, huge numbers, deep nesting, imports and cycles,
# limits) and elab-errors/ (semantic errors and elaboration limits) must
# expect exit status 1 and at least one located `file:line:col: error:` line.
# (The golden tests themselves check that netc still prints exactly that.)
# The broken ONNX models of import/bad_* must expect exit 1 and an error
# naming the model.
set -u
fails=0 count=0
for expected in tests/golden/errors/*.expected tests/golden/elab-errors/*.expected; do
  count=$((count + 1))
  if [ "$(sed -n 2p "$expected")" != "exit: 1" ]; then
    echo "FAIL: $expected does not expect exit status 1" >&2
    fails=$((fails + 1))
  elif ! grep -qE '^[^ ]+:[0-9]+:[0-9]+: error: ' "$expected"; then
    echo "FAIL: $expected has no located error line" >&2
    fails=$((fails + 1))
  fi
done
# Broken ONNX models (tests/onnx/bad/, golden suite import/): exit 1 and an
# error naming the model file (a binary file has no line to point at).
onnx=0
for expected in tests/golden/import/bad_*.expected; do
  onnx=$((onnx + 1))
  if [ "$(sed -n 2p "$expected")" != "exit: 1" ]; then
    echo "FAIL: $expected does not expect exit status 1" >&2
    fails=$((fails + 1))
  elif ! grep -qE '^[^ ]+\.onnx: error: ' "$expected"; then
    echo "FAIL: $expected has no error naming the model" >&2
    fails=$((fails + 1))
  fi
done
echo "$count bad inputs and $onnx broken models, $fails without exit 1 and a located error"
[ "$count" -ge 50 ] && [ "$onnx" -ge 10 ] && [ "$fails" -eq 0 ]
