#!/usr/bin/env bash
# The bad-input corpus: every case of the golden suites errors/ (syntax,
# lexical, binary junk, huge numbers, deep nesting, imports and cycles,
# limits) and elab-errors/ (semantic errors and elaboration limits) must
# expect exit status 1 and at least one located `file:line:col: error:` line.
# (The golden tests themselves check that netc still prints exactly that.)
# The broken ONNX models of import/bad_* must expect exit 1 and an error
# naming the model.
set -u
fails=0
# bad EXPECTED PATTERN WHAT: the case expects exit 1 and a line matching PATTERN.
bad() {
  if [ "$(sed -n 2p "$1")" != "exit: 1" ]; then
    echo "FAIL: $1 does not expect exit status 1" >&2
    fails=$((fails + 1))
  elif ! grep -qE "$2" "$1"; then
    echo "FAIL: $1 has no $3" >&2
    fails=$((fails + 1))
  fi
}
count=0
for expected in tests/golden/errors/*.expected tests/golden/elab-errors/*.expected; do
  count=$((count + 1))
  bad "$expected" '^[^ ]+:[0-9]+:[0-9]+: error: ' "located error line"
done
# Broken ONNX models (tests/onnx/bad/, golden suite import/): exit 1 and an
# error naming the model file (a binary file has no line to point at).
onnx=0
for expected in tests/golden/import/bad_*.expected; do
  onnx=$((onnx + 1))
  bad "$expected" '^[^ ]+\.onnx: error: ' "error naming the model"
done
echo "$count bad inputs and $onnx broken models, $fails without exit 1 and a located error"
[ "$count" -ge 50 ] && [ "$onnx" -ge 10 ] && [ "$fails" -eq 0 ]
