#!/usr/bin/env bash
# -o FILE writes through a temporary file renamed into place: a failed run
# leaves an existing output byte-identical and no temporary behind; a file
# netc did not write is replaced only with --force.
#
# usage: output-file.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fails=$((fails + 1)); fi
}
good=tests/emit/small.net
bad=$work/bad.net
printf 'network bad() {\n  x = input([1, 3, 8, 8])\n  return conv2d(x, 4, k=9)\n}\n' >"$bad"

# Every output mode can replace its own earlier output without --force.
for mode in "--report" "--report --format json" "--report --format csv" "--report --format md" \
            "--opt-report" "--emit=ast" "--emit=graph" "--emit=opt-graph" \
            "--report --compare examples/resnet18.net" \
            "--report --format csv --compare examples/resnet18.net" \
            "--report --format md --compare examples/resnet18.net" \
            "--report --format json --compare examples/resnet18.net" \
            "--report --sweep res=8,16" "--report --sweep res=8,16 --format csv" \
            "--report --sweep res=8,16 --format json" "--report --sweep res=8,16 --format md"; do
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

exit $((fails > 0))
