#!/usr/bin/env bash
# netc lsp's command line and broken streams: usage errors exit 2, --help 0;
# a malformed message header, a truncated message or the end of the input
# before `exit` end the server with status 1 (and a message for a broken
# stream); nothing is written to standard output but protocol messages.
set -uo pipefail
netc=$1
fail() { echo "FAIL: $1"; exit 1; }
expect() { # expect STATUS STDERR-PATTERN INPUT ARGS...
  local want=$1 pattern=$2 input=$3; shift 3
  out=$(printf '%b' "$input" | "$netc" lsp "$@" 2>/tmp/lsp-cli.$$); rc=$?
  err=$(cat /tmp/lsp-cli.$$); rm -f /tmp/lsp-cli.$$
  [[ $rc == "$want" ]] || fail "netc lsp $* <<< '$input': exit $rc, wanted $want ($err)"
  [[ -z $pattern || $err == *"$pattern"* ]] || fail "netc lsp $*: stderr '$err' lacks '$pattern'"
}
expect 2 "unknown argument '--bogus'" "" --bogus
expect 2 "--hw needs a value" "" --hw
expect 0 "" "" --help
[[ $("$netc" lsp --help) == usage:* ]] || fail "--help prints no usage"
expect 1 "a message header without Content-Length" 'X-Foo: 1\r\n\r\n{}'
expect 1 "a Content-Length that is not a number: 'ten'" 'Content-Length: ten\r\n\r\n'
expect 1 "the input ended inside a message" 'Content-Length: 100\r\n\r\n{"jsonrpc"'
expect 1 "a message of 99999999999 bytes" 'Content-Length: 99999999999\r\n\r\n'
# The end of the input without shutdown and exit: status 1, silently.
expect 1 "" ""
# exit without shutdown: 1; after shutdown: 0 (the transcripts check the replies).
expect 1 "" 'Content-Length: 33\r\n\r\n{"jsonrpc":"2.0","method":"exit"}'
echo PASS
