#!/usr/bin/env bash
# Renders the README's picture of a network graph (netc --emit=dot through
# Graphviz): docs/resnet18.dot, and docs/resnet18.svg drawn from it with
# `dot -Tsvg`. The SVG's second line records the SHA-256 of the DOT text it
# was drawn from, so tests/cli/dot-docs.sh can tell a stale picture without
# Graphviz (whose SVG bytes vary across versions): it checks the committed
# .dot is what netc prints now, and the .svg was drawn from that .dot.
#
# usage: scripts/render-dot.sh [NETC]   (default build/netc; run from anywhere)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
netc=${1:-$root/build/netc}
netc=$(cd "$(dirname "$netc")" && pwd)/$(basename "$netc")
cd "$root"
# The command the picture is drawn from (tests/cli/dot-docs.sh runs the same).
. scripts/render-dot.args
command -v dot >/dev/null || { echo "render-dot: Graphviz's dot is missing (scripts/deps.sh)" >&2; exit 1; }
"$netc" "${DOT_ARGS[@]}" -o docs/resnet18.dot
sum=$(sha256sum docs/resnet18.dot | cut -d' ' -f1)
dot -Tsvg docs/resnet18.dot | sed "1a <!-- drawn from docs/resnet18.dot sha256 $sum by scripts/render-dot.sh -->" \
  >docs/resnet18.svg.tmp
mv docs/resnet18.svg.tmp docs/resnet18.svg
echo "wrote docs/resnet18.dot and docs/resnet18.svg"
