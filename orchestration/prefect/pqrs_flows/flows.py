"""The pqrs_lakehouse flow (one run: Raw → Bronze → Silver → Gold as Flink jobs) and a backfill.

Each layer is a detached Flink job submitted through REST with the job jar; the job itself writes
its manifest and its meta.etl_runs record, which the flow reads to decide: FAILED stops the flow,
DEGRADED goes on and is reported.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from .control_plane import jdbc_url, run_record
from .flink import FlinkError, FlinkRest, TransientError

# Where the job jar lists its layers and their entry classes (the Java side's JobJarEntry reads it too).
LAYERS_RESOURCE = "pqrs/job-layers.tsv"


def job_layers(job_jar: str) -> dict[str, str]:
    """The layers the job jar runs, in the order of the chain, and each one's entry class, as the jar lists them."""
    try:
        with zipfile.ZipFile(job_jar) as z:
            text = z.read(LAYERS_RESOURCE).decode("utf-8")
    except KeyError:
        raise ValueError(f"{job_jar} has no {LAYERS_RESOURCE}: not a pqrs-lakehouse-job.jar of this version") from None
    except (OSError, zipfile.BadZipFile) as e:
        raise ValueError(f"{job_jar} cannot be read as the job jar: {e}") from None
    layers = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise ValueError(f"{job_jar}: {LAYERS_RESOURCE} line {n}: expected a layer and its entry class: {line}")
        layers[fields[0]] = fields[1]
    return layers


def job_name(layer: str, run_id: str) -> str:
    """The Flink job name of a layer of a run: how a retry finds a job the cluster already accepted."""
    return f"pqrs-{layer}-{run_id}"


@task(retries=3, retry_delay_seconds=[2, 5, 10], retry_condition_fn=lambda t, r, s: _transient(s))
def upload_job_jar(flink_url: str, job_jar: str) -> str:
    return FlinkRest(flink_url).upload_once(Path(job_jar))


def _transient(state) -> bool:
    try:
        state.result()
    except TransientError:
        return True
    except Exception:  # noqa: BLE001 - anything else is not worth a retry
        return False
    return False


@task(retries=3, retry_delay_seconds=[2, 5, 10], retry_condition_fn=lambda t, r, s: _transient(s))
def submit_layer(flink_url: str, jar_id: str, layer: str, entry_class: str, run_id: str, args: list[str]) -> str:
    """Submits a layer unless the cluster already has its job (running or finished): never twice."""
    flink = FlinkRest(flink_url)
    existing = flink.find_job(job_name(layer, run_id))
    if existing:
        get_run_logger().info("%s of %s already accepted as job %s (%s): not submitted again",
                              layer, run_id, existing["jid"], existing["state"])
        return existing["jid"]
    return flink.run(jar_id, entry_class, args)


@task(retries=2, retry_delay_seconds=5, retry_condition_fn=lambda t, r, s: _transient(s))
def wait_for_job(flink_url: str, job_id: str, timeout_s: float) -> str:
    flink = FlinkRest(flink_url)
    state = flink.wait(job_id, timeout_s)
    if state != "FINISHED":
        raise FlinkError(f"Flink job {job_id} {state}: {flink.root_exception(job_id)}")
    return state


@task
def check_record(database_url: str, run_id: str, layer: str) -> dict:
    rec = run_record(database_url, run_id, layer)
    if rec is None:
        raise RuntimeError(f"{layer} of {run_id} finished on Flink but left no meta.etl_runs record")
    if rec["status"] == "FAILED":
        failed = "; ".join(f"{c['check']} (observed {c['observed']}, allowed {c['threshold']})"
                           for c in rec["checks"] if c["status"] == "FAIL")
        raise RuntimeError(f"{layer} of {run_id} FAILED: {rec['error_message'] or failed}")
    if rec["status"] == "DEGRADED":
        get_run_logger().warning("%s of %s DEGRADED: %s", layer, run_id,
                                 ", ".join(c["check"] for c in rec["checks"]))
    return rec


def layer_args(layer: str, run_id: str, root: str, database_url: str, s3_endpoint: str | None, aws_region: str,
               seed: int | None, start: str | None, end: str | None, as_of: str | None,
               simulation_config: str | None) -> list[str]:
    a = ["--runner=FlinkRunner", "--attachedMode=false", f"--jobName={job_name(layer, run_id)}",
         f"--root={root}", f"--runId={run_id}", f"--jdbcUrl={jdbc_url(database_url)}", f"--awsRegion={aws_region}"]
    if s3_endpoint:
        a += [f"--endpoint={s3_endpoint}",
              "--s3ClientFactoryClass=co.pqrs.lakehouse.pipelines.s3.PathStyleS3ClientBuilderFactory"]
    if layer == "raw":
        a.append("--createBucket=true")
        a += [f"--{k}={v}" for k, v in (("seed", seed), ("start", start), ("end", end),
                                        ("simulationConfig", simulation_config)) if v is not None]
    if as_of and layer in ("silver", "gold"):
        a.append(f"--asOf={as_of}")
    return a


def _report(run_id: str, flink_url: str, rows: list[dict], failure: str | None) -> None:
    lines = [f"# pqrs run `{run_id}`", "", "| layer | status | rows in | rows out | quarantined | checks not passed | Flink job |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        checks = ", ".join(f"{c['check']} {c['status']}" for c in r.get("checks", [])) or "-"
        link = f"[{r['job'][:8]}]({flink_url.rstrip('/')}/#/job/completed/{r['job']}/overview)" if r.get("job") else "-"
        lines.append(f"| {r['layer']} | {r.get('status', '-')} | {r.get('rows_in', '-')} | {r.get('rows_out', '-')} "
                     f"| {r.get('rows_quarantined', '-')} | {checks} | {link} |")
    if failure:
        lines += ["", f"**Stopped:** {failure}"]
    key = re.sub(r"[^a-z0-9-]+", "-", f"pqrs-run-{run_id}".lower())[:100]
    create_markdown_artifact(key=key, markdown="\n".join(lines), description=f"pqrs run {run_id}")


@flow(name="pqrs_lakehouse")
def pqrs_lakehouse(run_id: str, flink_url: str, job_jar: str, root: str, database_url: str,
                   seed: int | None = None, start: str | None = None, end: str | None = None,
                   layers: list[str] | None = None, as_of: str | None = None, s3_endpoint: str | None = None,
                   aws_region: str = "us-east-1", simulation_config: str | None = None,
                   job_timeout_s: float = 900) -> list[dict]:
    """Runs the layers of one run on Flink, in order, stopping at the first FAILED one."""
    entries = job_layers(job_jar)
    layers = layers or list(entries)
    unknown = [l for l in layers if l not in entries]
    if unknown:
        raise ValueError(f"unknown layers {unknown}: choose from {list(entries)}")
    jar_id = upload_job_jar(flink_url, job_jar)
    rows: list[dict] = []
    try:
        for layer in [l for l in entries if l in layers]:
            args = layer_args(layer, run_id, root, database_url, s3_endpoint, aws_region, seed, start, end, as_of,
                              simulation_config)
            job = submit_layer(flink_url, jar_id, layer, entries[layer], run_id, args)
            rows.append({"layer": layer, "job": job})
            wait_for_job(flink_url, job, job_timeout_s)
            rows[-1].update(check_record(database_url, run_id, layer))
    except Exception as e:
        _report(run_id, flink_url, rows, str(e))
        raise
    _report(run_id, flink_url, rows, None)
    return rows


def windows(start: date, end: date, days: int) -> list[tuple[date, date]]:
    out, d = [], start
    while d <= end:
        w_end = min(end, d + timedelta(days=days - 1))
        out.append((d, w_end))
        d = w_end + timedelta(days=1)
    return out


@flow(name="pqrs_backfill")
def pqrs_backfill(start: str, end: str, flink_url: str, job_jar: str, root: str, database_url: str,
                  window_days: int = 7, run_prefix: str = "backfill", seed: int | None = None,
                  s3_endpoint: str | None = None, aws_region: str = "us-east-1",
                  simulation_config: str | None = None) -> list[str]:
    """One run per window of the date range, one after the other; windows whose Gold run succeeded
    before are skipped, so a stopped backfill resumes where it stopped."""
    done = []
    for w_start, w_end in windows(date.fromisoformat(start), date.fromisoformat(end), window_days):
        run_id = f"{run_prefix}-{w_start}-{w_end}"
        rec = run_record(database_url, run_id, "gold")
        if rec and rec["status"] in ("SUCCESS", "DEGRADED"):
            get_run_logger().info("window %s already done (%s): skipped", run_id, rec["status"])
        else:
            pqrs_lakehouse(run_id=run_id, flink_url=flink_url, job_jar=job_jar, root=root, database_url=database_url,
                           seed=seed, start=str(w_start), end=str(w_end), s3_endpoint=s3_endpoint,
                           aws_region=aws_region, simulation_config=simulation_config)
        done.append(run_id)
    return done


@flow(name="pqrs_daily")
def pqrs_daily(flink_url: str, job_jar: str, root: str, database_url: str, day: str | None = None,
               s3_endpoint: str | None = None, aws_region: str = "us-east-1") -> list[dict]:
    """The scheduled run: one day (default yesterday in America/Bogota) as run daily-<day>."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    d = date.fromisoformat(day) if day else datetime.now(ZoneInfo("America/Bogota")).date() - timedelta(days=1)
    return pqrs_lakehouse(run_id=f"daily-{d}", flink_url=flink_url, job_jar=job_jar, root=root,
                          database_url=database_url, start=str(d), end=str(d), s3_endpoint=s3_endpoint,
                          aws_region=aws_region)
