#!/usr/bin/env bash
# Emits a network as C++ (netc --emit=cpp), builds the program with its own
# CMakeLists.txt, runs its self-check (the fused float path against the
# unfused double reference path, within 1e-4) and compares the reference
# outputs with netc's own evaluator (netc-evalcheck, within 1e-9).
#
# usage: emit-check.sh NETC EVALCHECK WORKDIR CXX FILE.net [NETC-ARGS...]
#   WORKDIR    scratch directory; the case's own subdirectory in it is replaced
#   CXX        the C++ compiler for the generated program (g++, clang++)
#   NETC-ARGS  given to netc and netc-evalcheck alike: -D name=value, --network NAME
# Exits nonzero on the first failing step.
set -euo pipefail

if [[ $# -lt 5 ]]; then
  echo "usage: $0 NETC EVALCHECK WORKDIR CXX FILE.net [NETC-ARGS...]" >&2
  exit 2
fi
netc=$1 evalcheck=$2 work=$3 cxx=$4 net=$5
shift 5

dir="$work/$(basename "$net" .net)-$(basename "$cxx")"
mkdir -p "$work"
rm -rf "$dir"
step() { echo "== $(basename "$net") ($cxx) $*: $1"; }

step "emit" "$@"
"$netc" --emit=cpp "$net" -o "$dir" "$@"

step "build"
if ! cmake -S "$dir" -B "$dir/build" -DCMAKE_CXX_COMPILER="$cxx" > "$dir/cmake.log" 2>&1; then
  cat "$dir/cmake.log" >&2
  exit 1
fi
if ! cmake --build "$dir/build" > "$dir/build.log" 2>&1; then
  cat "$dir/build.log" >&2
  exit 1
fi

step "check: fused float path vs unfused double reference"
"$dir/build/check" --dump "$dir/reference.txt"

step "evalcheck: emitted reference vs netc's evaluator"
"$evalcheck" "$net" "$dir/reference.txt" "$@"

# Passed: keep only the sources (the build trees are large).
rm -rf "$dir/build"
