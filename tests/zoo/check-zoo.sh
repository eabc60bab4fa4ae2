#!/usr/bin/env bash
# Compares netc's params and MACs of every zoo example with the reference
# numbers in tests/zoo/reference.txt (written by scripts/zoo_reference.py).
# Every example is compiled at 224x224 (-D res=224), as the reference.
# usage: tests/zoo/check-zoo.sh [NETC [NAME]]   (default: build/netc, every
# example; run from the repo root). ctest runs it once per example.
set -u
netc=${1:-build/netc}
only=${2:-}
here=$(dirname "$0")
status=0
found=0
printf '%-20s %13s %13s %16s %16s  %s\n' network params ref_params macs ref_macs result
while read -r name params macs; do
  case $name in ''|'#'*) continue ;; esac
  [ -n "$only" ] && [ "$name" != "$only" ] && continue
  found=1
  file=examples/$name.net
  [ "$name" = mobilenet_v2 ] && file=examples/mobilenetv2.net
  json=$("$netc" --report -O0 --format json --top 0 -D res=224 "$file") || { echo "$name: netc failed"; status=1; continue; }
  totals=$(printf '%s\n' "$json" | grep '"totals"')
  p=$(printf '%s' "$totals" | sed -n 's/.*"params": \([0-9]*\).*/\1/p')
  m=$(printf '%s' "$totals" | sed -n 's/.*"macs": \([0-9]*\).*/\1/p')
  r=ok
  if [ "$p" != "$params" ] || [ "$m" != "$macs" ]; then r=MISMATCH; status=1; fi
  printf '%-20s %13s %13s %16s %16s  %s\n' "$name" "$p" "$params" "$m" "$macs" "$r"
done < "$here/reference.txt"
if [ "$found" = 0 ]; then
  echo "no reference numbers for '${only}'"
  exit 1
fi
exit $status
