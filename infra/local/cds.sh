#!/usr/bin/env bash
# Trains an archive of the pqrs jar's classes for the JVM bin/pqrs runs (JAVA_HOME's, else the PATH's;
# bin/pqrs-java.sh): the classes a whole chain loads (Beam, Flink's embedded runner, the layers, the
# serving store), parsed and laid out once, then mapped by every later JVM. On Java 17 a
# class-data-sharing archive (-XX:ArchiveClassesAtExit; mapped with -XX:SharedArchiveFile): about 2 s
# off each layer command's seconds at the smallest sizes (docs/benchmarks/changes.md, "Twenty-first change").
# On Java 25 and later an ahead-of-time cache (-XX:AOTCacheOutput; mapped with -XX:AOTCache), which
# also holds the classes linked and the training run's method profiles ("Forty-fifth change").
# Nothing changes in what a command writes. An archive newer than the jar is kept (FORCE=1 trains anew).
#
#   infra/local/cds.sh [JAR] [ARCHIVE]
#     JAR      default pipelines/target/pqrs-lakehouse.jar
#     ARCHIVE  default the one bin/pqrs maps for that JVM: the jar's path with .jsa, or -java25.aot
#              (the JVM's feature version) instead of .jar
#
# The training run is `pqrs run` on embedded Flink over 11 simulated days at a small volume (about
# 22 k events), in a scratch folder removed afterwards. An archive serves only the jar it was trained
# on: a JVM ignores one whose jar moved or changed (its size or modification time) and prints a
# warning line on stdout, so bin/pqrs passes it only while it is newer than the jar; train it again
# after a build. The archive records the jar's path as the training run named it: trained on a
# relative path it maps only for commands started from the same folder, so the jar is named by its
# absolute path here, and an archive maps from any folder (docs/benchmarks/changes.md, "Tried and not kept").
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
. "$repo/bin/pqrs-java.sh"
JAR="${1:-pipelines/target/pqrs-lakehouse.jar}"
[ -f "$JAR" ] || { echo "cds: no jar at $JAR (make build)" >&2; exit 1; }
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
ARCHIVE="${2:-$(pqrs_archive "$JAR")}"
if [ "$ARCHIVE" -nt "$JAR" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "cds: $ARCHIVE is newer than the jar: kept (FORCE=1 trains it anew)" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
trained="$work/pqrs.${ARCHIVE##*.}"
# -Xlog:cds=off, aot=off: the archive's notes (classes of old class-file versions, or loaded in a way
# the cache cannot keep, that it leaves out) are not errors.
case "$ARCHIVE" in
  *.aot) train=(-XX:AOTCacheOutput="$trained" -Xlog:cds=off -Xlog:aot=off) ;;
  *) train=(-XX:ArchiveClassesAtExit="$trained" -Xlog:cds=off) ;;
esac

# The packaged simulation config at a small, fixed volume: training needs every code path, not data.
unzip -p "$JAR" pqrs/config/pqrs_simulation_v1.yaml > "$work/simulation.yaml" 2>/dev/null || cp "$repo/docs/07-config/pqrs_simulation_v1.yaml" "$work/simulation.yaml"
sed -i -e 's/^volume_daily_avg: *[0-9]*/volume_daily_avg: 100/' \
  -e 's/^  min_daily_volume: *[0-9]*/  min_daily_volume: 250/' -e 's/^  max_daily_volume: *[0-9]*/  max_daily_volume: 300/' \
  "$work/simulation.yaml"

stamp="$(stat -c '%s %Y' "$JAR")"
echo "cds: training $ARCHIVE on a small chain (simulate, Bronze, Silver, Gold, serve) with $JAR and $PQRS_JAVA (Java $PQRS_JAVA_FEATURE)" >&2
read -r -a version_opts <<< "$(pqrs_java_version_options)"
# A JVM that crashes writes its report into the scratch folder, not the current one; the crash is
# named below (Java 25.0.3 crashed once here writing a cache after the three layers on ParallelGC:
# docs/benchmarks/changes.md, "Forty-fifth change").
"$PQRS_JAVA" -Xmx1g "${train[@]}" "${version_opts[@]}" -XX:ErrorFile="$work/hs_err.log" -Djava.io.tmpdir="$work" -jar "$JAR" \
  run --root "$work/lake" --config "$work/simulation.yaml" --start 2025-03-03 --end 2025-03-13 --run-id cds-training \
  --runner=FlinkRunner '--flinkMaster=[local]' --parallelism=2 > "$work/train.log" 2>&1 \
  || { echo "cds: the training run failed:" >&2; grep -v '^\s*at ' "$work/train.log" | tail -5 >&2
       [ ! -f "$work/hs_err.log" ] || grep -m2 -E '^#  ?(SIG[A-Z]+ \(|[VJCj]  \[)' "$work/hs_err.log" >&2
       exit 1; }
[ "$(stat -c '%s %Y' "$JAR")" = "$stamp" ] || { echo "cds: $JAR changed during the training run; run it again" >&2; exit 1; }

# The archive must map (-Xshare:on, or an AOT cache's -XX:AOTMode=on, fails otherwise) and serve the project's own classes.
shared="$("$PQRS_JAVA" "$(pqrs_archive_option "$trained")" "$(pqrs_share_option "$trained" on)" -Xlog:class+load -jar "$JAR" --version \
  | grep -c '^\[.*\] co\.pqrs\..* source: shared objects file' || true)"
[ "$shared" -gt 0 ] || { echo "cds: the archive trained on $JAR does not serve its classes" >&2; exit 1; }
mv -f "$trained" "$ARCHIVE"
events="$(grep -m1 -oP 'events: \K[0-9,]+' "$work/train.log" || echo '?')"
echo "cds: $ARCHIVE, $(du -m "$ARCHIVE" | cut -f1) MB, trained on $events events; bin/pqrs maps it (or $PQRS_JAVA $(pqrs_archive_option "$ARCHIVE") -jar $JAR)" >&2
