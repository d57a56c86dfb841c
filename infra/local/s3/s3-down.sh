#!/usr/bin/env bash
# Stops the S3Proxy that s3-up.sh started, by its recorded PID. --purge also deletes its data.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_S3_STATE:-$HERE/.state}"
. "$HERE/../stop-recorded.sh"
stop_recorded "$STATE/s3proxy.pid" S3Proxy s3-down
if [ "${1:-}" = "--purge" ]; then
  rm -rf "${PQRS_S3_DATA:-$STATE/data}"
fi
