#!/usr/bin/env bash
# --emit=onnx -o FILE: the model goes through -o's atomic path like every
# output of netc: it replaces an earlier ONNX file of netc's (recognised by
# its first bytes: ir_version 8, producer_name "netc"), never a foreign file
# without --force, never a file left half-written; and Debian's python3-onnx
# checks every example's model (optimized and -O0; one with --weights
# random) with onnx.checker.check_model(m, full_check=True), which also runs
# ONNX's strict shape inference against the shapes netc declared.
#
# With no ONNX runtime on Debian 12, tests/cli/onnx-numpy.py (a numpy
# interpreter of the operators netc writes) runs the --weights random models
# of every op (every_op.net without what has no ONNX form), of
# onnx-variants.net, of seven examples at 64x64 and of GPT-2 and Mixtral at a
# small size, optimized and -O0, and compares their outputs with netc's evaluator (NETC-EVALDUMP) within 1e-5.
#
# usage: onnx-output.sh NETC NETC-EVALDUMP   (run from the source root)
set -uo pipefail
netc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
evaldump=$2
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
good=tests/emit/small.net

"$netc" --emit=onnx "$good" -o "$work/m.onnx" 2>"$work/err"
check "writes a model" test $? -eq 0 -a -s "$work/m.onnx" -a ! -s "$work/err"
check "... that begins with netc's marker" \
  test "$(head -c 8 "$work/m.onnx" | od -An -c | tr -s ' ')" = " \b \b 022 004 n e t c"
cp "$work/m.onnx" "$work/first.onnx"
"$netc" --emit=onnx -O0 "$good" -o "$work/m.onnx" 2>"$work/err"
check "replaces its own earlier model without --force" test $? -eq 0
check "... with the graph as written" test -n "$(cmp "$work/m.onnx" "$work/first.onnx")"
"$netc" --emit=onnx "$good" -o "$work/again.onnx"
check "the same input gives the same bytes" cmp -s "$work/again.onnx" "$work/first.onnx"

# A foreign model (another producer) and any other file: refused, untouched.
printf '\x08\x08\x12\x07pytorch\x1a\x052.1.0' >"$work/theirs.onnx"
cp "$work/theirs.onnx" "$work/theirs.orig"
"$netc" --emit=onnx "$good" -o "$work/theirs.onnx" 2>"$work/err"
check "a foreign ONNX file is refused (exit 1)" test $? -eq 1
check "... naming --force" grep -q -- "--force" "$work/err"
check "... untouched" cmp -s "$work/theirs.onnx" "$work/theirs.orig"
"$netc" --emit=onnx "$good" -o "$work/theirs.onnx" --force 2>"$work/err"
check "--force replaces it" cmp -s "$work/theirs.onnx" "$work/first.onnx"

# A failed run (no ONNX form) leaves the earlier model and no temporary.
printf 'network p() {\n  x = input([1, 2, 8, 8])\n  return pad(x, [1, 1, 1, 1], mode="circular")\n}\n' \
  >"$work/circular.net"
"$netc" --emit=onnx "$work/circular.net" -o "$work/m2.onnx" 2>"$work/err"
check "no ONNX form: exit 1" test $? -eq 1
check "... saying so" grep -q "op 'pad' (layer pad) has no ONNX form" "$work/err"
check "... writing nothing" test ! -e "$work/m2.onnx"
check "no temporary file is left" test -z "$(ls "$work" | grep -F '.tmp-')"

# To a pipe through /dev/stdout; a terminal never gets binary (-o needed).
"$netc" --emit=onnx "$good" -o /dev/stdout | cmp -s - "$work/first.onnx"
check "-o /dev/stdout writes to a pipe" test $? -eq 0
"$netc" --emit=onnx "$good" >/dev/null 2>&1
check "without -o: a usage error (exit 2)" test $? -eq 2

# Debian's python3-onnx checks every example's model, fully.
if ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  check "python3-onnx is installed (scripts/deps.sh)" false
  exit 1
fi
mkdir "$work/models"
for file in examples/*.net; do
  name=$(basename "$file" .net)
  "$netc" --emit=onnx "$file" -o "$work/models/$name.onnx" 2>"$work/err"
  check "$name: written" test $? -eq 0
  "$netc" --emit=onnx -O0 "$file" -o "$work/models/$name-O0.onnx" 2>"$work/err"
  check "$name -O0: written" test $? -eq 0
done
"$netc" --emit=onnx --weights random examples/mobilenetv2.net -o "$work/models/random.onnx"
check "mobilenetv2 --weights random: written" test $? -eq 0
/usr/bin/python3 - "$work/models"/*.onnx <<'PY'
import sys
import onnx

failed = 0
for path in sys.argv[1:]:
    m = onnx.load(path)
    try:
        onnx.checker.check_model(m, full_check=True)
        assert m.producer_name == "netc" and m.ir_version == 8
        assert m.opset_import[0].version == 17
        print("ok: onnx.checker (full):", path.rsplit("/", 1)[1])
    except Exception as e:
        failed += 1
        print("FAIL: onnx.checker (full):", path, str(e)[:2000], file=sys.stderr)
sys.exit(1 if failed else 0)
PY
check "python3-onnx: every model passes check_model(full_check=True)" test $? -eq 0

# The numbers: numpy runs the models, netc's evaluator is the reference.
sed -e 's/causal=true, past=3)/causal=true)/' \
  -e 's/adaptive_avg_pool2d(x, (3, 5))/adaptive_avg_pool2d(x, (4, 8))/' \
  tests/golden/graph/every_op.net >"$work/every_op.net"
numeric() { # NAME FILE ARGS...
  local name=$1 file=$2
  shift 2
  "$netc" --emit=onnx --weights random "$@" "$file" -o "$work/n.onnx" &&
    "$evaldump" "$file" "$work/n.dump" "$@" &&
    /usr/bin/python3 tests/cli/onnx-numpy.py "$work/n.onnx" "$work/n.dump" >"$work/n.log" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || cat "$work/n.log" >&2
  check "$name: numpy run of the ONNX model = netc's evaluator" test $rc -eq 0
}
for opt in "" -O0; do
  numeric "every op $opt" "$work/every_op.net" $opt
  numeric "variants $opt" tests/cli/onnx-variants.net $opt
  for n in mobilenetv2 resnet18 shufflenet_v2_x1_0 googlenet efficientnet_b0 mobilenet_v3_small \
           squeezenet1_0; do
    numeric "$n at 64x64 $opt" "examples/$n.net" $opt -D res=64
  done
  # Two language models, small (test::smallLanguageModel's sizes): their
  # attention, rotary and moe layers are calls of ai.netc functions.
  small="-D seq=8 -D vocab=50 -D layers=2 -D d=32 -D heads=4"
  # shellcheck disable=SC2086
  numeric "gpt2 small $opt" examples/gpt2.net $opt $small -D positions=16
  # shellcheck disable=SC2086
  numeric "mixtral small $opt" examples/mixtral_8x7b.net $opt $small -D hidden=48 -D kv_heads=2 \
    -D experts=4
done

exit $((fails > 0))
