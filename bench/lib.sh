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

# The pqrs options that put a command on RUNNER, into the array RUNNER_ARGS: direct; flink-embedded
# (parallelism 2, as every Flink run of the bench); flink-cluster, the local session cluster
# (infra/local/flink, REST at localhost:8081); or HOST:PORT of another Flink cluster. Fails for
# anything else, leaving the message to the caller.
RUNNERS_KNOWN="direct, flink-embedded, flink-cluster or HOST:PORT"
runner_args() {
  case "$1" in
    direct) RUNNER_ARGS=() ;;
    flink-embedded) RUNNER_ARGS=(--runner FlinkRunner --flinkMaster=[local] --parallelism=2) ;;
    flink-cluster) RUNNER_ARGS=(--runner FlinkRunner --flinkMaster=localhost:8081 --parallelism=2) ;;
    *:[0-9]*) RUNNER_ARGS=(--runner FlinkRunner "--flinkMaster=$1" --parallelism=2) ;;
    *) return 1 ;;
  esac
}
