#!/usr/bin/env bash
# The benchmark: for each input size, simulates a Raw run (the generator), then runs Bronze, Silver and
# Gold on each runner, and the DuckDB baseline over the same Raw JSONL; appends one CSV row per
# measurement to docs/benchmarks/results.csv and rebuilds docs/benchmarks.md and its plot.
#
#   bench/run.sh [SIZES] [RUNNERS] [REPS]
#     SIZES    millions of Raw events, comma-separated          default 0.01,0.1,1,5, and 10 when the
#              machine allows it (12 GB of RAM and 25 GB free below the work folder; else it says why not)
#              (0.01 M is there for the fixed cost of a layer: JVM, job submission, files, manifest)
#     RUNNERS  direct, flink-embedded (parallelism 2), flink-cluster (the local session cluster of
#              infra/local/flink with the application's job jar on its classpath, each job shipping
#              only the small pipelines jar; restarted for each size; its ports must be free)
#                                                               default direct,flink-embedded,flink-cluster
#     REPS     timed repetitions per size and runner (median reported); sizes of 1 M and more run once
#                                                               default 3
#   e.g. bench/run.sh 0.1,1 direct 3
#   PQRS_BENCH_EMBEDDED_HEAP  heap of the embedded Flink runner's JVM (default 1g; every size to 10 M ran in it)
#   PQRS_BENCH_DIRECT_MAX     largest size run on the DirectRunner, in millions (default 1)
#   PQRS_BENCH_CHAIN          1 (default): after the three layer commands, also time the same three layers
#                             in one JVM (`pqrs run --from bronze`, what `pqrs run` does after Raw); 0 skips it
#   PQRS_BENCH_CLUSTER_APP    1 (default): the cluster starts with the job jar on its classpath
#                             (flink-up.sh PQRS_FLINK_APP_JAR); 0: a plain cluster, each job ships the fat jar
#   PQRS_BENCH_CDS            1 (default): every command's JVM maps an archive of the jar's classes (a
#                             class-data-sharing archive on Java 17, an ahead-of-time cache on Java 25),
#                             trained by infra/local/cds.sh when it is missing or older than the jar (about
#                             2 s less per command on Java 17), with -Xshare:on, so that a JVM that cannot map
#                             it fails rather than being timed without it; 0: each JVM loads its classes from the jar
#   JAVA_HOME                 the JVM of every command (bin/pqrs), else the java on the PATH
#   PQRS_JAVA_OPTS            more JVM options for every command, after the bench's own. Commands start as
#                             a user's do, by bin/pqrs, which compiles with C1 only a run of fewer than
#                             0.5 M Raw lines and a cluster's client, and has C2 inline less otherwise;
#                             -XX:TieredStopAtLevel=4 measures them without either choice
#   PQRS_BENCH_SIMULATE_HEAP  heap of the generator's JVM (default: the embedded runner's). The generator
#                             runs on embedded Flink at parallelism 2: 10 M events in 1g (1.6 GB resident;
#                             on the DirectRunner, which holds the whole run, 17 GB), the same bytes
#
# Every size covers the same 28 days; the volume scales (ordinary days and spike windows alike), so
# cost per event can be compared across sizes. Seconds are the CLI's own ("took": pipeline and driver,
# JVM start excluded); events/s = Raw events of the run / seconds, for every layer, so that layers add
# up; raw->gold = events / (bronze + silver + gold). Peak memory: the CLI JVM's maximum resident set
# (GNU time); on the cluster, the largest sum of JobManager + TaskManager resident sets sampled every
# 0.5 s during the layer (their process sizes are fixed by infra/local/flink/conf/config.yaml).
# Before the first size and after the last it times bench/MachineProbe.java, a fixed JVM workload
# without the project's code (runner "probe" in the CSV): the machine's speed in that sitting, which
# moves from one to another (the report shows it beside each bench run's ratios).
# Two checks stop the benchmark: every runner and repetition of a size must write each layer's same
# bytes (its data hash; bench/same-bytes.sh), and the DuckDB baseline's KPIs must equal Gold's.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SIZES="${1:-}"
RUNNERS="${2:-direct,flink-embedded,flink-cluster}"
REPS="${3:-3}"
JAR=pipelines/target/pqrs-lakehouse.jar
# PQRS_BENCH_DIR moves results, report and plot elsewhere (a trial run that must not touch docs/).
DOCS="${PQRS_BENCH_DIR:-docs}"
OUT="$DOCS/benchmarks/results.csv"
WORK="$(realpath -m "${PQRS_BENCH_WORK:-bench/.work}")"  # absolute: the cluster's TaskManager reads it too
VENV=.venv-bench
# The embedded Flink runner's JVM gets a fixed heap, as a client JVM would be sized; left alone the JVM
# grows its heap towards a quarter of the RAM whether the job needs it or not. 1 GB ran every layer at
# every size up to 5 M events as fast as 4 GB (docs/benchmarks.md, "The embedded runner's heap").
EMBEDDED_HEAP="${PQRS_BENCH_EMBEDDED_HEAP:-1g}"
# The DirectRunner keeps every element in memory (6.4 GB at 1 M events): larger sizes skip it.
DIRECT_MAX="${PQRS_BENCH_DIRECT_MAX:-1}"
SIMULATE_HEAP="${PQRS_BENCH_SIMULATE_HEAP:-$EMBEDDED_HEAP}"
CHAIN="${PQRS_BENCH_CHAIN:-1}"
CLUSTER_APP="${PQRS_BENCH_CLUSTER_APP:-1}"
CDS="${PQRS_BENCH_CDS:-1}"
FLINK_STATE=infra/local/flink/.state

command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
# The jar measured is the code's: rebuilt when any source, contract or config it bundles is newer.
if [ ! -f "$JAR" ] || [ -n "$(find schemas/src transforms/src pipelines/src data/contracts docs/07-config \
    pom.xml schemas/pom.xml transforms/pom.xml pipelines/pom.xml -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then
  echo "bench: building the jar from the working tree" >&2
  mvn -B -ntp -q install -DskipTests
fi
# bin/pqrs maps the archive while it is newer than the jar. -Xshare:on: a command whose archive does
# not map fails instead of being timed without it.
CDS_ARGS=(-Xshare:off)
if [ "$CDS" = 1 ]; then
  infra/local/cds.sh "$JAR"  # for the JVM bin/pqrs runs; kept while newer than the jar
  CDS_ARGS=(-Xshare:on)
fi
if [ ! -f "$VENV/.installed" ] || [ bench/requirements.txt -nt "$VENV/.installed" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install -q -r bench/requirements.txt && touch "$VENV/.installed"
fi
mkdir -p "$WORK" "$DOCS/benchmarks"
if [ -z "$SIZES" ]; then
  # 10 M events, when the machine allows: memory for the cluster (4 GB) beside DuckDB's baseline (3.9–4.6 GB
  # at 10 M), and disk for the Raw run (3 GB), the layers' outputs and Flink's spilled sorts (14 GB at most
  # in the fifth run of 2026-12-04).
  mem_gb=$(awk '/^MemTotal:/{printf "%d", $2 / 1048576}' /proc/meminfo)
  disk_gb=$(df -Pk "$WORK" | awk 'NR==2{printf "%d", $4 / 1048576}')
  if [ "$mem_gb" -ge 12 ] && [ "$disk_gb" -ge 25 ]; then
    SIZES=0.01,0.1,1,5,10
  else
    SIZES=0.01,0.1,1,5
    echo "bench: no 10 M events here: it needs 12 GB of RAM and 25 GB free below $WORK (this machine: $mem_gb GB, $disk_gb GB free)" >&2
  fi
fi
[ -f "$DOCS/benchmarks.md" ] || cp docs/benchmarks.md "$DOCS/benchmarks.md"
[ -s "$OUT" ] || echo "date,machine,size_m,events,runner,layer,rep,seconds,events_per_s,peak_rss_mb,code,started" > "$OUT"
MACHINE="$(nproc)c-$(free -g | awk '/Mem:/{print $2}')g"
TODAY="$(date -u +%F)"
STARTED="$(date -u +%FT%TZ)"  # this invocation: the report shows each size and runner's latest
# The code measured; the results this script appends to do not make it "-dirty".
CODE="$(measured_code)"

# The default configuration with every volume scaled by $1.
bench_config() {
  local k=$1 file=$2
  awk -v k="$k" '
    /^volume_daily_avg:/ { printf "volume_daily_avg: %d\n", $2 * k + 0.5; next }
    /^  min_daily_volume:/ { printf "  min_daily_volume: %d\n", $2 * k + 0.5; next }
    /^  max_daily_volume:/ { printf "  max_daily_volume: %d\n", $2 * k + 0.5; next }
    { print }' docs/07-config/pqrs_simulation_v1.yaml > "$file"
}

# Resident set (MB) of the Flink JobManager + TaskManager, now.
cluster_rss() {
  local total=0 pid
  for pid in $(cat "$FLINK_STATE"/jobmanager.pid "$FLINK_STATE"/taskmanager.pid 2>/dev/null); do
    total=$((total + $(awk '/VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

record() { # size events runner layer rep seconds rss
  local rate; rate=$(awk -v e="$2" -v s="$6" 'BEGIN{printf "%.0f", e/s}')
  echo "$TODAY,$MACHINE,$1,$2,$3,$4,$5,$6,$rate,$7,$CODE,$STARTED" >> "$OUT"
  printf 'bench: %5s M  %-15s %-8s rep %s  %8.1f s  %9s events/s  %6s MB\n' "$1" "$3" "$4" "$5" "$6" "$rate" "$7" >&2
}

# Times bench/MachineProbe.java (a fixed JVM workload without the project's code) and records it as
# runner "probe", layer start or end: how fast the machine ran in this sitting, beside the figures.
probe() { # start|end
  local secs
  secs="$(machine_probe bench "$WORK/probe-$1.log")" || exit 1
  record 0 0 probe "$1" 1 "$secs" 0
}

# Runs one pqrs command; sets SECS and RSS (MB).
measure() { # runner log args...
  local runner=$1 log=$2; shift 2
  local sampler="" peak_file="$log.peak"
  if [ "$runner" = flink-cluster ]; then
    echo 0 > "$peak_file"
    ( peak=0; while :; do r=$(cluster_rss); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$peak_file"; sleep 0.5; done ) &
    sampler=$!
  fi
  local ok=0
  local jvm=("${CDS_ARGS[@]}")
  [ "$runner" = flink-embedded ] && jvm+=("-Xmx$EMBEDDED_HEAP")
  [ "$1" = simulate ] && jvm=("${CDS_ARGS[@]}" "-Xmx$SIMULATE_HEAP")
  # The summary (stdout) apart from logs and GNU time (stderr): a late log line could split it.
  PQRS_JAR="$JAR" PQRS_JAVA_OPTS="${jvm[*]} ${PQRS_JAVA_OPTS:-}" /usr/bin/time -v bin/pqrs "$@" >"$log" 2>"$log.err" || ok=$?
  if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; fi
  if [ "$ok" != 0 ]; then
    echo "bench: failed: pqrs $* (see $log.err)" >&2; grep -v '^\s*at ' "$log.err" | tail -5 >&2; exit 1
  fi
  SECS=$(command_seconds "$log")
  [ -n "$SECS" ] || { echo "bench: no \"took\" or \"done in\" line in $log" >&2; exit 1; }
  if [ "$runner" = flink-cluster ]; then RSS=$(cat "$peak_file"); else
    RSS=$(( $(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$log.err") / 1024 )); fi
}

# RUNNER_ARGS for a runner of the bench (bench/lib.sh), and the small pipelines jar a cluster that
# has the application on its classpath is sent.
bench_runner() {
  [[ "$1" =~ ^(direct|flink-embedded|flink-cluster)$ ]] && runner_args "$1" \
    || { echo "bench: unknown runner $1 (direct, flink-embedded, flink-cluster)" >&2; exit 1; }
  if [ "$1" = flink-cluster ] && [ "$CLUSTER_APP" = 1 ]; then
    RUNNER_ARGS+=("--filesToStage=$(ls pipelines/target/pqrs-pipelines-*.jar)")
  fi
}

IFS=, read -r -a sizes <<< "$SIZES"
IFS=, read -r -a runners <<< "$RUNNERS"
for runner in "${runners[@]}"; do bench_runner "$runner"; done  # a misspelt runner stops it before any work
# The plan first: the whole default sweep took 51 minutes on two cores (2026-12-04).
echo "bench: sizes ${SIZES//,/ } M events on ${RUNNERS//,/ }; repetitions: $REPS below 1 M, 1 from 1 M; the DirectRunner up to $DIRECT_MAX M; results in $OUT" >&2
if [[ ",$RUNNERS," == *",flink-cluster,"* ]]; then
  trap 'infra/local/flink/flink-down.sh >/dev/null 2>&1 || true' EXIT  # the cluster this run started
fi
mkdir -p "$WORK"
probe start
for size in "${sizes[@]}"; do
  # About 0.65 M events in 28 days at the default volume.
  k=$(awk -v s="$size" 'BEGIN{printf "%.4f", s / 0.65}')
  root="$WORK/size-$size"; run="bench-$size"
  rm -rf "$root"; mkdir -p "$root"
  bench_config "$k" "$root/simulation.yaml"
  # The generator on embedded Flink: in a fixed heap at every size, where the DirectRunner holds the run.
  bench_runner flink-embedded
  measure flink-embedded "$root/simulate.log" simulate --config "$root/simulation.yaml" \
    --root "$root/lake" --start 2025-03-03 --end 2025-03-30 --run-id "$run" "${RUNNER_ARGS[@]}"
  events=$(grep -oP 'events: \K[0-9,]+' "$root/simulate.log" | tr -d ,)
  record "$size" "$events" flink-embedded simulate 1 "$SECS" "$RSS"
  reps=$REPS; awk -v s="$size" 'BEGIN{exit !(s >= 1)}' && reps=1
  for runner in "${runners[@]}"; do
    if [ "$runner" = direct ] && awk -v s="$size" -v m="$DIRECT_MAX" 'BEGIN{exit !(s > m)}'; then
      echo "bench: skipping the DirectRunner at $size M events (above PQRS_BENCH_DIRECT_MAX=$DIRECT_MAX)" >&2
      continue
    fi
    if [ "$runner" = flink-cluster ]; then
      # A fresh cluster per size: its peaks are per size (and without the application on its
      # classpath each job leaves metaspace behind).
      infra/local/flink/flink-down.sh >/dev/null 2>&1 || true
      if [ "$CLUSTER_APP" = 1 ]; then
        PQRS_FLINK_APP_JAR=pipelines/target/pqrs-lakehouse-job.jar infra/local/flink/flink-up.sh >/dev/null
      else
        infra/local/flink/flink-up.sh >/dev/null
      fi
      # The TaskManager's command line: the JVM options its jobs were measured with.
      tr '\0' ' ' < "/proc/$(cat "$FLINK_STATE/taskmanager.pid")/cmdline" > "$root/flink-cluster-taskmanager.cmdline"
    fi
    bench_runner "$runner"
    for rep in $(seq 1 "$reps"); do
      for layer in bronze silver gold; do
        measure "$runner" "$root/$runner-$layer-$rep.log" "$layer" --root "$root/lake" --run-id "$run" \
          "${RUNNER_ARGS[@]}"
        record "$size" "$events" "$runner" "$layer" "$rep" "$SECS" "$RSS"
        bench/same-bytes.sh "$root/data-hashes" "$root/$runner-$layer-$rep.log" "$layer"
      done
      if [ "$CHAIN" = 1 ]; then
        # The same layers in one JVM: what a fixed cost paid once per process (JVM, options, store) weighs.
        measure "$runner" "$root/$runner-chain-$rep.log" run --from bronze --root "$root/lake" --run-id "$run" \
          "${RUNNER_ARGS[@]}"
        record "$size" "$events" "$runner" chain "$rep" "$SECS" "$RSS"
        bench/same-bytes.sh "$root/data-hashes" "$root/$runner-chain-$rep.log" bronze silver gold
      fi
    done
  done
  for rep in $(seq 1 "$reps"); do
    log="$root/baseline-$rep.json"
    /usr/bin/time -v "$VENV/bin/python" bench/baseline.py --root "$root/lake" --run-id "$run" --threads "$(nproc)" \
      >"$log" 2>"$log.err" || { echo "bench: the DuckDB baseline differs from Gold or failed:" >&2; tail -5 "$log.err" >&2; exit 1; }
    secs=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$log")
    rss=$(( $(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$log.err") / 1024 ))
    record "$size" "$events" duckdb baseline "$rep" "$secs" "$rss"
  done
  rm -rf "$root/lake"
done
probe end
"$VENV/bin/python" bench/report.py "$OUT" "$DOCS/benchmarks.md" "$DOCS/benchmarks/throughput-memory.png"
