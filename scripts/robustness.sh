#!/usr/bin/env bash
# The robustness checks CI runs after the test suite (issue 8):
#  1. everything built with clang, AddressSanitizer and UndefinedBehaviorSanitizer
#     (and libFuzzer's coverage instrumentation) into build-asan/, and the whole
#     test suite run under it;
#  2. each libFuzzer target replays the committed corpus and regressions, then
#     fuzzes for FUZZ_SECONDS (default 60) from the same build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export BUILD_DIR=${ASAN_BUILD_DIR:-$root/build-asan}
CC=$(command -v clang-14 || command -v clang) CXX=$(command -v clang++-14 || command -v clang++) \
  scripts/build.sh -DNETC_SANITIZE=ON -DNETC_FUZZ=ON
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"
# A fixed number of runs from a fixed seed, so CI is reproducible (about a
# minute per target here); FUZZ_RUNS= (empty) gives a time-bounded run.
FUZZ_RUNS=${FUZZ_RUNS-10000} FUZZ_BUILD_DIR=$BUILD_DIR scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
