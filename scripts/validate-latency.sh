#!/usr/bin/env bash
# One command for the README's validation table: calibrate this machine (the
# full run, one core: torch runs on one thread), time torch on the zoo (each
# network in its own fresh processes, jemalloc, one thread: see the docstring
# of validate-latency.py), and compare netc's predictions. Results go to $OUT
# (default validation/): host.net, host-classes.net (host.net without its
# kernel lines), results.md.
#
#   scripts/validate-latency.sh [BUILD_DIR] [validate-latency.py options]
#       (default build; run from anywhere), e.g.
#   HOST=validation/host.net scripts/validate-latency.sh build --runs 5 resnet18
#
# HOST=FILE reuses a profile written by `netc calibrate` and skips calibrating
# (a few minutes). Options after BUILD_DIR go to validate-latency.py: --runs,
# --warmup, --processes, --skip-measure, network names.
#
# Needs /usr/bin/python3 with python3-torch and python3-torchvision,
# libopenblas0-pthread (without it torch's linear layers and, on one thread
# at batch 1, its 1x1 convolutions run on the slow reference BLAS) and
# libjemalloc2 (without it torch re-faults freed buffers and a network's time
# moves 4x between processes). Run it on a quiet machine: other load slows
# both sides.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
shift || true
case $build in /*) ;; *) build=$root/$build ;; esac
out=${OUT:-$root/validation}
netc=$build/netc
[ -x "$netc" ] || { echo "validate-latency: no $netc; build netc first" >&2; exit 2; }
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "validate-latency: libopenblas0-pthread is not installed; torch's linear layers" \
       "and 1x1 convolutions would use the reference BLAS (apt-get install libopenblas0-pthread)" >&2
  exit 2
fi
if ! dpkg -s libjemalloc2 >/dev/null 2>&1 || [ ! -e /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ]; then
  echo "validate-latency: libjemalloc2 is not installed; torch's times would depend on" \
       "glibc's allocator state, up to 4x between processes (apt-get install libjemalloc2)" >&2
  exit 2
fi
mkdir -p "$out"
if [ -n "${HOST:-}" ]; then
  [ -f "$HOST" ] || { echo "validate-latency: HOST=$HOST: no such file" >&2; exit 2; }
  host=$HOST
  echo "== reusing the profile $host (HOST)" >&2
else
  host=$out/host.net
  echo "== netc calibrate --single-core" >&2
  "$netc" calibrate --single-core -o "$host"
fi
echo "== timing torch and comparing" >&2
/usr/bin/python3 "$root/scripts/validate-latency.py" --netc "$netc" --hw "$host" \
  --classes-hw "$out/host-classes.net" -o "$out/results.md" "$@"
echo "validate-latency: wrote $out/host-classes.net and $out/results.md" \
     "(profile $host)" >&2
