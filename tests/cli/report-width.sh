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

"$netc" --report "$net" >"$work/pipe.txt"
"$netc" --report "$net" -o "$work/file.txt"
on_tty 120 --report --wide "$net"
check "a pipe shortens nothing" test "$(grep -c '\.\.\.' "$work/pipe.txt")" = 0
check "-o FILE is the same" cmp -s "$work/pipe.txt" "$work/file.txt"
check "--wide on a terminal is the same" cmp -s "$work/pipe.txt" "$work/tty.txt"
check "the pipe is wider than 120 columns" test "$(longest "$work/pipe.txt")" -gt 120
[ "$fails" = 0 ]
