#!/usr/bin/env bash
# Compares netc's params and MACs of every zoo example with the reference
# numbers in tests/zoo/reference.txt (written by scripts/zoo_reference.py for
# the torchvision networks and scripts/llm_reference.py for the LLMs).
# A row is `name params macs [active=N] [-D NAME=VALUE ...]`: active params
# (a mixture of experts) are compared with the report's active_params, and
# the -D arguments are netc's (the LLMs: -D seq=128); a row without any is
# compiled at 224x224 (-D res=224), as torchvision's reference.
# usage: tests/zoo/check-zoo.sh [NETC [NAME]]   (default: build/netc, every
# example; run from the repo root). ctest runs it once per example.
set -u
netc=${1:-build/netc}
only=${2:-}
here=$(dirname "$0")
status=0
found=0
printf '%-20s %13s %13s %16s %16s  %s\n' network params ref_params macs ref_macs result
while read -r name params macs rest; do
  case $name in ''|'#'*) continue ;; esac
  [ -n "$only" ] && [ "$name" != "$only" ] && continue
  found=1
  file=examples/$name.net
  [ "$name" = mobilenet_v2 ] && file=examples/mobilenetv2.net
  active=
  args=()
  set -- $rest
  while [ $# -gt 0 ]; do
    case $1 in
      active=*) active=${1#active=} ;;
      -D) args+=(-D "$2"); shift ;;
      *) echo "$name: unknown field '$1' in reference.txt"; status=1 ;;
    esac
    shift
  done
  [ ${#args[@]} -eq 0 ] && args=(-D res=224)
  json=$("$netc" --report -O0 --format json --top 0 "${args[@]}" "$file") || { echo "$name: netc failed"; status=1; continue; }
  totals=$(printf '%s\n' "$json" | grep '"totals"')
  p=$(printf '%s' "$totals" | sed -n 's/.*"params": \([0-9]*\).*/\1/p')
  m=$(printf '%s' "$totals" | sed -n 's/.*"macs": \([0-9]*\).*/\1/p')
  a=$(printf '%s' "$totals" | sed -n 's/.*"active_params": \([0-9]*\).*/\1/p')
  r=ok
  if [ "$p" != "$params" ] || [ "$m" != "$macs" ]; then r=MISMATCH; status=1; fi
  if [ -n "$active" ] && [ "$a" != "$active" ]; then r="MISMATCH (active params $a, reference $active)"; status=1; fi
  if [ -z "$active" ] && [ -n "$a" ] && [ "$a" != "$p" ]; then r="MISMATCH (active params $a, reference none)"; status=1; fi
  printf '%-20s %13s %13s %16s %16s  %s\n' "$name" "$p" "$params" "$m" "$macs" "$r"
  [ -n "$active" ] && printf '%-20s %13s %13s\n' "  active params" "$a" "$active"
done < "$here/reference.txt"
if [ "$found" = 0 ]; then
  echo "no reference numbers for '${only}'"
  exit 1
fi
exit $status
