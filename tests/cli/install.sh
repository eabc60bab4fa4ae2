#!/usr/bin/env bash
# `cmake --install` gives a relocatable netc: the prefix moved elsewhere, the
# installed binary still finds its own stdlib (not the source tree's); the
# man page and the bash and zsh completions know every option of --help.
#
# usage: install.sh BUILD_DIR   (run from the source root)
set -uo pipefail
build=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
cmake --install "$build" --prefix "$work/prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
mv "$work/prefix" "$work/moved" # relocated after installing
netc=$work/moved/bin/netc
check "the binary is installed" test -x "$netc"
check "the stdlib is installed" test -f "$work/moved/share/netc/stdlib/blocks.net"
# A block only the installed stdlib has: found only if netc looks there.
printf 'block only_installed(x) {\n  return relu(x)\n}\n' \
  >"$work/moved/share/netc/stdlib/only_installed.net"
printf 'import "std/only_installed.net"\nnetwork n() {\n  return only_installed(input([1, 4]))\n}\n' \
  >"$work/m.net"
check "the relocated netc finds its own stdlib" bash -c 'cd / && env -u NETC_STDLIB "$1" "$2"' _ \
  "$netc" "$work/m.net"
check "and reports the zoo from anywhere" bash -c \
  'cd / && env -u NETC_STDLIB "$1" --report "$2" | grep -q "^network      mobilenet_v2"' _ \
  "$netc" "$PWD/examples/mobilenetv2.net"
man1=$work/moved/share/man/man1/netc.1
bashc=$work/moved/share/bash-completion/completions/netc
zshc=$work/moved/share/zsh/site-functions/_netc
for f in "$man1" "$bashc" "$zshc"; do check "installed: ${f#"$work/moved/"}" test -s "$f"; done
for opt in $("$netc" --help | sed -n 's/^  \(-[-A-Za-z0-9]*\).*/\1/p'); do
  grep -qF -- "$opt" "$man1" && grep -qF -- "$opt" "$bashc" && grep -qF -- "$opt" "$zshc" ||
    { echo "FAIL: $opt is missing from the man page or a completion" >&2; fails=$((fails + 1)); }
done
check "the bash completion completes options" bash -c \
  '. "$1"; COMP_WORDS=(netc --rep); COMP_CWORD=1; _netc; [[ " ${COMPREPLY[*]} " == *" --report "* ]]' \
  _ "$bashc"
[ "$fails" = 0 ]
