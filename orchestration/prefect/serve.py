"""Serves the pqrs_daily flow with a daily schedule from this process (no work pool needed):

    PREFECT_API_URL=http://localhost:4200/api python serve.py

Every day at 02:00 UTC it simulates and processes the previous day as one run. The
parameters come from the environment, as in the Compose stack (see README.md).
"""
from __future__ import annotations

import os

from pqrs_flows.flows import pqrs_daily

if __name__ == "__main__":
    pqrs_daily.serve(
        name="pqrs-daily",
        cron="0 2 * * *",
        parameters={
            "flink_url": os.environ.get("PQRS_FLINK_REST", "http://localhost:8081"),
            "job_jar": os.environ.get("PQRS_JOB_JAR", "pipelines/target/pqrs-lakehouse-job.jar"),
            "root": os.environ.get("PQRS_ROOT", "s3://lake/pqrs"),
            "database_url": os.environ.get("PQRS_DATABASE_URL", "postgresql://pqrs:pqrs_dev@localhost:55432/pqrs"),
            "s3_endpoint": os.environ.get("PQRS_S3_ENDPOINT"),
        },
    )
