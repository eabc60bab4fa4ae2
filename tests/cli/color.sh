#!/usr/bin/env bash
# Diagnostics are coloured on a terminal, as clang's are, and plain when
# NO_COLOR is set or stderr is not a terminal. `script` (util-linux) gives
# netc a pseudo-terminal.
#
# usage: color.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
bad=$work/bad.net
printf 'network n() {\n  x = input([1, 3, 8, 8])\n  return conv2d(x, 4, k=9)\n}\n' >"$bad"
esc=$(printf '\033')
on_tty() { TERM=xterm script -qec "$*" /dev/null; }

out=$(on_tty "'$netc' '$bad'")
check "a terminal gets a bold red 'error:'" grep -qF "${esc}[1;31merror: ${esc}[0m" <<<"$out"
check "and a green caret" grep -qF "${esc}[1;32m^${esc}[0m" <<<"$out"
check "the message is still all there" grep -qF "conv2d: output height would be 0" <<<"$out"
out=$(NO_COLOR=1 on_tty "'$netc' '$bad'")
check "NO_COLOR turns it off" bash -c '! grep -qF "$1" <<<"$2"' _ "$esc" "$out"
check "NO_COLOR keeps the message" grep -qF "error: conv2d: output height would be 0" <<<"$out"
out=$("$netc" "$bad" 2>&1)
check "a pipe gets no colour" bash -c '! grep -qF "$1" <<<"$2"' _ "$esc" "$out"
[ "$fails" = 0 ]
