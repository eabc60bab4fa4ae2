# Sourced by the shell tests (tests/cli/*.sh, tests/emit/output-*.sh):
# a scratch directory $work, removed on exit, and `check DESCRIPTION
# COMMAND...`, which runs COMMAND and counts its failures in $fails.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() {
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fails=$((fails + 1)); fi
}
