"""What the Compose specification cannot say about infra/local/docker-compose.yml (dclint checks the
schema, see package.json): every file it mounts exists, every variable it reads has a development
value in .env.example, every service the stack promises is there and waits for what it needs, and
Prometheus scrapes services that exist. No Docker engine runs here, so these are checks of the file.

    .venv/bin/python -m pytest tests/compose
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

LOCAL = Path(__file__).resolve().parents[2] / "infra" / "local"
COMPOSE = LOCAL / "docker-compose.yml"

REQUIRED = {
    "postgres", "rustfs", "rustfs-init", "flink-jobmanager", "flink-taskmanager", "prefect-server",
    "prefect-worker", "prometheus", "pushgateway", "grafana", "metabase", "metabase-db", "streamlit",
}
# One-shot services: they exit, so they have no health check.
ONE_SHOT = {"rustfs-init"}
# ${VAR}, ${VAR:-default}; $${VAR} is the container's own variable.
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z0-9_]+)(?::?-[^}]*)?\}")


def problems(compose_file: Path, env_example: Path) -> list[str]:
    """Everything wrong with a Compose file, one line each (empty when it is fine)."""
    text = compose_file.read_text()
    doc = yaml.safe_load(text)
    services = doc.get("services", {})
    declared_volumes = set((doc.get("volumes") or {}).keys())
    env_values = {}
    for line in env_example.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env_values[key.strip()] = value.strip()
    out = []
    for missing in sorted(REQUIRED - services.keys()):
        out.append(f"service {missing} is missing")
    for var in sorted(set(VARIABLE.findall(text))):
        if not env_values.get(var):
            out.append(f"${{{var}}} has no value in {env_example.name}")
    for name, svc in services.items():
        image = svc.get("image", "")
        if ":" not in image.split("/")[-1] or image.endswith(":latest"):
            out.append(f"{name}: image {image!r} is not pinned")
        if name not in ONE_SHOT and "healthcheck" not in svc:
            out.append(f"{name}: no healthcheck")
        deps = svc.get("depends_on") or {}
        if isinstance(deps, list):
            out.append(f"{name}: depends_on without conditions")
        else:
            for dep, spec in deps.items():
                if dep not in services:
                    out.append(f"{name}: depends on unknown service {dep}")
                elif "condition" not in (spec or {}):
                    out.append(f"{name}: depends_on {dep} has no condition")
                elif spec["condition"] == "service_healthy" and "healthcheck" not in services[dep]:
                    out.append(f"{name}: waits for {dep} to be healthy, but {dep} has no healthcheck")
        for volume in svc.get("volumes") or []:
            source = (volume.split(":")[0] if isinstance(volume, str) else volume.get("source", ""))
            if source.startswith((".", "/")):
                if not (compose_file.parent / source).exists():
                    out.append(f"{name}: mounts {source}, which does not exist")
            elif source not in declared_volumes:
                out.append(f"{name}: named volume {source} is not declared")
    return out


def test_the_compose_file_has_every_service_file_and_variable_it_needs():
    assert problems(COMPOSE, LOCAL / ".env.example") == []


def test_the_checks_catch_a_broken_file(tmp_path):
    broken = COMPOSE.read_text()
    broken = broken.replace("./configs/prometheus.yml", "./configs/prometheus-missing.yml")
    broken = broken.replace("${PQRS_BUCKET:-lake}", "${PQRS_UNDOCUMENTED:-lake}")
    broken = broken.replace("image: prom/pushgateway:v1.9.0", "image: prom/pushgateway:latest")
    broken = broken.replace("      rustfs-init:\n        condition: service_completed_successfully\n", "")
    (tmp_path / "configs").symlink_to(LOCAL / "configs")
    target = tmp_path / "docker-compose.yml"
    target.write_text(broken)
    found = problems(target, LOCAL / ".env.example")
    assert any("prometheus-missing.yml, which does not exist" in p for p in found), found
    assert any("${PQRS_UNDOCUMENTED}" in p for p in found), found
    assert any("pushgateway: image 'prom/pushgateway:latest' is not pinned" in p for p in found), found


def test_taskmanagers_scale_and_metabase_keeps_its_own_database():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    tm = services["flink-taskmanager"]
    assert "container_name" not in tm and "ports" not in tm, "replicas would clash"
    assert services["metabase"]["environment"]["MB_DB_HOST"] == "metabase-db"
    assert "postgres" not in services["streamlit"].get("profiles", []) and services["streamlit"]["profiles"] == ["streamlit"]


def test_the_compose_taskmanager_has_the_native_clusters_sizes_and_jvm_options():
    """The TaskManager's sizes and JVM options are measured on the native cluster (flink-up.sh reads
    infra/local/flink/conf/config.yaml); the Compose TaskManager must get the same values."""
    # Flat "key: value" lines (its @STATE@ placeholders are not YAML).
    native = dict(line.split(": ", 1) for line in (LOCAL / "flink" / "conf" / "config.yaml").read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    props = services_tm_properties()
    shared = {k: v for k, v in native.items()
              if k.startswith(("taskmanager.memory.", "taskmanager.network.", "env.java.opts."))
              or k == "taskmanager.numberOfTaskSlots"}
    assert "env.java.opts.taskmanager" in shared
    for key, value in shared.items():
        assert str(props.get(key)) == str(value), f"{key}: {props.get(key)!r} in Compose, {value!r} in config.yaml"


def services_tm_properties() -> dict:
    tm = yaml.safe_load(COMPOSE.read_text())["services"]["flink-taskmanager"]
    return yaml.safe_load(tm["environment"]["FLINK_PROPERTIES"])


def test_prometheus_scrapes_services_of_the_stack():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    config = yaml.safe_load((LOCAL / "configs" / "prometheus.yml").read_text())
    hosts = set()
    for job in config["scrape_configs"]:
        for static in job.get("static_configs", []):
            hosts.update(t.split(":")[0] for t in static["targets"])
        for dns in job.get("dns_sd_configs", []):
            hosts.update(dns["names"])
    hosts.discard("localhost")
    assert hosts and hosts <= services.keys(), hosts - services.keys()
    assert {"flink", "pushgateway", "prometheus"} <= {j["job_name"] for j in config["scrape_configs"]}
    pushgateway = next(j for j in config["scrape_configs"] if j["job_name"] == "pushgateway")
    assert pushgateway.get("honor_labels") is True, "pushed job and layer labels must survive the scrape"


@pytest.mark.parametrize("mount", ["./configs/grafana/provisioning", "./configs/grafana/dashboards"])
def test_grafana_gets_its_provisioning(mount):
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    assert any(v.startswith(mount + ":") for v in services["grafana"]["volumes"])
