#!/usr/bin/env bash
# -o FILE writes through a temporary file renamed into place: a failed run
# leaves an existing output byte-identical and no temporary behind; a file
# netc did not write is replaced only with --force.
#
# usage: output-file.sh NETC   (run from the source root)
set -uo pipefail
netc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: some checks cd
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
good=tests/emit/small.net
bad=$work/bad.net
printf 'network bad() {\n  x = input([1, 3, 8, 8])\n  return conv2d(x, 4, k=9)\n}\n' >"$bad"

# Every output mode can replace its own earlier output without --force.
for mode in "--report" "--report --format json" "--report --format csv" "--report --format md" \
            "--opt-report" "--emit=ast" "--emit=graph" "--emit=opt-graph" "--emit=dot" \
            "--emit=dot -O0" "--emit=dot --dot-color bound" \
            "--emit=onnx" "--emit=onnx -O0" "--emit=onnx --weights random" \
            "--report --compare examples/resnet18.net" \
            "--report --format csv --compare examples/resnet18.net" \
            "--report --format md --compare examples/resnet18.net" \
            "--report --format json --compare examples/resnet18.net" \
            "--report --sweep res=8,16" "--report --sweep res=8,16 --format csv" \
            "--report --sweep res=8,16 --format json" "--report --sweep res=8,16 --format md" \
            "--report --format html" "--opt-report --format html" \
            "--report --format html --compare examples/resnet18.net" \
            "--report --sweep res=8,16 --format html"; do
  # shellcheck disable=SC2086
  "$netc" $mode "$good" -o "$work/out" >/dev/null 2>&1 &&
    "$netc" $mode "$good" -o "$work/out" >/dev/null 2>&1
  check "$mode: rewrites its own output" test $? -eq 0
done

# A failed run leaves the previous output byte-identical, and no temporary.
"$netc" --report "$good" -o "$work/report.txt" >/dev/null 2>&1
cp "$work/report.txt" "$work/before.txt"
"$netc" --report "$bad" -o "$work/report.txt" >/dev/null 2>"$work/err"
check "a bad input exits 1" test $? -eq 1
check "with a located error" grep -q "bad.net:3:10: error:" "$work/err"
check "the previous output is byte-identical" cmp -s "$work/before.txt" "$work/report.txt"
check "no temporary file is left" test -z "$(ls "$work" | grep -F '.tmp-')"

# A file netc did not write is refused, untouched; --force replaces it.
echo "my notes" >"$work/notes.txt"
"$netc" --report "$good" -o "$work/notes.txt" >/dev/null 2>"$work/err"
check "a foreign file is refused (exit 1)" test $? -eq 1
check "the refusal names --force" grep -q -- "--force" "$work/err"
check "the foreign file is untouched" test "$(cat "$work/notes.txt")" = "my notes"
# A web page of the user's is not taken for netc's HTML report.
printf '<!DOCTYPE html>\n<html><body>my page</body></html>\n' >"$work/page.html"
"$netc" --report --format html "$good" -o "$work/page.html" 2>"$work/err"
check "a foreign HTML page is refused (exit 1)" test $? -eq 1
check "... untouched" grep -q "my page" "$work/page.html"
"$netc" --report "$good" -o "$work/notes.txt" --force >/dev/null 2>&1
check "--force replaces it" grep -q "^network " "$work/notes.txt"

# An empty file is fine; a directory is not a file; a device is written directly.
: >"$work/empty.txt"
"$netc" --report "$good" -o "$work/empty.txt" >/dev/null 2>&1
check "an empty file is replaced" grep -q "^network " "$work/empty.txt"
mkdir "$work/dir"
"$netc" --report "$good" -o "$work/dir" >/dev/null 2>&1
check "a directory is an error" test $? -eq 1
"$netc" --report "$good" -o /dev/null >/dev/null 2>&1
check "-o /dev/null works and leaves it a device" test -c /dev/null

# Never over an input of the run, whatever --force says: the program, a file
# it imports, the --hw file; by identity, so another name counts too.
mkdir "$work/src" "$work/src/lib"
cp "$good" "$work/src/m.net"
printf 'block twice(x) {\n  return relu(relu(x))\n}\n' >"$work/src/lib/blk.net"
printf 'import "lib/blk.net"\nnetwork usesimport() {\n  x = input([1, 3, 8, 8])\n  return twice(x)\n}\n' \
  >"$work/src/main.net"
cp tests/golden/report/lib/calibrated_hw.net "$work/src/hw.net"
ln -s m.net "$work/src/link.net"
cp -r "$work/src" "$work/src.orig"
for force in "" --force; do
  for mode in "--emit=graph" "--emit=ast" "--report"; do
    for target in m.net link.net lib/../m.net; do
      "$netc" $mode "$work/src/m.net" -o "$work/src/$target" $force >/dev/null 2>"$work/err"
      check "$mode -o $target (its input) $force: refused" test $? -eq 1
      check "... saying it is an input" grep -q "input" "$work/err"
    done
  done
  "$netc" --emit=graph "$work/src/main.net" -o "$work/src/lib/blk.net" $force >/dev/null 2>&1
  check "-o over an imported file $force: refused" test $? -eq 1
  "$netc" --report "$work/src/m.net" --hw "$work/src/hw.net" -o "$work/src/hw.net" $force \
    >/dev/null 2>&1
  check "-o over the --hw file $force: refused" test $? -eq 1
done
check "every input is byte-identical" diff -r "$work/src.orig" "$work/src"
check "no temporary is left beside the inputs" test -z "$(ls -R "$work/src" | grep -F '.tmp-')"

# A .net source that is not an input starts like a graph dump ("network "):
# it is not taken for netc's output.
cp "$good" "$work/other.net"
printf 'network n()\n{\n  return input([1, 3, 8, 8])\n}\n' >"$work/other2.net"
for f in other.net other2.net; do
  cp "$work/$f" "$work/$f.orig"
  for mode in "--emit=graph" "--report"; do
    "$netc" $mode "$good" -o "$work/$f" >/dev/null 2>"$work/err"
    check "$mode -o a foreign source $f: refused" test $? -eq 1 -a -n "$(grep -- --force "$work/err")"
  done
  check "... untouched" cmp -s "$work/$f" "$work/$f.orig"
done

# Relative paths, with a parent folder, from the working directory; $TMPDIR
# (maybe on another file system) is never used.
mkdir "$work/rel"
src=$PWD
(cd "$work" && TMPDIR=/nonexistent "$netc" --report "$src/$good" -o rel/report.txt \
  >/dev/null 2>"$work/err")
check "-o rel/report.txt from the working directory" test $? -eq 0 -a -s "$work/rel/report.txt"

# Write errors are errors: on standard output, on a device.
"$netc" --report examples/resnet18.net >/dev/full 2>"$work/err"
check "--report >/dev/full exits 1" test $? -eq 1
check "... saying why" grep -q "netc: error: cannot write to standard output: No space left on device" "$work/err"
"$netc" --list-ops >/dev/full 2>"$work/err"
check "--list-ops >/dev/full exits 1" test $? -eq 1 -a -n "$(grep 'standard output' "$work/err")"
"$netc" --report "$good" -o /dev/full >/dev/null 2>"$work/err"
check "-o /dev/full exits 1" test $? -eq 1 -a -n "$(grep 'No space left' "$work/err")"

exit $((fails > 0))
