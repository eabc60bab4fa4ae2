#!/usr/bin/env bash
# driver/Backends.h (issue 22): the netc executable does not link libonnx,
# libprotobuf or libdnnl (loading them cost ~5 ms at every start); the ONNX
# and oneDNN code lives in libnetc_onnx.so and libnetc_dnnl.so beside it,
# loaded when a command needs them. Checks the executable's needed
# libraries, that import, --emit=onnx and measure work through the modules,
# and that a missing module is a clear error (exit 1), never a crash.
#
# usage: backends.sh NETC   (run from the source root)
set -uo pipefail
netc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/../check-lib.sh" # $work, check, $fails
skip_under_asan "$netc" # a sanitized netc links the modules' code in (compiler/CMakeLists.txt)
needed=$(readelf -d "$netc" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
echo "netc needs: $(echo $needed)"
check "netc links no ONNX, protobuf, oneDNN, OpenMP or OpenCL" \
  sh -c "! printf '%s\n' \"$needed\" | grep -E 'onnx|protobuf|dnnl|gomp|OpenCL'"
dir=$(dirname "$netc")
check "the modules are beside netc" test -f "$dir/libnetc_onnx.so" -a -f "$dir/libnetc_dnnl.so"
check "netc import through libnetc_onnx.so" \
  sh -c "\"$netc\" import tests/onnx/models/tiny_cnn.onnx | grep -q '^network tiny_cnn'"
check "--emit=onnx through libnetc_onnx.so" \
  "$netc" --emit=onnx examples/resnet18.net -o "$work/r.onnx"
check "netc measure through libnetc_dnnl.so" \
  sh -c "\"$netc\" measure examples/squeezenet1_0.net -D res=32 --repeats 1 >/dev/null"
# A copy of netc without its modules.
mkdir "$work/alone"
cp "$netc" "$work/alone/netc"
"$work/alone/netc" --report examples/resnet18.net >/dev/null
check "without the modules: a .net report still works" test $? -eq 0
"$work/alone/netc" import tests/onnx/models/tiny_cnn.onnx >"$work/out" 2>"$work/err"
rc=$?
cat "$work/err"
check "without libnetc_onnx.so: import exits 1" test $rc -eq 1
check "... naming the module" grep -q "tests/onnx/models/tiny_cnn.onnx: error: cannot import the ONNX model: libnetc_onnx.so could not be loaded" "$work/err"
"$work/alone/netc" --emit=onnx examples/resnet18.net -o "$work/x.onnx" 2>"$work/err"
rc=$?
check "without libnetc_onnx.so: --emit=onnx exits 1, writes nothing" test $rc -eq 1 -a ! -e "$work/x.onnx"
check "... naming the module" grep -q "netc: error: --emit=onnx: libnetc_onnx.so could not be loaded" "$work/err"
"$work/alone/netc" measure examples/squeezenet1_0.net -D res=32 2>"$work/err" >/dev/null
rc=$?
check "without libnetc_dnnl.so: measure exits 1" test $rc -eq 1
check "... naming the module" grep -q "netc: error: cannot run oneDNN: libnetc_dnnl.so could not be loaded" "$work/err"
exit $((fails > 0))
