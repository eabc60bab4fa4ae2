#!/usr/bin/env bash
# The emit tests' second fixture (one per compiler): configures
# tests/emit/all/ over WORK/src with the compiler CXX and builds every
# network's self-check program, in parallel, into WORK/build-CXX/NAME/check.
#
# usage: build-all.sh WORK CXX   (run from the source root)
#
# Every program is relinked (its old binary removed first), so a program whose
# sources no longer compile has no binary: its own test then fails and shows
# the compiler's errors. Objects whose sources did not change are reused.
# Only a failure to configure fails this fixture.
set -uo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: $0 WORK CXX" >&2
  exit 2
fi
work=$(cd "$1" && pwd) cxx=$2
build="$work/build-$(basename "$cxx")"
if ! cmake -S tests/emit/all -B "$build" -G "Unix Makefiles" -DCMAKE_CXX_COMPILER="$cxx" \
     -DNETC_EMIT_SRC="$work/src" >"$work/log/configure-$(basename "$cxx").log" 2>&1; then
  cat "$work/log/configure-$(basename "$cxx").log" >&2
  exit 1
fi
rm -f "$build"/*/check
# -k: build every program it can; the failures show in their own tests.
cmake --build "$build" -j "${NETC_EMIT_JOBS:-$(nproc)}" -- -k >"$build/build.log" 2>&1
built=$(ls "$build"/*/check 2>/dev/null | wc -l)
echo "built $built programs with $cxx in $build"
