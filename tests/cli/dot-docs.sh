#!/usr/bin/env bash
# The README's graph picture is not stale: docs/resnet18.dot is what netc
# prints now (scripts/render-dot.args), and docs/resnet18.svg records the
# SHA-256 of that .dot (scripts/render-dot.sh writes both). Needs no Graphviz.
#
# usage: dot-docs.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
. scripts/render-dot.args
"$netc" "${DOT_ARGS[@]}" >"$work/now.dot"
check "docs/resnet18.dot is what netc prints now (run scripts/render-dot.sh)" \
  diff -u docs/resnet18.dot "$work/now.dot"
sum=$(sha256sum "$work/now.dot" | cut -d' ' -f1)
check "docs/resnet18.svg was drawn from it (run scripts/render-dot.sh)" \
  grep -qx "<!-- drawn from docs/resnet18.dot sha256 $sum by scripts/render-dot.sh -->" \
  docs/resnet18.svg
[ "$fails" -eq 0 ] || exit 1
