#!/usr/bin/env bash
# The bad-input corpus: every case of the golden suites errors/ (syntax,
# lexical, binary junk, huge numbers, deep nesting, imports and cycles,
# limits) and elab-errors/ (semantic errors and elaboration limits) must
# expect exit status 1 and at least one located `file:line:col: error:` line.
# (The golden tests themselves check that netc still prints exactly that.)
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
echo "$count bad inputs, $fails without exit 1 and a located error"
[ "$count" -ge 50 ] && [ "$fails" -eq 0 ]
