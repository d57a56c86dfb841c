#!/usr/bin/env bash
# The benchmark's one command end to end at its smallest size, on the DirectRunner, embedded Flink and
# the local cluster with the application on its classpath, into a scratch folder (docs/ is not
# touched): the machine probe, the generator, the three layers on the three runners (the bench stops when their bytes differ), the DuckDB baseline (which fails when its KPIs differ from
# Gold's) and the report; then bench/profile.sh on a small generator run, bench/ab.sh on its Raw run,
# and the harnesses of bench/apart (compiled; the dictionary one run on that Bronze, the parser one on its Raw).
# `make test` runs it after the jar is built.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
PQRS_BENCH_DIR="$out" PQRS_BENCH_WORK="$out/work" PQRS_BENCH_CHAIN=0 bench/run.sh 0.01 direct,flink-embedded,flink-cluster 1
csv="$out/benchmarks/results.csv"
for step in flink-embedded,simulate direct,bronze direct,silver direct,gold flink-embedded,bronze flink-embedded,silver flink-embedded,gold \
    flink-cluster,bronze flink-cluster,silver flink-cluster,gold duckdb,baseline; do
  grep -q ",0.01,[0-9]*,$step,1," "$csv" || { echo "bench smoke: no $step row in $csv" >&2; cat "$csv" >&2; exit 1; }
done
# The machine probe, timed before the first size and after the last.
for when in start end; do
  grep -qE "^[^,]*,[^,]*,0,0,probe,$when,1,[0-9.]+," "$csv" \
    || { echo "bench smoke: no machine probe timed at the $when in $csv" >&2; cat "$csv" >&2; exit 1; }
done
grep -q '^| 0.01 M | .* | Flink embedded, p2 | ' "$out/benchmarks.md" \
  || { echo "bench smoke: the report has no row for 0.01 M on Flink embedded" >&2; exit 1; }
# Each layer's data hash, first from the DirectRunner, which embedded Flink's then matched.
[ "$(awk '{print $1}' "$out/work/size-0.01/data-hashes" | tr '\n' ' ')" = "bronze silver gold " ] \
  || { echo "bench smoke: no data hash checked for every layer" >&2; cat "$out/work/size-0.01/data-hashes" >&2; exit 1; }
[ -s "$out/benchmarks/throughput-memory.png" ] || { echo "bench smoke: no plot" >&2; exit 1; }
# The commands started by bin/pqrs, which compiled them with C1 only: embedded Flink's for the Raw
# run's size, the cluster's for its client.
grep -q '^pqrs: JIT C1 only: Raw run bench-0.01 has [0-9]* lines, fewer than' "$out/work/size-0.01/flink-embedded-bronze-1.log.err" \
  || { echo "bench smoke: bin/pqrs did not pick C1 for the smallest Raw run" >&2; exit 1; }
grep -q '^pqrs: JIT C1 only: its pipelines run on the Flink cluster at localhost:' "$out/work/size-0.01/flink-cluster-gold-1.log.err" \
  || { echo "bench smoke: bin/pqrs did not pick C1 for the cluster's client" >&2; exit 1; }
# The cluster's TaskManager ran with the JVM options of env.java.opts.taskmanager (flink-up.sh reads them).
read -r -a tm_opts <<< "$(sed -n 's/^env\.java\.opts\.taskmanager: *//p' infra/local/flink/conf/config.yaml)"
[ "${#tm_opts[@]}" -gt 0 ] || { echo "bench smoke: no env.java.opts.taskmanager in infra/local/flink/conf/config.yaml" >&2; exit 1; }
for opt in "${tm_opts[@]}"; do
  grep -q -- " $opt " "$out/work/size-0.01/flink-cluster-taskmanager.cmdline" \
    || { echo "bench smoke: the cluster's TaskManager ran without $opt (infra/local/flink/conf/config.yaml)" >&2; exit 1; }
done
# The archive the bench used maps from any folder: cds.sh trains it on the jar's absolute path.
pqrs="$PWD/bin/pqrs"
(cd "$out" && PQRS_JAVA_OPTS=-Xshare:on "$pqrs" --version >/dev/null) \
  || { echo "bench smoke: the class-data archive does not map from another folder" >&2; exit 1; }
# The profiler end to end, on twelve days of the smallest size's generator: a recording, and a summary with samples.
bench/profile.sh "$out/prof" simulate --config "$out/work/size-0.01/simulation.yaml" --root "$out/prof-lake" \
  --start 2025-03-03 --end 2025-03-14 --run-id prof >/dev/null 2>"$out/prof.err" \
  || { echo "bench smoke: bench/profile.sh failed" >&2; tail -5 "$out/prof.err" >&2; exit 1; }
[ -s "$out/prof.jfr" ] && grep -q '^[0-9]* CPU samples$' "$out/prof.profile.txt" && grep -q 'co.pqrs.lakehouse.cli.PqrsCli' "$out/prof.profile.txt" \
  && grep -q '^    *[0-9.]* %  <- ' "$out/prof.profile.txt" \
  || { echo "bench smoke: bench/profile.sh gave no profile" >&2; cat "$out/prof.profile.txt" >&2; exit 1; }
# The A/B of JVM options on the profiler's Raw run: the sets each write Bronze's same bytes. With a
# JDK 25 on the machine (the newest under /usr/lib/jvm, or PQRS_SMOKE_JDK25), a third set runs the jar
# on it, mapping the ahead-of-time cache infra/local/cds.sh trains for it (-Xshare:on: fail if it
# does not map): the same bytes on Java 25 as on 17 (docs/benchmarks/changes.md, "Forty-fifth change").
. bin/pqrs-java.sh
jdk25="${PQRS_SMOKE_JDK25:-}"
if [ -z "$jdk25" ]; then
  newest=24
  for home in /usr/lib/jvm/*/; do
    v="$(pqrs_jdk_feature "${home%/}")"
    [ "${v:-0}" -le "$newest" ] || { newest="$v" jdk25="${home%/}"; }
  done
fi
sets=(c1=-XX:TieredStopAtLevel=1 launcher=) expected="['c1', 'launcher']"
if [ -n "$jdk25" ]; then
  JAVA_HOME="$jdk25" infra/local/cds.sh pipelines/target/pqrs-lakehouse.jar 2>"$out/cds25.err" \
    || { echo "bench smoke: no ahead-of-time cache for $jdk25" >&2; cat "$out/cds25.err" >&2; exit 1; }
  sets+=("java25=JAVA_HOME=$jdk25 -Xshare:on") expected="['c1', 'java25', 'launcher']"
else
  echo "bench smoke: no JDK 25 or later under /usr/lib/jvm (PQRS_SMOKE_JDK25 names one): the jar on Java 25 not checked" >&2
fi
bench/ab.sh --reps 1 --csv "$out/ab.csv" "$out/prof-lake" prof bronze "${sets[@]}" \
  >"$out/ab.txt" 2>"$out/ab.err" || { echo "bench smoke: bench/ab.sh failed" >&2; tail -5 "$out/ab.err" >&2; exit 1; }
# Its rows: the machine probe, then one per set, one data hash, and the launcher's own choice (C1 only,
# for a small run) noted.
[ "$(python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
probes = [float(r["seconds"]) for r in rows if r["layer"] == "probe"]
rows = [r for r in rows if r["layer"] != "probe"]
print(len(probes), all(p > 0 for p in probes), sorted(r["variant"] for r in rows), len({r["data_hash"] for r in rows}),
      [r["launcher_jit"].split(":")[0] for r in rows if r["variant"] == "launcher"])' "$out/ab.csv")" \
    = "1 True $expected 1 ['C1 only']" ] && grep -q '^bronze  launcher      1 .* [0-9.]*$' "$out/ab.txt" \
  && grep -q '^machine probe s before each repetition (lower is faster): [0-9.]*$' "$out/ab.txt" \
  || { echo "bench smoke: bench/ab.sh gave not one row per set with the same data hash and the launcher's choice, or no summary" >&2; cat "$out/ab.csv" "$out/ab.txt" >&2; exit 1; }
# The harnesses that time a step apart compile against the jar, and the dictionary one runs on the
# Bronze that bench/ab.sh wrote: both sets of files, written and read by Silver.
jar=pipelines/target/pqrs-lakehouse.jar
javac -nowarn -d "$out/apart" -cp "$jar" bench/apart/*.java 2>"$out/apart.err" \
  || { echo "bench smoke: a harness of bench/apart does not compile" >&2; cat "$out/apart.err" >&2; exit 1; }
java -cp "$jar" bench/apart/DictionaryCosts.java "$out/prof-lake" prof bronze ticket_id,text 3 >"$out/dictionary.csv" \
  2>"$out/dictionary.err" || { echo "bench smoke: bench/apart/DictionaryCosts.java failed" >&2; grep -v '^\[' "$out/dictionary.err" | tail -5 >&2; exit 1; }
[ "$(grep -cE '^prof,bronze,(write|silver reads),(contract|dictionary),[1-3],[1-9][0-9]*,[0-9]+,[1-9][0-9]*$' "$out/dictionary.csv")" = 12 ] \
  || { echo "bench smoke: bench/apart/DictionaryCosts.java gave not 12 rows" >&2; cat "$out/dictionary.csv" >&2; exit 1; }
# The parser's harness, the jar against itself on one Raw day of that run: both must give the same records.
raw="$(ls "$out"/prof-lake/raw/pqrs/run_id=prof/day=*/*.jsonl | head -1)"
java bench/apart/ParseCosts.java "$jar" "$jar" 1 "$raw" >"$out/parse.csv" 2>"$out/parse.err" \
  || { echo "bench smoke: bench/apart/ParseCosts.java failed" >&2; grep -v '^\[' "$out/parse.err" | tail -5 >&2; exit 1; }
[ "$(grep -cE '^1,pqrs-lakehouse\.jar,[1-9][0-9]*,[0-9.]+$' "$out/parse.csv")" = 2 ] \
  || { echo "bench smoke: bench/apart/ParseCosts.java gave not 2 rows" >&2; cat "$out/parse.csv" >&2; exit 1; }
echo "bench smoke: ok (machine probe, generator, three layers on three runners with the same bytes, baseline equal to Gold, report, the JIT and archive bin/pqrs picked, profiler, A/B of JVM options${jdk25:+ with the same bytes on Java 25}, harnesses timed apart)"
