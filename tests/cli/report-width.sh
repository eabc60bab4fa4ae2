#!/usr/bin/env bash
# The report table fits a terminal (COLUMNS, else its size, else 100) with
# every row's name unique; on a pipe, in a file (-o) and with --wide nothing
# is shortened, and the three agree.
#
# usage: report-width.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
net=examples/mobilenetv2.net
on_tty() { # COLUMNS ARGS...: netc on a terminal of COLUMNS columns, stdout to $work/tty.txt
  local cols=$1
  shift
  COLUMNS=$cols TERM=xterm script -qec "'$netc' $*" /dev/null | tr -d '\r' >"$work/tty.txt"
}
# The body of the layer table: the lines between the first two rules.
body() { awk '/^-----/ { n++; next } n == 1' "$1"; }
longest() { awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$1"; }

on_tty 120 --report "$net"
check "a terminal of 120 columns: every line fits" test "$(longest "$work/tty.txt")" -le 120
check "names were shortened" grep -q '\.\.\.' "$work/tty.txt"
body "$work/tty.txt" | awk '{ print $1 }' | sort | uniq -d >"$work/dups.txt"
check "no two rows show the same name" test ! -s "$work/dups.txt"

# ResNet-50's unique names need 38 columns: on 100 and 80 columns, columns
# that other columns imply hide first, and a note under the table says which.
# (The header's facts wrap at 100 columns whatever the terminal.)
for cols in 100 80; do
  on_tty $cols --report examples/resnet50.net
  sed -n '/^layer /,/^(hidden/p' "$work/tty.txt" >"$work/table.txt"
  check "resnet50 on $cols columns: every line of the table fits" \
    test "$(longest "$work/table.txt")" -le $cols
  check "... the hidden columns are named" \
    grep -q "^(hidden: .*FLOPs.*; --wide shows all)" "$work/tty.txt"
  body "$work/tty.txt" | awk '{ print $1 }' | sort | uniq -d >"$work/dups.txt"
  check "... no two rows show the same name" test ! -s "$work/dups.txt"
done
check "on 80 columns, time and %time stay" grep -q "^layer .* shape  *time  *%time$" "$work/tty.txt"
on_tty 100 --report "$net"
check "mobilenetv2 on 100 columns keeps bytes and bound" grep -q " bytes bound " "$work/tty.txt"

"$netc" --report "$net" >"$work/pipe.txt"
"$netc" --report "$net" -o "$work/file.txt"
on_tty 120 --report --wide "$net"
check "a pipe shortens and hides nothing" test "$(grep -c '\.\.\.\|^(hidden' "$work/pipe.txt")" = 0
check "-o FILE is the same" cmp -s "$work/pipe.txt" "$work/file.txt"
check "--wide on a terminal is the same" cmp -s "$work/pipe.txt" "$work/tty.txt"
check "the pipe is wider than 120 columns" test "$(longest "$work/pipe.txt")" -gt 120
[ "$fails" = 0 ]
