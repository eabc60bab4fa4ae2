#!/usr/bin/env bash
# --emit=cpp -o DIR writes a whole directory or nothing: a failed run leaves a
# previous output byte-identical and no partial files; a directory netc did
# not write is not touched without --force.
#
# usage: output-dir.sh NETC   (run from the source root)
set -uo pipefail
netc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: some checks cd
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
good=tests/emit/small.net
bad=$work/bad.net
printf 'network bad() {\n  x = input([1, 3, 8, 8])\n  return conv2d(x, 4, k=9)\n}\n' >"$bad"

# A new directory: complete, with netc's marker, and no temporary left.
"$netc" --emit=cpp "$good" -o "$work/out" >/dev/null 2>&1
check "a new directory is written" test -f "$work/out/kernels.h" -a -f "$work/out/.netc-output"
cp -r "$work/out" "$work/copy"

# A failing input leaves the previous output byte-identical.
"$netc" --emit=cpp "$bad" -o "$work/out" >/dev/null 2>"$work/err"
check "a bad input exits 1" test $? -eq 1
check "the error is located" grep -q "bad.net:3:10: error:" "$work/err"
check "the previous output is untouched" diff -r "$work/copy" "$work/out"
check "no temporary directory is left" test -z "$(ls "$work" | grep -E '\.(tmp|old)-')"

# A directory netc wrote is replaced whole: a stray file in it goes.
touch "$work/out/stray.txt"
"$netc" --emit=cpp "$good" -o "$work/out" -D res=16 >/dev/null 2>&1
check "netc's own directory is replaced" test ! -e "$work/out/stray.txt" -a -f "$work/out/model.h"
check "with the new content" grep -q "16, 16" "$work/out/model.h"

# A directory netc did not write needs --force; without it nothing changes.
mkdir "$work/mine"
echo keep >"$work/mine/notes.txt"
"$netc" --emit=cpp "$good" -o "$work/mine" >/dev/null 2>"$work/err"
check "a foreign directory is refused (exit 1)" test $? -eq 1
check "the refusal says --force" grep -q -- "--force" "$work/err"
check "the foreign directory is untouched" test "$(ls -A "$work/mine")" = notes.txt
"$netc" --emit=cpp "$good" -o "$work/mine" --force >/dev/null 2>&1
check "--force writes into it" test -f "$work/mine/kernels.h" -a "$(cat "$work/mine/notes.txt")" = keep

# An empty directory is fine; a regular file is not a directory.
mkdir "$work/empty"
"$netc" --emit=cpp "$good" -o "$work/empty" >/dev/null 2>&1
check "an empty directory is used" test -f "$work/empty/kernels.h"
echo data >"$work/file"
"$netc" --emit=cpp "$good" -o "$work/file" >/dev/null 2>"$work/err"
check "a file in the way is an error" test $? -eq 1 -a "$(cat "$work/file")" = data

# Relative paths from the working directory, a trailing '/', and the
# temporaries beside the target: never under $TMPDIR (another file system
# would fail the rename), here a directory that does not exist.
abs=$PWD/$good
mkdir "$work/cwd" "$work/cwd/sub"
(cd "$work/cwd" && TMPDIR=/nonexistent "$netc" --emit=cpp "$abs" -o out/ >/dev/null 2>"$work/err")
check "-o out/ (trailing slash) writes out" test -f "$work/cwd/out/kernels.h"
(cd "$work/cwd" && TMPDIR=/nonexistent "$netc" --emit=cpp "$abs" -o out/ >/dev/null 2>"$work/err")
check "-o out/ again replaces it" test $? -eq 0 -a -f "$work/cwd/out/kernels.h"
(cd "$work/cwd" && TMPDIR=/nonexistent "$netc" --emit=cpp "$abs" -o sub/cpp >/dev/null 2>"$work/err")
check "-o sub/cpp (relative, with a parent) writes it" test $? -eq 0 -a -f "$work/cwd/sub/cpp/model.h"
(cd "$work/cwd" && TMPDIR=/nonexistent "$netc" --emit=cpp "$abs" -o ./sub/../sub/cpp/ >/dev/null 2>&1)
check "-o ./sub/../sub/cpp/ replaces it" test $? -eq 0 -a -f "$work/cwd/sub/cpp/model.h"
check "no temporary directory is left" test -z "$(ls -R "$work/cwd" | grep -E '\.(tmp|old)-')"

# A netc directory holding an input of the run is not replaced.
"$netc" --emit=cpp "$good" -o "$work/holds" >/dev/null 2>&1
cp "$good" "$work/holds/in.net"
"$netc" --emit=cpp "$work/holds/in.net" -o "$work/holds" >/dev/null 2>"$work/err"
check "a directory holding the input is refused" test $? -eq 1 -a -f "$work/holds/in.net"

exit $((fails > 0))
