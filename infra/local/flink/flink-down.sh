#!/usr/bin/env bash
# Stops the session cluster flink-up.sh started, by the PIDs it recorded (TaskManager first).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_FLINK_STATE:-$HERE/.state}"
for role in taskmanager jobmanager; do
  f="$STATE/$role.pid"
  [ -f "$f" ] || continue
  PID="$(cat "$f")"
  if kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$PID" 2>/dev/null || true
    echo "flink-down: $role (pid $PID) stopped" >&2
  fi
  rm -f "$f"
done
