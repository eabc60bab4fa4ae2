#!/usr/bin/env bash
# One emit test: runs the self-check program build-all.sh built for a network
# (the fused float path against the unfused double reference path, within
# 1e-4) and compares its reference outputs with netc's own evaluator
# (netc-evalcheck, within 1e-9). The same checks as emit-check.sh, which
# builds one network alone with its own emitted CMakeLists.txt.
#
# usage: run-check.sh EVALCHECK WORK CXX NAME FILE.net [NETC-ARGS...]
#   NETC-ARGS  as given to netc when emit-all.sh emitted NAME: -D name=value, ...
set -euo pipefail
if [[ $# -lt 5 ]]; then
  echo "usage: $0 EVALCHECK WORK CXX NAME FILE.net [NETC-ARGS...]" >&2
  exit 2
fi
evalcheck=$1 work=$2 cxx=$3 name=$4 net=$5
shift 5
build="$work/build-$(basename "$cxx")"
step() { echo "== $(basename "$net") ($cxx) $*: $1"; }

step "emit" "$@"
cat "$work/log/$name.emit" >&2
if [[ -f "$work/log/$name.failed" ]]; then
  cat "$work/log/$name.failed" >&2
  exit 1
fi

step "build"
if [[ ! -x "$build/$name/check" ]]; then
  echo "the program did not build; its errors:" >&2
  cmake --build "$build" --target "${name}_check" >&2 || true
  exit 1
fi

step "check: fused float path vs unfused double reference"
out="$work/run-$(basename "$cxx")/$name"
mkdir -p "$out"
"$build/$name/check" --dump "$out/reference.txt"

step "evalcheck: emitted reference vs netc's evaluator"
"$evalcheck" "$net" "$out/reference.txt" "$@"
