#!/usr/bin/env bash
# `netc fmt`: rewrites files in place (and only files that change), `-`
# formats standard input to standard output, --check exits 1 with a diff for
# a file that is not formatted, a file that does not parse is left byte for
# byte as it was, usage errors exit 2, and formatting is idempotent on every
# .net file of the repository that parses.
#
# usage: fmt.sh NETC   (run from the source root)
set -uo pipefail
netc=$1
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails

messy='block f(x) { y=conv2d(x,16,k=3) ; return y|>relu }'
formatted='block f(x) {
  y = conv2d(x, 16, k=3)
  return y |> relu
}'
printf '%s\n' "$messy" >"$work/a.net"
printf '%s\n' "$formatted" >"$work/b.net"
chmod 640 "$work/a.net"
"$netc" fmt --check "$work/a.net" >"$work/diff" 2>&1
check "--check on an unformatted file exits 1" test $? -eq 1
check "--check prints a diff" grep -q '^+  y = conv2d(x, 16, k=3)$' "$work/diff"
check "--check does not write" diff <(printf '%s\n' "$messy") "$work/a.net"
"$netc" fmt "$work/a.net" "$work/b.net"
check "fmt exits 0" test $? -eq 0
check "the file is rewritten" diff <(printf '%s\n' "$formatted") "$work/a.net"
check "its permissions are kept" test "$(stat -c %a "$work/a.net")" = 640
check "no temporary file is left" test "$(ls "$work" | grep -c tmp)" = 0
"$netc" fmt --check "$work/a.net" "$work/b.net" >"$work/out" 2>&1
check "--check on formatted files exits 0 and prints nothing" \
  test $? -eq 0 -a ! -s "$work/out"
touch -d '2000-01-01' "$work/b.net"
"$netc" fmt "$work/b.net"
check "a formatted file is not written" test "$(stat -c %Y "$work/b.net")" = 946684800

printf '%s\n' "$messy" >"$work/target.net"
ln -s target.net "$work/link.net"
"$netc" fmt "$work/link.net"
check "through a symbolic link, the file it names is rewritten" \
  diff <(printf '%s\n' "$formatted") "$work/target.net"
check "... and the link stays a link" test -L "$work/link.net"

out=$(printf '%s\n' "$messy" | "$netc" fmt -)
check "- formats standard input to standard output" test "$out" = "$formatted"
out=$(printf '%s\n' "$messy" | "$netc" fmt --check - 2>&1)
check "--check - prints a diff of <stdin>" grep -q '^--- a/<stdin>$' <<<"$out"

bad='block f(x) {
  y = conv2d(x 16)    # a missing comma
  return y
}'
printf '%s' "$bad" >"$work/bad.net"
cp "$work/bad.net" "$work/bad.orig"
"$netc" fmt "$work/bad.net" "$work/a.net" 2>"$work/err"
check "a file that does not parse: exit 1" test $? -eq 1
check "its error is located" grep -q "bad.net:2:16: error: expected ',' or ')'" "$work/err"
check "it is left byte for byte" cmp -s "$work/bad.net" "$work/bad.orig"
"$netc" fmt --stdout "$work/bad.net" >/dev/null 2>&1
check "--stdout on it: exit 1" test $? -eq 1
"$netc" fmt "$work/missing.net" 2>"$work/err"
check "a missing file: exit 1" test $? -eq 1

for args in "" "--bogus x.net" "--width 5 x.net" "--width x.net" "--check --stdout x.net" "- -"; do
  # shellcheck disable=SC2086
  "$netc" fmt $args >/dev/null 2>"$work/err" </dev/null
  rc=$?
  check "usage error (netc fmt $args) exits 2" test "$rc" -eq 2
  check "... with a usage line" grep -q '^usage: netc fmt' "$work/err"
done
"$netc" fmt --help >"$work/help"
check "--help exits 0 and shows the usage" grep -q '^usage: netc fmt' "$work/help"

# Idempotence on the repository's files that parse (the unit tests also
# compare their syntax trees, at two widths).
n=0
while IFS= read -r f; do
  "$netc" fmt --stdout "$f" >"$work/once.net" 2>/dev/null || continue
  "$netc" fmt --stdout "$work/once.net" >"$work/twice.net" 2>"$work/err"
  check "idempotent: $f" cmp -s "$work/once.net" "$work/twice.net"
  n=$((n + 1))
done < <(find examples stdlib tests bench -name '*.net' | sort)
check "more than 300 files formatted" test "$n" -gt 300
[ "$fails" = 0 ]
