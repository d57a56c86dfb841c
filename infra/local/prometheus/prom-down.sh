#!/usr/bin/env bash
# Stops what prom-up.sh started (by recorded PID). --purge also deletes the scraped data.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_PROM_STATE:-$HERE/.state}"
. "$HERE/../stop-recorded.sh"
stop_recorded "$STATE/prometheus.pid" Prometheus prom-down
stop_recorded "$STATE/pushgateway.pid" Pushgateway prom-down
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$STATE"
fi
