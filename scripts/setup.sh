#!/usr/bin/env bash
# The first README command: install what is missing, build, run the main job.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh"
"$root/scripts/build.sh"
cd "$root"
echo "+ build/netc --report examples/mobilenetv2.net"
build/netc --report examples/mobilenetv2.net
