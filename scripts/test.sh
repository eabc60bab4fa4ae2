#!/usr/bin/env bash
# The second README command: build (if needed) and run the whole test suite
# (doctest unit tests, golden tests, zoo checks, emitted C++, all through ctest).
#   scripts/test.sh           everything
#   scripts/test.sh --fast    everything but the tests labelled `slow` (the
#                             emitted C++ programs and the slowest unit tests)
# Further arguments go to ctest (e.g. -R golden/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
filter=()
if [[ "${1:-}" == --fast ]]; then
  filter=(-LE slow)
  shift
fi
"$root/scripts/build.sh"
ctest --test-dir "${BUILD_DIR:-$root/build}" --output-on-failure -j "$(nproc)" "${filter[@]}" "$@"
