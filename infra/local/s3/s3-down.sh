#!/usr/bin/env bash
# Stops the S3Proxy that s3-up.sh started, by its recorded PID. --purge also deletes its data.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_S3_STATE:-$HERE/.state}"
if [ -f "$STATE/s3proxy.pid" ]; then
  PID="$(cat "$STATE/s3proxy.pid")"
  if kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 20); do kill -0 "$PID" 2>/dev/null || break; sleep 0.25; done
    echo "s3-down: S3Proxy (pid $PID) stopped" >&2
  fi
  rm -f "$STATE/s3proxy.pid"
fi
if [ "${1:-}" = "--purge" ]; then
  rm -rf "${PQRS_S3_DATA:-$STATE/data}"
fi
