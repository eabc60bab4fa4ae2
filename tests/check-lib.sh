# Sourced by the shell tests (tests/cli/*.sh, tests/emit/output-*.sh):
# a scratch directory $work, removed on exit, and `check DESCRIPTION
# COMMAND...`, which runs COMMAND and counts its failures in $fails;
# `skip_under_asan NETC` ends a test that does not apply to an
# AddressSanitizer build (scripts/robustness.sh): an address-space cap that
# leaves no room for its shadow memory, a check of netc's linked libraries.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
check() {
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what" >&2; fails=$((fails + 1)); fi
}
skip_under_asan() {
  if grep -qa __asan_init "$1"; then
    echo "skipped: $1 is built with AddressSanitizer"
    exit 0
  fi
}
