#!/usr/bin/env bash
# Prints what the expected file of one golden case holds: the command, the
# exit code, stdout and stderr of netc on the case. run-golden.sh compares this
# with CASE.expected; scripts/update-goldens.sh writes it there. (Not a test.)
#
#   golden-output.sh NETC tests/golden/SUITE/CASE.net
#   golden-output.sh NETC tests/golden/SUITE/CASE.gen
#
# The command line is `NETC ARGS CASE.net`, where ARGS comes from a line
# `# ARGS: ...` among the first five lines of the case, else from the suite's
# ARGS file (used for inputs that cannot hold a comment, such as binary files).
# Run from the source root: file names in messages are relative to it.
#
# A case whose input is too large to commit is a CASE.gen instead: a Python
# script that prints the input. It is written to CASE.net under a scratch
# directory, and netc runs there on the same relative path, so the messages
# name the file exactly as if it were committed.
#
# A line `# GOLDEN: skip-header` among the first five lines of a report case
# leaves the report's header (network, hardware, conventions) out of the
# comparison, so a change of the header touches only the few cases that keep
# it (report/blocks_loops_* and report/calibrated_* hold the full header).
# The header is, in the table format, every line up to the first blank line;
# in Markdown, every line before the first `## ` heading (a sweep's: before
# its table); in JSON, the members before "totals" (a sweep's: "variants").
# sweep/table, sweep/json and sweep/md keep the sweep's full header. stdout is then marked `--- stdout after the header`.
# A case that asks for it but has no such header fails.
set -u
netc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
case_file=$2
suite_dir=$(dirname "$case_file")
run_dir=.

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
if [ "${case_file%.gen}" != "$case_file" ]; then
  input=${case_file%.gen}.net
  mkdir -p "$scratch/root/$suite_dir"
  python3 "$case_file" >"$scratch/root/$input" || { echo "generator $case_file failed" >&2; exit 2; }
  run_dir=$scratch/root
  case_file=$input
fi

first_lines=$(head -n 5 "$run_dir/$case_file" 2>/dev/null | tr -d '\0' | tr -d '\r')
args=$(printf '%s\n' "$first_lines" | sed -n 's/^# ARGS: *//p' | head -n 1)
if [ -z "$args" ] && [ -f "$suite_dir/ARGS" ]; then
  args=$(head -n 1 "$suite_dir/ARGS" | tr -d '\r')
fi
# A line `# INPUT: PATH` among the first five runs netc on PATH (from the
# source root) instead of the case file: an input that cannot hold a comment
# (an ONNX model) with its own ARGS.
target=$case_file
input_line=$(printf '%s\n' "$first_lines" | sed -n 's/^# INPUT: *//p' | head -n 1)
[ -n "$input_line" ] && target=$input_line
skip_header=0
printf '%s\n' "$first_lines" | grep -qx '# GOLDEN: skip-header' && skip_header=1

out=$scratch/out err=$scratch/err
# shellcheck disable=SC2086  # ARGS is a list of words by design
(cd "$run_dir" && timeout 60 "$netc" $args "$target" >"$out" 2>"$err" </dev/null)
code=$?

echo "# netc $args $target"
echo "exit: $code"
if [ "$skip_header" = 0 ]; then
  echo "--- stdout"
  cat "$out"
else
  echo "--- stdout after the header"
  # The lines after the header; without a header, a line that fails the case.
  awk '
    NR == 1 { fmt = ($0 == "{") ? "json" : ($0 ~ /^# netc report: /) ? "md" : "table" }
    NR == 1 && /^# netc sweep: / { fmt = "mdsweep" }
    !body && fmt == "json" && NR > 1 && /^  "(totals|variants)": / { body = 1 }
    !body && fmt == "md" && /^## / { body = 1 }
    !body && fmt == "mdsweep" && /^\| / { body = 1 }
    body || (fmt == "json" && NR == 1) { print; next }
    fmt == "table" && $0 == "" { body = 1 }
    END { if (!body) { print "(no report header found: # GOLDEN: skip-header needs one)"; exit 1 } }
  ' "$out"
fi
echo "--- stderr"
cat "$err"
