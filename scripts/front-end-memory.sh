#!/usr/bin/env bash
# Peak memory and time of the front end on its worst inputs (issue 17): the
# inputs of tests/cli/worst-case-memory.sh at two sizes,
#   lines-7MB   500,000 `x = relu(x)` lines in a network (about 7 MB)
#   list-1MB    a list of 500,000 integers (about 1 MB)
#   lines-8MiB  `x = relu(x)` lines filling the default --max-file-size
#   list-8MiB   a list of integers filling it
# each run as `netc ARGS FILE` (default ARGS: --report; `-` for none, which
# parses and elaborates only) under /usr/bin/time.
# Not part of the test suite; timings on a shared machine are noisy, peak RSS
# is the figure to compare.
#
# usage: front-end-memory.sh NETC [ARGS...]
set -euo pipefail
netc=$1
shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--report)
[ "${args[*]}" != - ] || args=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import sys
work = sys.argv[1]
limit = 8 * 1024 * 1024
head = "network n() {\n  x = input([1, 2])\n"
tail = "  return x\n}\n"
line = "  x = relu(x)\n"

def lines(name, count):
    with open(f"{work}/{name}.net", "w") as f:
        f.write(head + line * count + tail)

def ints(name, count):
    with open(f"{work}/{name}.net", "w") as f:
        f.write(head + "  y = [" + ",".join(["1"] * count) + "]\n" + tail)

lines("lines-7MB", 500000)
ints("list-1MB", 500000)
lines("lines-8MiB", (limit - len(head) - len(tail)) // len(line))
ints("list-8MiB", (limit - len(head) - len(tail) - 16) // 2)
PY

for f in lines-7MB list-1MB lines-8MiB list-8MiB; do
  size=$(stat -c %s "$tmp/$f.net")
  /usr/bin/time -f "%M %e" -o "$tmp/time" "$netc" ${args[@]+"${args[@]}"} "$tmp/$f.net" >/dev/null 2>"$tmp/err" ||
    { echo "$f: netc failed:" >&2; head -3 "$tmp/err" >&2; }
  read -r kib secs <"$tmp/time"
  awk -v f="$f" -v size="$size" -v kib="$kib" -v secs="$secs" 'BEGIN {
    printf "%-11s %9d bytes  peak RSS %5.0f MB (%3.0f bytes per byte)  %5.1f s\n",
           f, size, kib / 1000, kib * 1024 / size, secs }'
done
