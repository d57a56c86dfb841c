#!/usr/bin/env bash
# Stops the native PostgreSQL cluster pg-up.sh started (its postmaster PID, through pg_ctlcluster).
# With --drop, also deletes the cluster and its data.
set -euo pipefail
NAME=pqrs
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
command -v pg_lsclusters >/dev/null 2>&1 || exit 0
VERSION="$(pg_lsclusters -h | awk -v n="$NAME" '$2 == n {print $1}')"
[ -n "$VERSION" ] || exit 0
if [ "${1:-}" = "--drop" ]; then
  as_root pg_dropcluster --stop "$VERSION" "$NAME"
  echo "pg-down: cluster $VERSION/$NAME dropped" >&2
else
  if pg_lsclusters -h | awk -v n="$NAME" '$2 == n {print $4}' | grep -qx online; then
    as_root pg_ctlcluster "$VERSION" "$NAME" stop
  fi
  echo "pg-down: cluster $VERSION/$NAME stopped" >&2
fi
