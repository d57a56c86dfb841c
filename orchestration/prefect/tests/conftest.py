"""Fixtures: Prefect's test harness, and the real servers `make test` starts (Flink, S3, PostgreSQL)."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

REPO = Path(__file__).resolve().parents[3]


def env(name: str) -> str:
    v = os.environ.get(name)
    if not v:
        pytest.fail(f"{name} is not set: run these tests through `make test`, which starts Flink, S3 and PostgreSQL")
    return v


@pytest.fixture(scope="session", autouse=True)
def harness():
    # Prefect's temporary server migrates a fresh SQLite database before it answers: 25 s on these
    # 2-core machines, past the harness's default 30 s wait on a slow one. It is polled, so a long
    # limit costs nothing when the server is quick.
    with prefect_test_harness(server_startup_timeout=300):
        yield


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> dict:
    url = env("PQRS_TEST_JDBC_URL")  # jdbc:postgresql://host:port/db
    host, port, db = re.match(r"jdbc:postgresql://([^:/]+):(\d+)/(\w+)", url).groups()
    config = tmp_path_factory.mktemp("cfg") / "small.yaml"
    # The simulator at 40 tickets a day, one short spike: a few thousand events per run.
    text = (REPO / "docs/07-config/pqrs_simulation_v1.yaml").read_text()
    for key, value in (("volume_daily_avg", 40), ("window_count", 1), ("min_days", 2), ("max_days", 2),
                       ("min_daily_volume", 80), ("max_daily_volume", 90)):
        text = re.sub(rf"(?m)^(\s*){key}:\s*[^\s#]+", rf"\g<1>{key}: {value}", text, count=1)
    config.write_text(text)
    return {
        "flink_url": env("PQRS_FLINK_REST"),
        "job_jar": str(REPO / "pipelines/target/pqrs-lakehouse-job.jar"),
        "root": f"s3://lake/prefect-{time.time_ns():x}",
        "database_url": f"postgresql://{env('PQRS_TEST_JDBC_USER')}:{env('PQRS_TEST_JDBC_PASSWORD')}@{host}:{port}/{db}",
        "s3_endpoint": env("PQRS_S3_ENDPOINT"),
        "simulation_config": str(config),
    }
