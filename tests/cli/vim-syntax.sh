#!/usr/bin/env bash
# editors/vim in a real editor: Debian's neovim (or Vim when nvim is missing),
# headless, with editors/vim on its runtimepath, opens .net files and the
# checks read the syntax groups it gives:
# - an example is filetype netc, with the syntax and the ftplugin loaded
#   (b:current_syntax, shiftwidth, commentstring) and no error message;
# - in a sample covering the language, each listed word gets its group
#   (keywords, numbers, strings and escapes, both comment kinds, declarations,
#   calls, keyword arguments, pipe targets, operators, hardware units, and the
#   grammar's errors: BAD_NUMBER, an unknown escape);
# - no character of examples/*.net or stdlib/*.net is highlighted as Error.
# Exit 77 (skipped) when neither nvim nor vim is installed.
#
# usage: vim-syntax.sh   (run from the source root)
set -uo pipefail
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

if command -v nvim >/dev/null; then
  editor=(nvim --headless -u NONE -i NONE -n)
elif command -v vim >/dev/null; then
  editor=(vim -N -u NONE -i NONE -n -es)
else
  echo "skipped: neither nvim nor vim is installed (scripts/deps.sh installs neovim)"
  exit 77
fi
echo "editor: ${editor[0]}"

# Runs the editor on FILE with editors/vim, then SCRIPT; SCRIPT writes $work/out.
run() {
  local file=$1 script=$2
  rm -f "$work/out"
  timeout 60 "${editor[@]}" --cmd "set rtp^=$PWD/editors/vim" -c 'filetype plugin on' \
    -c 'syntax on' -c "edit $file" -S "$script" </dev/null >"$work/log" 2>&1
  [ -f "$work/out" ] || { echo "the editor wrote nothing:" >&2; cat "$work/log" >&2; }
}

# ---- an example: filetype, syntax, ftplugin
cat >"$work/settings.vim" <<'EOF'
call writefile([&filetype, get(b:, 'current_syntax', ''), &shiftwidth, &expandtab,
      \ &commentstring, v:errmsg], $WORK . '/out')
qa!
EOF
export WORK=$work
run examples/mobilenetv2.net "$work/settings.vim"
check "examples/mobilenetv2.net: filetype, syntax and ftplugin" \
  diff <(printf '%s\n' netc netc 2 1 '# %s' '') "$work/out"

# ---- a sample: LINE WORD GROUP (the group of WORD's first character, at
# its first occurrence on LINE; `-` for no group)
cat >"$work/sample.net" <<'EOF'
import "std/blocks.net"  # TODO: a comment
/* a block
   comment */
block f(x: tensor, k: int = 3) {
  y = conv2d(x, 1_000, k=k, bias=false)
  return y |> relu
}
hardware gpu { bandwidth = 76.8 GB/s  memory = 128 GiB }
network n(res: int = 224) {
  s = "a\tb\q"
  x = input([1, 3, res, res]) |> f(k=1)
  for i in range(2) { if i == 0 { x = x ** 2 } else { x = x // 2 ++ x } }
  z = 0x10 + 1e-5 + .5 + 1.5.5
  return none
}
EOF
cat >"$work/expected" <<'EOF'
1 import netcInclude
1 "std netcString
1 # netcComment
1 TODO netcTodo
2 /* netcComment
3 comment netcComment
4 block netcDefine
4 f( netcFuncName
4 tensor netcType
4 int netcType
4 3 netcNumber
5 conv2d netcFunction
5 1_000 netcNumber
5 k= netcKwarg
5 bias netcKwarg
5 false netcBoolean
6 return netcStatement
6 |> netcOperator
6 relu netcPipeTarget
8 hardware netcHardware
8 gpu netcHwName
8 76.8 netcFloat
8 GB/s netcUnit
8 128 netcNumber
8 GiB netcUnit
9 network netcDefine
9 n( netcFuncName
9 224 netcNumber
10 "a netcString
10 \t netcEscape
10 \q netcBadEscape
11 input netcFunction
11 f( netcFunction
11 k= netcKwarg
12 for netcRepeat
12 in netcRepeat
12 range netcBuiltin
12 if netcConditional
12 == netcOperator
12 else netcConditional
12 ** netcOperator
12 // netcOperator
12 ++ netcOperator
13 0x10 netcBadNumber
13 1e-5 netcFloat
13 .5 netcFloat
13 1.5.5 netcBadNumber
14 none netcConstant
EOF
cat >"$work/groups.vim" <<'EOF'
let s:out = []
for s:entry in readfile($WORK . '/expected')
  let [s:line, s:word, s:want] = split(s:entry)
  let s:col = stridx(getline(s:line), s:word) + 1
  let s:got = s:col > 0 ? synIDattr(synID(s:line, s:col, 1), 'name') : 'not-found'
  call add(s:out, s:line . ' ' . s:word . ' ' . (s:got ==# '' ? '-' : s:got))
endfor
call writefile(s:out, $WORK . '/out')
qa!
EOF
run "$work/sample.net" "$work/groups.vim"
check "a sample: the syntax groups" diff -u "$work/expected" "$work/out"

# ---- the repo's .net files: nothing highlighted as Error
cat >"$work/errors.vim" <<'EOF'
let s:out = []
for s:file in glob('examples/*.net', 0, 1) + glob('stdlib/*.net', 0, 1)
  execute 'edit ' . fnameescape(s:file)
  for s:l in range(1, line('$'))
    let s:text = getline(s:l)
    for s:c in range(1, len(s:text))
      if synIDattr(synIDtrans(synID(s:l, s:c, 1)), 'name') ==# 'Error'
        call add(s:out, s:file . ':' . s:l . ':' . s:c . ': ' . s:text)
        break
      endif
    endfor
  endfor
  call add(s:out, 'checked ' . s:file)
endfor
call writefile(s:out, $WORK . '/out')
qa!
EOF
run examples/mobilenetv2.net "$work/errors.vim"
check "examples/ and stdlib/ were all read" \
  test "$(grep -c '^checked ' "$work/out")" -eq "$(ls examples/*.net stdlib/*.net | wc -l)"
check "examples/ and stdlib/: no Error highlight" \
  test "$(grep -vc '^checked ' "$work/out")" -eq 0
grep -v '^checked ' "$work/out" >&2
[ "$fails" -eq 0 ] || exit 1
