"""The flows against the real local Flink cluster, S3 server and PostgreSQL."""
from __future__ import annotations

import time
import zipfile
from pathlib import Path

import psycopg2
import pytest

from pqrs_flows import flink as flink_mod
from pqrs_flows.flink import FlinkRest, TransientError
from pqrs_flows.flows import LAYERS_RESOURCE, job_layers, job_name, pqrs_backfill, pqrs_lakehouse, windows

REPO = Path(__file__).resolve().parents[3]


def unique(prefix: str) -> str:
    return f"{prefix}-{time.time_ns() % 10**9:x}"


def gold_rows(database_url: str, run_id: str) -> int:
    with psycopg2.connect(database_url) as c, c.cursor() as cur:
        cur.execute("SELECT count(*) FROM gold.kpi_volume_daily WHERE run_id = %s", (run_id,))
        return cur.fetchone()[0]


def test_the_flow_runs_the_whole_chain_and_gold_lands_in_postgres(stack):
    run_id = unique("pf")
    rows = pqrs_lakehouse(run_id=run_id, seed=41, start="2025-02-03", end="2025-02-12", **stack)
    assert [r["layer"] for r in rows] == ["raw", "bronze", "silver", "gold"]
    assert all(r["status"] in ("SUCCESS", "DEGRADED") and r["runner"] == "FlinkRunner" for r in rows)
    assert gold_rows(stack["database_url"], run_id) > 0
    assert rows[1]["rows_in"] == rows[0]["rows_out"], "bronze reads every raw line"


def test_a_failing_layer_fails_the_flow_with_the_root_cause(stack):
    # Bronze of a run that has no Raw: the cluster refuses it with our one-line error.
    with pytest.raises(Exception, match="raw run_id .* not found"):
        pqrs_lakehouse(run_id=unique("missing"), layers=["bronze"], **stack)


def test_a_retried_submission_does_not_submit_the_job_twice(stack, monkeypatch):
    run_id = unique("retry")
    real_run = FlinkRest.run
    calls = []

    def accepted_then_lost(self, jar_id, entry_class, args):
        job = real_run(self, jar_id, entry_class, args)
        calls.append(job)
        if len(calls) == 1:
            raise TransientError("HTTP 502 after the cluster accepted the job")
        return job

    monkeypatch.setattr(flink_mod.FlinkRest, "run", accepted_then_lost)
    pqrs_lakehouse(run_id=run_id, seed=43, start="2025-02-03", end="2025-02-12", layers=["raw"], **stack)
    jobs = [j for j in FlinkRest(stack["flink_url"])._call("GET", "/jobs/overview")["jobs"]
            if j["name"] == job_name("raw", run_id)]
    assert len(calls) == 1, "the retry found the accepted job instead of submitting again"
    assert len(jobs) == 1


def test_the_layers_and_entry_classes_come_from_the_job_jar():
    jar = REPO / "pipelines/target/pqrs-lakehouse-job.jar"
    layers = job_layers(str(jar))
    assert list(layers) == ["raw", "bronze", "silver", "gold"]
    assert layers["bronze"] == "co.pqrs.lakehouse.pipelines.BronzePipeline"
    with zipfile.ZipFile(jar) as z:
        names = set(z.namelist())
    assert all(c.replace(".", "/") + ".class" in names for c in layers.values()), "every entry class is in the jar"


def test_a_jar_without_or_with_a_bad_layer_list_is_refused_by_name(tmp_path):
    plain = tmp_path / "other.jar"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    with pytest.raises(ValueError, match=f"other.jar has no {LAYERS_RESOURCE}: not a pqrs-lakehouse-job.jar"):
        job_layers(str(plain))
    bad = tmp_path / "bad.jar"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr(LAYERS_RESOURCE, "# header\nraw\tco.X\nbronze co.Y\n")
    with pytest.raises(ValueError, match="line 3: expected a layer and its entry class"):
        job_layers(str(bad))
    with pytest.raises(ValueError, match="cannot be read as the job jar"):
        job_layers(str(tmp_path / "missing.jar"))


def test_an_unknown_layer_is_refused_before_anything_is_submitted(stack):
    with pytest.raises(ValueError, match=r"unknown layers \['platinum'\]: choose from \['raw', 'bronze', 'silver', 'gold'\]"):
        pqrs_lakehouse(run_id=unique("unknown"), layers=["platinum"], **stack)


def test_windows_cover_the_range_without_overlap():
    from datetime import date
    w = windows(date(2025, 1, 1), date(2025, 1, 20), 7)
    assert w[0] == (date(2025, 1, 1), date(2025, 1, 7))
    assert w[-1] == (date(2025, 1, 15), date(2025, 1, 20))


def test_the_backfill_runs_two_windows_and_resumes(stack):
    prefix = unique("bf")
    done = pqrs_backfill(start="2025-03-03", end="2025-03-24", window_days=11, run_prefix=prefix, seed=47, **stack)
    assert done == [f"{prefix}-2025-03-03-2025-03-13", f"{prefix}-2025-03-14-2025-03-24"]
    for run_id in done:
        assert gold_rows(stack["database_url"], run_id) > 0
    # Run again: both windows are already done, nothing is submitted.
    before = len(FlinkRest(stack["flink_url"])._call("GET", "/jobs/overview")["jobs"])
    assert pqrs_backfill(start="2025-03-03", end="2025-03-24", window_days=11, run_prefix=prefix, seed=47,
                         **stack) == done
    assert len(FlinkRest(stack["flink_url"])._call("GET", "/jobs/overview")["jobs"]) == before
