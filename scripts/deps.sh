#!/usr/bin/env bash
# Installs netc's build and test dependencies from Debian 12's packages, only
# those missing. Uses sudo when not run as root.
set -euo pipefail
packages=(
  cmake g++ make                 # the toolchain
  antlr4 libantlr4-runtime-dev   # grammar tool (4.7.2) and C++ runtime (4.9)
  llvm-15-dev                    # ADT and Support
  libfmt-dev doctest-dev         # formatting, unit tests
  libdnnl-dev                    # oneDNN 2.6.3: netc measure runs each layer as its primitive
  libonnx-dev libprotobuf-dev    # ONNX 1.12 and its protobuf: netc import, FILE.onnx, --emit=onnx
  ocl-icd-opencl-dev             # OpenCL, which the CMake config of Debian's oneDNN requires
  python3-onnx                   # the cli test checks the written model with onnx.checker
  clang                          # the emitted C++ is also built with clang++ in the tests
  libclang-rt-14-dev             # libFuzzer and the sanitizers' runtimes (scripts/robustness.sh)
  python3                        # generates the golden inputs too large to commit (CASE.gen)
  graphviz                       # dot: every example's --emit=dot is rendered in the tests
  chromium fonts-dejavu-core     # headless: every example's --format html is loaded in the tests
  neovim                         # nvim --headless: the editor tests (editors/vim)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all installed"
  exit 0
fi
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
