#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with ASan + UBSan) and fuzzes each for
# SECONDS (default 60) on top of the committed corpus. First every committed
# input (tests/fuzz/corpus and tests/fuzz/regressions) is replayed once: a
# crash found earlier must stay fixed.
#
#   scripts/fuzz.sh [SECONDS]                 CI: replay, then a bounded run
#   FUZZ_JOBS=2 scripts/fuzz.sh 3600          a long local run
#   FUZZ_MERGE=1 scripts/fuzz.sh 600          also merge new coverage into tests/fuzz/corpus
#   FUZZ_SANITIZERS=undefined FUZZ_JOBS=2 scripts/fuzz.sh 3600
#                                             UBSan only (build-fuzz-undefined/): ~3.8x the
#                                             executions; replay its corpus under ASan after:
#                                             build-fuzz/fuzz_pipeline -runs=0 build-fuzz-undefined/corpus-fuzz_pipeline
#
# A crash leaves its input in build-fuzz/artifacts/; copy it to
# tests/fuzz/regressions/ with the fix. -entropic=0: libFuzzer's entropic
# scheduler spent 69% of the time updating feature frequencies here (netc's
# inputs reach ~75k features), 5x the cost of running the input.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
sanitizers=${FUZZ_SANITIZERS:-address,undefined}
# Without ASan, also leave out libFuzzer's strcmp/memcmp interceptors (another
# 1.4x; see tests/fuzz/CMakeLists.txt).
if [ "$sanitizers" = address,undefined ]; then
  build=${FUZZ_BUILD_DIR:-build-fuzz}
  interceptors=ON
else
  build=${FUZZ_BUILD_DIR:-build-fuzz-${sanitizers//,/-}}
  interceptors=OFF
fi
cc=$(command -v clang-14 || command -v clang)
cxx=$(command -v clang++-14 || command -v clang++)
CC=$cc CXX=$cxx cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETC_FUZZ=ON \
  -DNETC_SANITIZE=ON "-DNETC_SANITIZERS=$sanitizers" -DNETC_FUZZ_INTERCEPTORS=$interceptors >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_pipeline fuzz_structured fuzz_onnx fuzz_fmt fuzz_lexer

mkdir -p "$build/artifacts"
# Seeds: the committed corpus, every test input and example, the stdlib.
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
i=0
while IFS= read -r f; do
  cp "$f" "$seeds/seed-$i.net"
  i=$((i + 1))
done < <(find examples stdlib tests/golden tests/kernels tests/emit -name '*.net' | sort)
# fuzz_onnx's seeds: the ONNX test models (fuzz_onnx reads bytes as a model).
onnx_seeds=$(mktemp -d)
trap 'rm -rf "$seeds" "$onnx_seeds"' EXIT
cp tests/onnx/models/*.onnx tests/onnx/bad/*.onnx "$onnx_seeds/"

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for target in fuzz_pipeline fuzz_structured fuzz_onnx fuzz_fmt fuzz_lexer; do
  target_seeds=$seeds dict=-dict=tests/fuzz/netc.dict max_len=8192
  if [ "$target" = fuzz_onnx ]; then
    target_seeds=$onnx_seeds dict= max_len=65536
  fi
  echo "== $target: replaying $(ls tests/fuzz/corpus tests/fuzz/regressions | wc -l) committed inputs"
  "$build/$target" -runs=0 -entropic=0 -rss_limit_mb=2048 -timeout=10 tests/fuzz/corpus tests/fuzz/regressions \
    >"$build/$target.replay.log" 2>&1 || { tail -50 "$build/$target.replay.log"; exit 1; }
  if [ -n "${FUZZ_RUNS:-}" ]; then
    echo "== $target: fuzzing $FUZZ_RUNS runs, seed ${FUZZ_SEED:-1}"
  else
    echo "== $target: fuzzing ${seconds}s"
  fi
  work="$build/corpus-$target"
  mkdir -p "$work"
  # FUZZ_RUNS=N: a fixed number of runs from a fixed seed (CI: reproducible)
  # instead of a time bound.
  if [ -n "${FUZZ_RUNS:-}" ]; then
    bound="-runs=$FUZZ_RUNS -seed=${FUZZ_SEED:-1}"
  else
    bound="-max_total_time=$seconds"
  fi
  # shellcheck disable=SC2086
  "$build/$target" "$work" "$target_seeds" $dict -entropic=0 $bound \
    -timeout=10 -rss_limit_mb=2048 -max_len=$max_len -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$target-" ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
    >"$build/$target.log" 2>&1 || {
      tail -60 "$build/$target.log" fuzz-*.log 2>/dev/null
      echo "FAIL: $target found a problem; the input is in $build/artifacts/" >&2
      exit 1
    }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$build/$target.log" | tail -3
  if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$target" != fuzz_onnx ]; then
    "$build/$target" -merge=1 -max_len=8192 tests/fuzz/corpus "$work" >/dev/null 2>&1
  fi
done
echo "fuzz: no crash, leak or timeout"
