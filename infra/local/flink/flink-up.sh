#!/usr/bin/env bash
# Starts a Flink 1.19 standalone session cluster (one JobManager, one TaskManager with 2 slots)
# from Maven jars, without Docker or a Flink distribution. Web UI and REST on localhost:8081
# ($PQRS_FLINK_PORT), Prometheus reporter on 9249 (JobManager) and 9250 (TaskManager).
# Idempotent: a cluster already answering is left alone. Stop it with flink-down.sh (recorded PIDs).
#
# PQRS_FLINK_APP_JAR=pipelines/target/pqrs-lakehouse-job.jar puts the application on the cluster's
# own classpath (beside DuckDB's driver, which every cluster here has for a local root's store),
# loaded parent-first: a job then ships only a small jar
# (--filesToStage=pipelines/target/pqrs-pipelines-*.jar), its classes are loaded and compiled once
# per cluster instead of once per job, and no job leaves metaspace behind (docs/benchmarks/changes.md,
# "Twentieth change"). The cluster runs the build it was started with: after a
# rebuild restart it (flink-down.sh, then flink-up.sh); a job sent with other code fails (SameCode).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_FLINK_STATE:-$HERE/.state}"
PORT="${PQRS_FLINK_PORT:-8081}"
mkdir -p "$STATE/lib" "$STATE/conf" "$STATE/logs" "$STATE/uploads" "$STATE/tmp"

overview() {
  if command -v curl >/dev/null 2>&1; then curl -sf "http://localhost:$PORT/overview" 2>/dev/null || true
  else python3 -c 'import sys, urllib.request
try: print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
except Exception: pass' "http://localhost:$PORT/overview"; fi
}
up() { overview | grep -q '"taskmanagers":[1-9]'; }
APP="${PQRS_FLINK_APP_JAR:-}"
if [ -n "$APP" ] && [ ! -f "$APP" ]; then
  echo "flink-up: PQRS_FLINK_APP_JAR=$APP is not a file (make build writes pipelines/target/pqrs-lakehouse-job.jar)" >&2
  exit 1
fi
if [ -n "$APP" ]; then
  # Flink's own classes in the jar: the fat jar, not for a cluster.
  rc=0
  python3 -c 'import sys, zipfile
sys.exit(10 if "org/apache/flink/runtime/jobgraph/JobGraph.class" in zipfile.ZipFile(sys.argv[1]).namelist() else 0)' \
    "$APP" 2>/dev/null || rc=$?
  if [ "$rc" = 10 ]; then
    echo "flink-up: $APP has Flink's own classes (the fat jar?): the cluster's classpath takes the job jar, pipelines/target/pqrs-lakehouse-job.jar" >&2
    exit 1
  elif [ "$rc" != 0 ]; then
    echo "flink-up: $APP cannot be read as a jar" >&2
    exit 1
  fi
fi
if up; then
  echo "flink-up: a cluster already answers on http://localhost:$PORT" >&2
  if [ -n "$APP" ] && ! cmp -s "$APP" "$STATE/app/pqrs-app.jar"; then
    echo "flink-up: it was not started with $APP: restart it (flink-down.sh, then flink-up.sh) to run that build" >&2
  fi
  exit 0
fi

WANT="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
if [ "$(cat "$STATE/lib/.complete" 2>/dev/null)" != "$WANT" ]; then
  echo "flink-up: fetching the Flink 1.19.1 cluster jars from Maven Central..." >&2
  rm -f "$STATE"/lib/*.jar
  mvn -B -ntp -q -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$STATE/lib" \
    -DincludeScope=runtime >&2
  echo "$WANT" > "$STATE/lib/.complete"
fi
sed -e "s#@STATE@#$STATE#g" -e "s#@REST_PORT@#$PORT#g" "$HERE/conf/config.yaml" > "$STATE/conf/config.yaml"
cp "$HERE/conf/log4j.properties" "$STATE/conf/"
# DuckDB's driver, at the build's version (the root pom.xml), on the cluster's classpath and loaded
# parent-first (conf/config.yaml), for jobs that keep their run record in a local root's embedded
# store: its native library holds global references to its classes, so a copy loaded from a job's
# jar pinned that job's class loader, about 40 MB of metaspace each (docs/benchmarks/changes.md).
DUCKDB=$(sed -n 's#.*<duckdb.version>\(.*\)</duckdb.version>.*#\1#p' "$HERE/../../../pom.xml")
if [ ! -f "$STATE/duckdb/duckdb_jdbc-$DUCKDB.jar" ]; then
  rm -rf "$STATE/duckdb"
  # (Maven 3.8 prints colour resets even in batch mode.)
  mvn -B -ntp -q -f "$HERE/pom.xml" dependency:copy -Dartifact="org.duckdb:duckdb_jdbc:$DUCKDB" \
    -DoutputDirectory="$STATE/duckdb" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
fi
CLASSPATH_OF_CLUSTER="$STATE/lib/*:$STATE/duckdb/*"
rm -rf "$STATE/app"
if [ -n "$APP" ]; then
  mkdir -p "$STATE/app"
  cp "$APP" "$STATE/app/pqrs-app.jar"
  CLASSPATH_OF_CLUSTER="$CLASSPATH_OF_CLUSTER:$STATE/app/*"
  # Parent-first: the classes of a job's jar that the cluster also has are loaded from the cluster's.
  printf '%s\n' "classloader.resolve-order: parent-first" >> "$STATE/conf/config.yaml"
fi

OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
 --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
  java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  OPENS="$OPENS --add-opens=java.base/$p=ALL-UNNAMED"
done

# Flink computes each process's memory flags itself (the same helper its own scripts call).
params() {
  java -cp "$STATE/lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$STATE/conf" \
    2>/dev/null | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}
JM=$(params GET_JM_RESOURCE_PARAMS)
TM=$(params GET_TM_RESOURCE_PARAMS)
JM_JVM=$(echo "$JM" | sed -n 1p); JM_DYN=$(echo "$JM" | sed -n 2p)
TM_JVM=$(echo "$TM" | sed -n 1p); TM_DYN=$(echo "$TM" | sed -n 2p)
# Other JVM options from Flink's own keys in conf/config.yaml, which the Compose images read too.
conf_value() { sed -n "s/^$1: *//p" "$STATE/conf/config.yaml" | tail -1; }
JM_JVM="$JM_JVM $(conf_value 'env\.java\.opts\.all') $(conf_value 'env\.java\.opts\.jobmanager')"
TM_JVM="$TM_JVM $(conf_value 'env\.java\.opts\.all') $(conf_value 'env\.java\.opts\.taskmanager')"

# shellcheck disable=SC2086
nohup java $JM_JVM $OPENS -Dlog.file="$STATE/logs/jobmanager.log" \
  -Dlog4j.configurationFile="file:$STATE/conf/log4j.properties" -cp "$CLASSPATH_OF_CLUSTER" \
  org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$STATE/conf" \
  --executionMode cluster $JM_DYN > "$STATE/logs/jobmanager.out" 2>&1 &
echo $! > "$STATE/jobmanager.pid"
# shellcheck disable=SC2086
nohup java $TM_JVM $OPENS -Dlog.file="$STATE/logs/taskmanager.log" \
  -Dlog4j.configurationFile="file:$STATE/conf/log4j.properties" -cp "$CLASSPATH_OF_CLUSTER" \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$STATE/conf" $TM_DYN \
  > "$STATE/logs/taskmanager.out" 2>&1 &
echo $! > "$STATE/taskmanager.pid"

for _ in $(seq 1 120); do up && break; sleep 0.5; done
up || { echo "flink-up: the cluster did not come up; see $STATE/logs/" >&2; exit 1; }
echo "flink-up: Flink session cluster on http://localhost:$PORT${APP:+, the application from $APP on its classpath} (JobManager pid $(cat "$STATE/jobmanager.pid"), TaskManager pid $(cat "$STATE/taskmanager.pid"))" >&2
echo "export PQRS_FLINK_REST=http://localhost:$PORT"
