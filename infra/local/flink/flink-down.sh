#!/usr/bin/env bash
# Stops the session cluster flink-up.sh started, by the PIDs it recorded (TaskManager first).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_FLINK_STATE:-$HERE/.state}"
. "$HERE/../stop-recorded.sh"
for role in taskmanager jobmanager; do
  stop_recorded "$STATE/$role.pid" "$role" flink-down
done
