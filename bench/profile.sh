#!/usr/bin/env bash
# Where a pqrs command spends its CPU: runs it under Java Flight Recorder, then prints the threads, the
# methods on top of the stack, the project's methods anywhere on it, as shares of the samples,
# where the top methods are called from, and when each thread group ran (bench/jfr_profile.py).
# The recording stays for JDK Mission Control or `jfr`.
#
#   bench/profile.sh OUT pqrs-arguments...
#     OUT  path of the recording without extension: writes OUT.jfr, OUT.samples.txt, OUT.profile.txt
#   e.g. bench/profile.sh /tmp/bronze bronze --root lakehouse --run-id demo \
#          --runner FlinkRunner --flinkMaster=[local] --parallelism=2
#   PQRS_PROFILE_HEAP  heap of the command's JVM (default 1g, as make run and the bench give embedded Flink)
#   PQRS_PROFILE_TOP   rows per list (default 25)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
out=$1; shift
# The recording's path goes into PQRS_JAVA_OPTS, which bin/pqrs splits at blanks.
[[ "$out" != *[[:space:]]* ]] || { echo "profile: OUT must not contain blanks: '$out'" >&2; exit 2; }
JAR=pipelines/target/pqrs-lakehouse.jar
[ -f "$JAR" ] || { echo "profile: no $JAR: build it first (make build)" >&2; exit 1; }
# The recording is read by the jfr tool of the JDK that made it (JAVA_HOME's, as bin/pqrs runs it).
jfr="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
command -v "$jfr" >/dev/null || { echo "profile: needs the JDK's jfr tool (JAVA_HOME's, else on the PATH: a JDK, not a JRE)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
# settings=profile samples Java stacks every 10 ms (the default settings, every 20 ms). The command
# starts as a user's does, by bin/pqrs, with the compilers it picks for the run. DebugNonSafepoints
# keeps the compiled code's line tables between safepoints: without it a sample is put on the nearest
# safepoint's frame, often a call or a loop's end, not where the time went.
PQRS_JAVA_OPTS="-Xmx${PQRS_PROFILE_HEAP:-1g} -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=$out.jfr,settings=profile ${PQRS_JAVA_OPTS:-}" \
  bin/pqrs "$@"
"$jfr" print --events jdk.ExecutionSample --stack-depth 64 "$out.jfr" > "$out.samples.txt"
python3 bench/jfr_profile.py "$out.samples.txt" --top "${PQRS_PROFILE_TOP:-25}" | tee "$out.profile.txt"
echo "profile: $out.jfr (open it in JDK Mission Control), $out.profile.txt" >&2
