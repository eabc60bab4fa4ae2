#!/usr/bin/env bash
# `netc calibrate -o FILE` follows netc's -o rules: an existing file it did
# not write (a profile starts "# Written by `netc calibrate") needs --force,
# checked before measuring; a failed write (a full device, standard output)
# is an error, exit 1, and never "wrote FILE".
#
# usage: calibrate-output.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

# Refusals come before the measurements, so these are quick.
echo "my notes" >"$work/notes.txt"
cp tests/emit/small.net "$work/source.net"
cp tests/golden/report/lib/calibrated_hw.net "$work/handmade.net" # starts with another comment
for f in notes.txt source.net handmade.net; do
  cp "$work/$f" "$work/$f.orig"
  "$netc" calibrate --quick -o "$work/$f" >/dev/null 2>"$work/err"
  check "calibrate -o $f (not its output) exits 1" test $? -eq 1
  check "... naming --force" grep -q -- "--force" "$work/err"
  check "... leaving it untouched" cmp -s "$work/$f" "$work/$f.orig"
done
mkdir "$work/dir"
"$netc" calibrate --quick -o "$work/dir" >/dev/null 2>&1
check "calibrate -o DIR exits 1" test $? -eq 1
"$netc" calibrate --help | grep -q -- "--force"
check "the usage lists --force" test $? -eq 0
"$netc" calibrate --help >/dev/full 2>"$work/err"
check "calibrate --help >/dev/full exits 1" test $? -eq 1 -a -n "$(grep 'standard output' "$work/err")"

# A profile it wrote is replaced without --force (a few seconds each run).
printf '# Written by `netc calibrate --quick` on an earlier day.\nhardware host {\n}\n' \
  >"$work/host.net"
"$netc" calibrate --quick -o "$work/host.net" >/dev/null 2>"$work/err"
check "calibrate -o its own earlier profile" test $? -eq 0 -a -n "$(grep 'peak_fp32' "$work/host.net")"
check "no temporary is left" test -z "$(ls -A "$work" | grep -F '.tmp-')"

# Write errors.
"$netc" calibrate --quick -o /dev/full >/dev/null 2>"$work/err"
check "calibrate -o /dev/full exits 1" test $? -eq 1
check "... with the reason" grep -q "No space left on device" "$work/err"
check "... and does not claim it wrote it" test -z "$(grep wrote "$work/err")"
"$netc" calibrate --quick >/dev/full 2>"$work/err"
check "calibrate >/dev/full exits 1" test $? -eq 1
check "... saying so" grep -q "netc calibrate: error: cannot write to standard output: No space left on device" "$work/err"

exit $((fails > 0))
