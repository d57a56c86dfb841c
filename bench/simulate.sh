#!/usr/bin/env bash
# Measures the Raw simulator: events/s and peak resident memory for a few date ranges, on the
# DirectRunner, on this machine. Appends a table to docs/benchmarks/simulator.md.
#   bench/simulate.sh [DAYS ...]      default: 14 30 60 (at least 11: the two spike windows must fit)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=pipelines/target/pqrs-lakehouse.jar
[ -f "$JAR" ] || mvn -B -ntp -q install -DskipTests
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
OUT=docs/benchmarks/simulator.md
mkdir -p docs/benchmarks
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
days=("$@"); [ ${#days[@]} -gt 0 ] || days=(14 30 60)

rows=()
for d in "${days[@]}"; do
  end=$(date -d "2025-03-01 + $((d - 1)) days" +%F)
  log="$WORK/run-$d.log"
  /usr/bin/time -v java -jar "$JAR" simulate --root "$WORK/lake-$d" --start 2025-03-01 --end "$end" \
    --run-id "bench-$d" >"$log" 2>&1 || { echo "bench: simulate failed:" >&2; tail -5 "$log" >&2; exit 1; }
  events=$(grep -oP 'events: \K[0-9,]+' "$log" | tr -d ,)
  secs=$(grep -oP 'took \K[0-9.]+' "$log")
  rate=$(grep -oP '\(\K[0-9,]+(?= events/s)' "$log" | tr -d ,)
  rss=$(grep -oP 'Maximum resident set size \(kbytes\): \K[0-9]+' "$log")
  rows+=("| $d | $events | $secs | $rate | $((rss / 1024)) |")
  echo "days=$d events=$events seconds=$secs events/s=$rate peak_rss_mb=$((rss / 1024))"
done

{
  echo
  echo "## Run of $(date -u +%F) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1)"
  echo
  echo "DirectRunner, default configuration (1150 tickets/day, two spike windows), one run per size."
  echo
  echo "| days | events | seconds (pipeline) | events/s | peak RSS (MB) |"
  echo "|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
} >>"$OUT"
echo "appended to $OUT"
