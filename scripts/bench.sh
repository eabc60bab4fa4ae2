#!/usr/bin/env bash
# Benchmarks netc (issue 9): builds build-bench/ (Release, -DNETC_BENCH=ON) and
# runs
#   1. the Google Benchmark stages of bench/netc_bench.cpp: load, elaborate,
#      passes, cost, table, json and the whole pipeline, for every network in
#      examples/ and for synthetic chains of 1k..1M layers (time_per_layer);
#   2. hyperfine on the whole process: netc --report examples/resnet50.net,
#      netc --version, and side by side PyTorch counting the same network
#      (scripts/torch-count.py, Debian's /usr/bin/python3 with torchvision);
#   3. a MobileNetV2 sweep (variants per second);
#   4. netc --report on a 1M-layer chain (scripts/gen-synthetic.py), with
#      time and peak RSS from /usr/bin/time;
#   5. netc lsp re-analysing edited examples (scripts/lsp-bench.py: from a
#      didChange to its diagnostics);
#   then each of issue 22's targets beside its measured figure.
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
targets=$tmp/targets.txt
: >"$targets"
median() { # the median of hyperfine's JSON (seconds) -> ms
  python3 -c 'import json,sys; print("%.2f" % (1000 * json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"]))' "$@"
}

echo "== whole process: netc --report examples/resnet50.net, and PyTorch counting the same network"
# Side by side in one run (issue 22): netc's report, start to finish, against
# import torch + the torchvision model + one forward pass with counting hooks
# (scripts/torch-count.py), and netc --version (start-up alone).
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 3 -r 30 --export-json "$tmp/netc.json" \
    "$BUILD/netc --report examples/resnet50.net" "$BUILD/netc --version"
  netc_ms=$(median "$tmp/netc.json" 0)
  version_ms=$(median "$tmp/netc.json" 1)
  if /usr/bin/python3 -c 'import torchvision' 2>/dev/null; then
    hyperfine -N -w 1 -r 5 --export-json "$tmp/torch.json" \
      "/usr/bin/python3 scripts/torch-count.py resnet50" \
      "$BUILD/netc --report examples/resnet50.net"
    torch_ms=$(median "$tmp/torch.json" 0)
    netc2_ms=$(median "$tmp/torch.json" 1)
    ratio=$(python3 -c "print('%.0f' % ($torch_ms / $netc2_ms))")
    echo "torch vs netc (same run): $torch_ms ms / $netc2_ms ms = ${ratio}x   (target >= 200x)" >>"$targets"
  else
    echo "torch vs netc: python3-torchvision is not installed" >>"$targets"
  fi
  echo "netc --report examples/resnet50.net: $netc_ms ms median   (target <= 5 ms)" >>"$targets"
  echo "netc --version (start-up alone): $version_ms ms median" >>"$targets"
else
  echo "(hyperfine not installed: apt-get install hyperfine)"
fi

echo "== sweep: MobileNetV2 variants per second"
sweep_args=(--report examples/mobilenetv2.net --sweep width=0.25:2.0:0.0025 --sweep res=96:224:32
            --format csv)
start=$(date +%s.%N)
variants=$("$BUILD/netc" "${sweep_args[@]}" | tail -n +2 | wc -l)
end=$(date +%s.%N)
rate=$(python3 -c "print('%.0f' % ($variants / ($end - $start)))")
echo "sweep: $variants MobileNetV2 variants in $(python3 -c "print('%.2f' % ($end - $start))") s = $rate variants/s   (target >= 10,000/s)" | tee -a "$targets"

echo "== whole process: netc --report on 1M layers"
for kind in chain-loop chain-literal; do
  python3 scripts/gen-synthetic.py "$kind" 1000000 -o "$tmp/$kind.net"
  /usr/bin/time -o "$tmp/time" -f "%e %M" "$BUILD/netc" --report --max-file-size 100000000 \
    "$tmp/$kind.net" >/dev/null
  read -r wall rss <"$tmp/time"
  echo "$kind 1,000,000 layers: $wall s wall, peak RSS $((rss / 1024)) MiB   (target <= 1 s, <= 1024 MiB)" |
    tee -a "$targets"
done

echo "== netc lsp: re-analysis of an edited example, from didChange to its diagnostics"
python3 scripts/lsp-bench.py "$BUILD/netc" examples/*.net --edits 20 | tee "$tmp/lsp.txt"
echo "netc lsp re-analysis, slowest example's median: $(tail -1 "$tmp/lsp.txt" | grep -o '[0-9.]* ms')   (target <= 20 ms)" >>"$targets"
echo "== issue 22's targets (medians, this machine)"
cat "$targets"
