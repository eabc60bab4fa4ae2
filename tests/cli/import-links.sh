#!/usr/bin/env bash
# Imports through symbolic links: a loop of links is named as such, a link to
# a missing file says the file is missing (not "cannot find"), and a working
# link is followed.
#
# usage: import-links.sh NETC
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
expect() { # expect DESCRIPTION EXIT-CODE TEXT FILE.net
  local out code
  out=$("$netc" "$4" 2>&1)
  code=$?
  if [ "$code" = "$2" ] && grep -qF -- "$3" <<<"$out"; then
    echo "ok: $1"
  else
    echo "FAIL: $1 (exit $code, wanted $2 and '$3'):" >&2
    echo "$out" >&2
    fails=$((fails + 1))
  fi
}
cd "$work" || exit 1
ln -s b.net a.net
ln -s a.net b.net
ln -s nowhere.net dangling.net
printf 'block b(x) {\n  return relu(x)\n}\n' >blocks.net
ln -s blocks.net link.net
printf 'import "a.net"\nnetwork n() {\n  return input([1])\n}\n' >loop.net
printf 'import "dangling.net"\nnetwork n() {\n  return input([1])\n}\n' >dangling-user.net
printf 'import "link.net"\nnetwork n() {\n  return b(input([1, 2]))\n}\n' >linked.net
expect "a loop of links is named" 1 \
  "loop.net:1:8: error: cannot open 'a.net': it is a loop of symbolic links" loop.net
expect "a dangling link is a missing file" 1 \
  "dangling-user.net:1:8: error: cannot open 'dangling.net': no such file or directory" \
  dangling-user.net
expect "a link is followed" 0 "" linked.net
[ "$fails" = 0 ]
