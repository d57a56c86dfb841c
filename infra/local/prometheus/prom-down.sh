#!/usr/bin/env bash
# Stops what prom-up.sh started (by recorded PID). --purge also deletes the scraped data.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_PROM_STATE:-$HERE/.state}"
for name in prometheus pushgateway; do
  pid_file="$STATE/$name.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  kill "$pid" 2>/dev/null && for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$pid_file"
done
[ "${1:-}" = "--purge" ] && rm -rf "$STATE"
exit 0
