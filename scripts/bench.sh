#!/usr/bin/env bash
# Benchmarks netc (issue 9): builds build-bench/ (Release, -DNETC_BENCH=ON) and
# runs
#   1. the Google Benchmark stages of bench/netc_bench.cpp: load, elaborate,
#      passes, cost, table, json and the whole pipeline, for every network in
#      examples/ and for synthetic chains of 1k..1M layers (time_per_layer);
#   2. hyperfine on the whole process: netc --report examples/resnet50.net;
#   3. netc --report on a 1M-layer chain (scripts/gen-synthetic.py), with
#      time and peak RSS from /usr/bin/time.
# Not part of the test suite. Takes under 3 minutes on 2 cores (after the
# build). Extra arguments go to netc_bench (e.g. --benchmark_filter=pipeline/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
JOBS=${JOBS:-2}

cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DNETC_BENCH=ON -DNETC_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target netc netc_bench

echo "== stage benchmarks (netc_bench)"
# The 1M-layer chain is timed once per stage; the small networks repeat
# until 0.05 s.
"$BUILD/netc_bench" --benchmark_min_time=0.05 "$@"

echo "== whole process: netc --report examples/resnet50.net"
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 3 -r 30 "$BUILD/netc --report examples/resnet50.net"
else
  echo "(hyperfine not installed: apt-get install hyperfine)"
fi

echo "== whole process: netc --report on 1M layers"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for kind in chain-loop chain-literal; do
  python3 scripts/gen-synthetic.py "$kind" 1000000 -o "$tmp/$kind.net"
  /usr/bin/time -f "$kind 1000000 layers: %e s wall, %U s user, %S s sys, peak RSS %M KiB" \
    "$BUILD/netc" --report "$tmp/$kind.net" >/dev/null
done
