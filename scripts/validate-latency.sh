#!/usr/bin/env bash
# One command for the README's validation table: calibrate this machine (the
# full run, one core: torch runs on one thread), time torch on the zoo, and
# compare. Results go to $OUT (default validation/): host.net, results.md.
#
#   scripts/validate-latency.sh [BUILD_DIR]   (default build; run from anywhere)
#
# Needs /usr/bin/python3 with python3-torch and python3-torchvision, and
# libopenblas0-pthread (without it torch's linear layers use the slow
# reference BLAS). Run it on a quiet machine: other load slows both sides.
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
       "would use the reference BLAS (apt-get install libopenblas0-pthread)" >&2
  exit 2
fi
mkdir -p "$out"
echo "== netc calibrate --single-core" >&2
"$netc" calibrate --single-core -o "$out/host.net"
echo "== timing torch and comparing" >&2
/usr/bin/python3 "$root/scripts/validate-latency.py" --netc "$netc" --hw "$out/host.net" \
  -o "$out/results.md" "$@"
echo "validate-latency: wrote $out/host.net and $out/results.md" >&2
