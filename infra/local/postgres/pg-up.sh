#!/usr/bin/env bash
# Starts a native PostgreSQL cluster for pqrs-lakehouse (no Docker): installs Debian's postgresql when
# missing, creates the cluster "pqrs" on $PQRS_PG_PORT (default 55432), the login role "pqrs" (owner of
# the database "pqrs") and applies infra/local/init-scripts in name order, the way the Compose
# postgres service does. Idempotent: a running cluster is left as it is. Prints the variables a run
# needs. Development credentials only.
set -euo pipefail
PORT="${PQRS_PG_PORT:-55432}"
NAME=pqrs
USER_NAME=pqrs
PASSWORD="${PQRS_PG_PASSWORD:-pqrs_dev}"
HERE="$(cd "$(dirname "$0")" && pwd)"
SCRIPTS="$HERE/../init-scripts"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "pg-up: installing PostgreSQL (Debian package)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"

if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
  echo "pg-up: creating cluster $VERSION/$NAME on port $PORT" >&2
  as_root pg_createcluster "$VERSION" "$NAME" -p "$PORT" -- --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi
if ! pg_lsclusters -h | awk -v n="$NAME" '$2 == n {print $4}' | grep -qx online; then
  as_root pg_ctlcluster "$VERSION" "$NAME" start
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { echo "pg-up: PostgreSQL did not become ready on port $PORT" >&2; exit 1; }

psql_su() { as_root runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }
psql_su -d postgres -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME') THEN
    CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD';
  END IF; END \$\$;"
if ! psql_su -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$NAME'" | grep -q 1; then
  psql_su -d postgres -c "CREATE DATABASE $NAME OWNER $USER_NAME"
fi
# The pipelines' role owns what the portable scripts create (it re-applies them on every run);
# only the BI role script needs a superuser.
for f in "$SCRIPTS"/*.sql; do
  case "$(basename "$f")" in
    90-*) psql_su -d "$NAME" -f "$f" ;;
    *) PGPASSWORD="$PASSWORD" psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d "$NAME" -f "$f" ;;
  esac
done
echo "pg-up: PostgreSQL $VERSION ready on 127.0.0.1:$PORT, database $NAME" >&2
echo "export PQRS_JDBC_URL=jdbc:postgresql://127.0.0.1:$PORT/$NAME PQRS_JDBC_USER=$USER_NAME PQRS_JDBC_PASSWORD=$PASSWORD"
