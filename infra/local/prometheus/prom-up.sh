#!/usr/bin/env bash
# Starts a native Prometheus and Pushgateway (Debian packages, installed when missing) with the same
# scrape jobs as configs/prometheus.yml, pointed at the local Flink cluster (flink-up.sh: reporter
# ports 9249-9250) and scraping every second. Checks both configs with promtool first.
# Prints the variables a run and the tests need:  eval "$(infra/local/prometheus/prom-up.sh)"
# Idempotent: servers already answering are left alone. Stop them with prom-down.sh (recorded PIDs).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="${PQRS_PROM_STATE:-$HERE/.state}"
PROM_PORT="${PQRS_PROMETHEUS_PORT:-9090}"
PUSH_PORT="${PQRS_PUSHGATEWAY_PORT:-9091}"
mkdir -p "$STATE/data"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v prometheus >/dev/null 2>&1 || ! command -v prometheus-pushgateway >/dev/null 2>&1; then
  echo "prom-up: installing prometheus and prometheus-pushgateway (Debian packages)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq prometheus prometheus-pushgateway >/dev/null
fi

# The Compose file's jobs, with the hosts this machine has.
cat > "$STATE/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["127.0.0.1:$PROM_PORT"]
  - job_name: flink
    static_configs:
      - targets: ["127.0.0.1:9249", "127.0.0.1:9250"]
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ["127.0.0.1:$PUSH_PORT"]
YAML
promtool check config "$HERE/../configs/prometheus.yml" >&2
promtool check config "$STATE/prometheus.yml" >&2

ready() { curl -sf "$1" >/dev/null 2>&1; }
if ! ready "http://127.0.0.1:$PUSH_PORT/-/ready"; then
  nohup prometheus-pushgateway --web.listen-address="127.0.0.1:$PUSH_PORT" >"$STATE/pushgateway.log" 2>&1 &
  echo $! > "$STATE/pushgateway.pid"
fi
if ! ready "http://127.0.0.1:$PROM_PORT/-/ready"; then
  nohup prometheus --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-lifecycle >"$STATE/prometheus.log" 2>&1 &
  echo $! > "$STATE/prometheus.pid"
fi
for _ in $(seq 1 60); do
  ready "http://127.0.0.1:$PUSH_PORT/-/ready" && ready "http://127.0.0.1:$PROM_PORT/-/ready" && break
  sleep 0.5
done
ready "http://127.0.0.1:$PUSH_PORT/-/ready" || { echo "prom-up: the Pushgateway did not start, see $STATE/pushgateway.log" >&2; exit 1; }
ready "http://127.0.0.1:$PROM_PORT/-/ready" || { echo "prom-up: Prometheus did not start, see $STATE/prometheus.log" >&2; exit 1; }
echo "prom-up: Prometheus on http://127.0.0.1:$PROM_PORT, Pushgateway on http://127.0.0.1:$PUSH_PORT" >&2
echo "export PQRS_PROMETHEUS_URL=http://127.0.0.1:$PROM_PORT PQRS_PUSHGATEWAY_URL=http://127.0.0.1:$PUSH_PORT"
