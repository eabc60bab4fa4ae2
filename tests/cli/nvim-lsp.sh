#!/usr/bin/env bash
# netc lsp with a real editor: Neovim headless, its built-in LSP client
# (tests/cli/nvim-lsp.lua), opens examples/mobilenetv2.net, receives its
# diagnostics (none), hovers on a block call (its output shape and costs),
# then breaks a line and receives the error. Skipped (77) without nvim.
set -euo pipefail
netc=$(realpath "$1")
command -v nvim >/dev/null || { echo "SKIP: nvim is not installed"; exit 77; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/examples/mobilenetv2.net" "$tmp/"
cd "$tmp"
export NETC="$netc" NETC_STDLIB="$root/stdlib" NVIM_LSP_OUT="$tmp/out.txt"
export NVIM_LSP_LINE=$(grep -n 'x = conv_bn_act(x, c, k=3' mobilenetv2.net | cut -d: -f1)
export NVIM_LSP_WORD=conv_bn_act
HOME="$tmp" XDG_CONFIG_HOME="$tmp" XDG_DATA_HOME="$tmp" XDG_STATE_HOME="$tmp" \
  timeout 120 nvim --headless -u NONE -i NONE -n \
  -c "luafile $root/tests/cli/nvim-lsp.lua" mobilenetv2.net </dev/null >"$tmp/nvim.log" 2>&1 || {
  echo "nvim failed:"; cat "$tmp/nvim.log"; cat "$tmp/out.txt" 2>/dev/null; exit 1; }
cat out.txt
fail() { echo "FAIL: $1"; exit 1; }
grep -qx 'client started' out.txt || fail "the client did not start"
# The first publication: the example has no errors.
[[ $(grep -m1 '^diagnostics ' out.txt) == "diagnostics 0" ]] || fail "first diagnostics not empty"
grep -qF 'hover **conv_bn_act** (block) → `f32[1,32,112,112]`' out.txt || fail "hover: no output shape"
grep -qF 'hover | params | 896 |' out.txt || fail "hover: no params"
grep -qE '^hover \| time \| [0-9.]+ us \|$' out.txt || fail "hover: no time"
grep -qE "^diagnostic $NVIM_LSP_LINE 1 unknown name 'undefined_block'" out.txt ||
  fail "no error after the edit"
grep -q 'timeout' out.txt && fail "a wait timed out"
echo "PASS"
