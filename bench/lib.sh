# What bench/run.sh and bench/ab.sh read the same way; sourced by both.

# The commit measured, "-dirty" when the tree differs from it outside the results the bench writes.
measured_code() {
  local code
  code="$(git describe --always --abbrev=7 2>/dev/null || echo unknown)"
  git diff --quiet HEAD -- . ':!docs/benchmarks' ':!docs/benchmarks.md' 2>/dev/null || code="$code-dirty"
  echo "$code"
}

# The seconds a pqrs command's summary (LOG) gives: a layer command prints "  took N s", pqrs run
# prints "run ID done in N s". Nothing (and success, so that the caller can say so) when it has neither.
command_seconds() {
  { grep -oP '^  took \K[0-9.]+|^run \S+ done in \K[0-9.]+' "$1" || true; } | tail -1
}
