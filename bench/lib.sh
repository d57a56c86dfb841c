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

# Times the machine probe (bench/MachineProbe.java: a fixed JVM workload without the project's code),
# or COMMAND instead (tests), with its output in LOG; prints its seconds. On failure says why, as
# "WHO: ...", and returns 1.
machine_probe() { # who log [command...]
  local who=$1 log=$2 secs
  shift 2
  [ $# -gt 0 ] || set -- java bench/MachineProbe.java
  if ! "$@" >"$log" 2>&1; then
    { echo "$who: the machine probe failed ($*):"; tail -5 "$log"; } >&2
    return 1
  fi
  secs="$(grep -oP '^probe: \K[0-9.]+' "$log" | tail -1)"
  [ -n "$secs" ] || { echo "$who: no \"probe:\" line from $* (its output: $log)" >&2; return 1; }
  echo "$secs"
}
