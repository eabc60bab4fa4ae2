#!/usr/bin/env bash
# A sweep on every core (driver/SweepWorkers.h, issue 22): the variants in
# chunks, all but the first in forked worker processes. Its output must be
# the same byte for byte, stdout and stderr, whatever the number of
# processes: rows in variant order, each variant's print() notes in order,
# failed variants with their errors, the first failure's diagnostics when
# every variant fails, exit codes alike.
#
# usage: sweep-workers.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
cat >"$work/sw.net" <<'NET'
network sw(c: int = 8, res: int = 16) {
  print("variant", c, res)
  x = input([1, 3, res, res])
  return x |> conv2d(c, k=3) |> relu |> global_avg_pool
}
NET
run() { # NAME WORKERS ARGS...: stdout, stderr and exit code into $work/NAME.WORKERS.*
  local name=$1 w=$2
  shift 2
  NETC_SWEEP_WORKERS=$w "$netc" "$@" >"$work/$name.$w.out" 2>"$work/$name.$w.err"
  echo $? >"$work/$name.$w.rc"
}
same() { # NAME: every worker count gave what one process gives
  local name=$1 w
  for w in 2 3 7; do
    cmp -s "$work/$name.1.out" "$work/$name.$w.out" && cmp -s "$work/$name.1.err" "$work/$name.$w.err" &&
      cmp -s "$work/$name.1.rc" "$work/$name.$w.rc" || return 1
  done
}
for w in 1 2 3 7; do
  # 600 variants, 400 of them failing (res 1 and 2), each printing a note.
  run mixed "$w" --report "$work/sw.net" --sweep c=1:200:1 --sweep res=1,2,16 --format csv
  # Every variant fails: exit 1 and the first one's diagnostics.
  run allfail "$w" --report "$work/sw.net" --sweep c=1:300:1 --sweep res=1 --format json
  run mobilenet "$w" --report examples/mobilenetv2.net --sweep width=0.5:1.5:0.005 --pareto
done
check "600 variants: 601 csv lines" test "$(wc -l <"$work/mixed.1.out")" -eq 601
check "... 600 notes and the warning on stderr" test "$(wc -l <"$work/mixed.1.err")" -eq 601
check "... the notes in variant order" \
  sh -c "grep -o 'variant [0-9]* [0-9]*' '$work/mixed.1.err' | head -4 | tr '\n' ';' | grep -q 'variant 1 1;variant 1 2;variant 1 16;variant 2 1;'"
check "mixed: 2, 3 and 7 processes give one process's output" same mixed
check "all fail: exit 1" test "$(cat "$work/allfail.1.rc")" = 1
check "all fail: 2, 3 and 7 processes alike" same allfail
check "MobileNetV2 with --pareto: 2, 3 and 7 processes alike" same mobilenet
exit $((fails > 0))
