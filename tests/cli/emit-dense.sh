#!/usr/bin/env bash
# The C++ program of a DenseNet-like chain grows with its layers, not with its
# edges (issue 17: 2,000 concats, each over every tensor before it, used to
# emit 822 MB). Emits the chain of scripts/gen-synthetic.py dense-chain at 500
# and 2,000 layers: 4 times the layers may give at most 4.5 times the bytes
# (the square would give 16), and 2,000 layers stay under 8 KB a layer. Also
# checks that --max-emit-bytes still stops such a program, writing nothing.
# Sizes only: time is never asserted. The 2,000-layer program is not compiled
# (tests/kernels/concat_dense.net is, by the emit tests).
#
# usage: emit-dense.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

# The total size of the files netc wrote into DIR.
bytes() { cat "$1"/* | wc -c; }

for n in 500 2000; do
  python3 scripts/gen-synthetic.py dense-chain "$n" -o "$work/dense$n.net"
  "$netc" --emit=cpp "$work/dense$n.net" -o "$work/out$n" 2>"$work/err$n"
  check "dense-chain $n: emitted" test $? -eq 0 -a -f "$work/out$n/model.cpp"
done
small=$(bytes "$work/out500") big=$(bytes "$work/out2000")
echo "dense-chain: 500 layers $small bytes, 2000 layers $big bytes"
check "4x the layers, at most 4.5x the bytes ($small -> $big)" test $((big * 2)) -le $((small * 9))
check "2000 layers under 16,000,000 bytes ($big)" test "$big" -lt 16000000
check "one table of tensor lists serves every concat" \
  test "$(grep -c 'constexpr std::int64_t kList' "$work/out2000/model.cpp")" -eq 2

# The limit still holds: an error at the node that passes it, nothing written.
"$netc" --emit=cpp "$work/dense500.net" -o "$work/limited" --max-emit-bytes 1000000 \
  2>"$work/err" >/dev/null
rc=$?
check "--max-emit-bytes 1000000: exit 1 (got $rc)" test "$rc" -eq 1
check "... naming the limit" grep -q "error: cannot emit C++ for '.*': the generated program would pass 1000000 bytes" "$work/err"
check "... and writing nothing" test ! -e "$work/limited"

exit $((fails > 0))
