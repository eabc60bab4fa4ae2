#!/usr/bin/env bash
# The second README command: build (if needed) and run the whole test suite
# (doctest unit tests and golden tests, all through ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
ctest --test-dir "${BUILD_DIR:-$root/build}" --output-on-failure -j "$(nproc)"
