#!/usr/bin/env bash
# The emit tests' first fixture: emits every test network as C++ (netc
# --emit=cpp) into WORK/src/NAME/, for build-all.sh to build as one project.
#
# usage: emit-all.sh NETC WORK LIST   (run from the source root)
#   LIST   one network a line: NAME FILE.net [NETC-ARGS...]
#
# A file is copied into WORK/src/NAME/ only when its content changed, so a
# rerun recompiles only what netc now emits differently. netc's stderr goes
# to WORK/log/NAME.emit (each test prints it); a network netc fails on gets
# WORK/log/NAME.failed and no sources, and fails its own tests, not this one.
# Every emitted CMakeLists.txt must equal tests/emit/small.expected/'s, whose
# settings tests/emit/all/CMakeLists.txt mirrors.
set -uo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 NETC WORK LIST" >&2
  exit 2
fi
netc=$1 list=$3
mkdir -p "$2"
# Absolute: netc --emit=cpp -o a/b fails when a relative path has a parent.
work=$(cd "$2" && pwd)
reference=tests/emit/small.expected/CMakeLists.txt
mkdir -p "$work/src" "$work/log" "$work/tmp"
status=0 count=0
while read -r name net args; do
  [[ -z "$name" ]] && continue
  count=$((count + 1))
  rm -rf "$work/tmp/$name" "$work/log/$name.failed"
  # shellcheck disable=SC2086  # NETC-ARGS is a list of words
  if ! "$netc" --emit=cpp "$net" -o "$work/tmp/$name" $args 2>"$work/log/$name.emit"; then
    echo "netc --emit=cpp $net $args failed" >"$work/log/$name.failed"
    rm -rf "$work/src/$name"
    echo "FAIL: $name: netc --emit=cpp failed (its test shows why)"
    continue
  fi
  if ! cmp -s "$reference" "$work/tmp/$name/CMakeLists.txt"; then
    echo "FAIL: $name: the emitted CMakeLists.txt differs from $reference;" \
         "tests/emit/all/CMakeLists.txt mirrors it, update both" >&2
    status=1
  fi
  # Copy what changed; drop what netc no longer writes.
  mkdir -p "$work/src/$name"
  for f in "$work/tmp/$name"/* "$work/tmp/$name"/.netc-output; do
    cmp -s "$f" "$work/src/$name/${f##*/}" || cp "$f" "$work/src/$name/"
  done
  for f in "$work/src/$name"/* "$work/src/$name"/.netc-output; do
    [[ -e "$work/tmp/$name/${f##*/}" ]] || rm -f "$f"
  done
  rm -rf "$work/tmp/$name"
done <"$list"
echo "emitted $count networks into $work/src"
exit $status
