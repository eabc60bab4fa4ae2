#!/usr/bin/env bash
# Graphviz accepts every example's graph: `netc --emit=dot` (optimized, and
# with --dot-color bound) and `--emit=dot -O0` (as written) of each
# examples/*.net, piped through `dot -Tsvg`. Any error of netc or of dot, or
# a warning of dot, fails. dot is Debian's graphviz, which scripts/deps.sh
# installs: without it the test fails (it does not skip).
#
# usage: dot-examples.sh NETC   (run from the source root; label `slow`)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
if ! command -v dot >/dev/null; then
  echo "FAIL: Graphviz's dot is not installed (scripts/deps.sh installs the graphviz package)" >&2
  exit 1
fi
render() { # render NAME FILE ARGS...: netc's DOT through dot -Tsvg, quietly
  local name=$1 file=$2
  shift 2
  "$netc" --emit=dot "$@" "$file" >"$work/$name.dot" 2>"$work/$name.netc-err" || {
    cat "$work/$name.netc-err" >&2
    return 1
  }
  dot -Tsvg "$work/$name.dot" >"$work/$name.svg" 2>"$work/$name.dot-err" &&
    [ ! -s "$work/$name.dot-err" ] && grep -q '</svg>' "$work/$name.svg" || {
    cat "$work/$name.dot-err" >&2
    return 1
  }
  rm -f "$work/$name.dot" "$work/$name.svg"
}
for file in examples/*.net; do
  name=$(basename "$file" .net)
  check "$name: optimized" render "$name" "$file"
  check "$name: as written (-O0)" render "$name-O0" "$file" -O0
  check "$name: coloured by bound" render "$name-bound" "$file" --dot-color bound
done
[ "$fails" -eq 0 ] || { echo "$fails failed"; exit 1; }
