#!/usr/bin/env bash
# Measures each layer on the DirectRunner: rows in, seconds, rows/s and peak resident memory, for a
# few date ranges of the default simulation. Appends a table to docs/benchmarks/layers.md.
#   bench/layers.sh [DAYS ...]      default: 14 30 (at least 11: the two spike windows must fit)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=pipelines/target/pqrs-lakehouse.jar
[ -f "$JAR" ] || mvn -B -ntp -q install -DskipTests
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
OUT=docs/benchmarks/layers.md
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
days=("$@"); [ ${#days[@]} -gt 0 ] || days=(14 30)

measure() { # layer days args...
  local layer=$1 d=$2; shift 2
  local log="$WORK/$layer-$d.log"
  /usr/bin/time -v java -jar "$JAR" "$layer" "$@" >"$log" 2>&1 || { echo "bench: $layer failed:" >&2; tail -5 "$log" >&2; exit 1; }
  local secs rss rows
  secs=$(grep -oP '(took|Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):) \K[0-9.:]+' "$log" | head -1)
  rss=$(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$log")
  case $layer in
    simulate) rows=$(grep -oP 'events: \K[0-9,]+' "$log" | tr -d ,) ;;
    bronze) rows=$(grep -oP 'in \K[0-9,]+(?= raw lines)' "$log" | tr -d ,) ;;
    silver) rows=$(grep -oP 'in \K[0-9,]+(?= bronze rows)' "$log" | tr -d ,) ;;
  esac
  local rate; rate=$(awk -v r="$rows" -v s="$secs" 'BEGIN{printf "%.0f", r/s}')
  rows_out+=("| $layer | $d | $rows | $secs | $rate | $((rss / 1024)) |")
  echo "$layer days=$d rows_in=$rows seconds=$secs rows/s=$rate peak_rss_mb=$((rss / 1024))"
}

rows_out=()
for d in "${days[@]}"; do
  end=$(date -d "2025-03-01 + $((d - 1)) days" +%F)
  root="$WORK/lake-$d"
  measure simulate "$d" --root "$root" --start 2025-03-01 --end "$end" --run-id "b$d"
  measure bronze "$d" --root "$root" --run-id "b$d"
  measure silver "$d" --root "$root" --run-id "b$d"
done
{
  [ -s "$OUT" ] || printf '# Layer throughput (DirectRunner)\n\nMeasured by `bench/layers.sh`: each `pqrs` command on the default configuration, seconds as the\nCLI reports them (pipeline only, JVM start excluded), rows/s = rows read by the layer / seconds, peak\nresident memory of the JVM from GNU time. Single runs on a shared machine: orders of magnitude, not\nbenchmarks of record; the Flink runner and the DuckDB baseline belong to the benchmark issue.\n'
  echo
  echo "## Run of $(date -u +%F) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1)"
  echo
  echo "| layer | days | rows in | seconds | rows/s | peak RSS (MB) |"
  echo "|---|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows_out[@]}"
} >>"$OUT"
echo "appended to $OUT"
