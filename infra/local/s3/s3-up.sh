#!/usr/bin/env bash
# Starts a local S3-compatible server for pqrs-lakehouse without Docker: S3Proxy 3.0.0 (from Maven
# Central) as its own JVM, storing objects as plain files under $PQRS_S3_DATA. Path-style access;
# development credentials. Idempotent: a server already answering on the port is left alone.
# Prints the variables a run needs. Stop it with s3-down.sh (by the PID it records).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${PQRS_S3_PORT:-9000}"
STATE="${PQRS_S3_STATE:-$HERE/.state}"
DATA="${PQRS_S3_DATA:-$STATE/data}"
KEY="${PQRS_S3_ACCESS_KEY:-pqrs}"
SECRET="${PQRS_S3_SECRET_KEY:-pqrs-dev-secret}"
VERSION=3.0.0
JAR="$STATE/s3proxy-$VERSION-jar-with-dependencies.jar"
mkdir -p "$STATE" "$DATA"

# The HTTP status of a GET (curl when present, else Python's standard library).
status() {
  if command -v curl >/dev/null 2>&1; then curl -s -o /dev/null -w '%{http_code}' "$1" || true
  else python3 -c 'import sys, urllib.request, urllib.error
try: print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e: print(e.code)
except Exception: print(0)' "$1"; fi
}
# An anonymous request is refused once the server is up.
ready() { [ "$(status "http://127.0.0.1:$PORT/")" = 403 ]; }

if ! ready; then
  if [ ! -f "$JAR" ]; then
    echo "s3-up: fetching S3Proxy $VERSION from Maven Central..." >&2
    mvn -B -ntp -q dependency:copy -Dartifact="org.gaul:s3proxy:$VERSION:jar:jar-with-dependencies" \
      -DoutputDirectory="$STATE" >&2
  fi
  cat > "$STATE/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$KEY
s3proxy.credential=$SECRET
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$DATA
PROPS
  nohup java -Xmx256m -jar "$JAR" --properties "$STATE/s3proxy.properties" > "$STATE/s3proxy.log" 2>&1 &
  echo $! > "$STATE/s3proxy.pid"
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || { echo "s3-up: S3Proxy did not answer on port $PORT; see $STATE/s3proxy.log" >&2; exit 1; }
  echo "s3-up: S3Proxy $VERSION on http://127.0.0.1:$PORT (pid $(cat "$STATE/s3proxy.pid")), data in $DATA" >&2
fi
echo "export AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1 PQRS_S3_ENDPOINT=http://127.0.0.1:$PORT"
