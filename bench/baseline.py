"""The DuckDB baseline of the benchmarks: bench/baseline/pqrs_kpis.sql over one run's Raw JSONL, timed,
and compared with the Gold the pipelines made of the same run.

    python bench/baseline.py --root lakehouse --run-id sim-20250101-2025-01-01-2025-03-31 [--threads 2]

Holidays come from the `holidays` package (Colombia), independent of the project's own calendar; SLA
targets, the initial state and the states' clock behaviour from docs/07-config. Prints one JSON line:
events, seconds (SQL only), events/s, days, and whether every daily figure equals Gold's. Exit
status 1 when they differ (the differences are printed, one line each, on stderr).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import holidays
import yaml

HERE = Path(__file__).resolve().parent
BOGOTA = timezone(timedelta(hours=-5))  # no daylight saving (ADR-0002)

def as_of(root: Path, run_id: str) -> int:
    """Silver's as-of when Silver ran, else its default: the start of the day after the last Raw day."""
    manifest = root / "manifests" / "silver" / f"run_id={run_id}" / "manifest.json"
    if manifest.exists():
        value = json.loads(manifest.read_text())["parameters"]["as_of"]
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    days = sorted(p.name[4:] for p in (root / "raw" / "pqrs" / f"run_id={run_id}").glob("day=*") if p.name != "day=unknown")
    last = date.fromisoformat(days[-1])
    return int(datetime.combine(last + timedelta(days=1), datetime.min.time(), BOGOTA).timestamp())


def run(root: Path, run_id: str, config_dir: Path, threads: int | None) -> dict:
    sim = yaml.safe_load((config_dir / "pqrs_simulation_v1.yaml").read_text())
    status = yaml.safe_load((config_dir / "pqrs_status_v1.yaml").read_text())
    cut = as_of(root, run_id)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    con.execute("CREATE TEMP TABLE holidays (day DATE)")
    con.execute("CREATE TEMP TABLE sla_targets (pqrs_type VARCHAR, days INTEGER)")
    con.execute("CREATE TEMP TABLE states (state VARCHAR, sla_behavior VARCHAR)")
    year = datetime.fromtimestamp(cut, BOGOTA).year
    con.executemany("INSERT INTO holidays VALUES (?)", [[d] for d in holidays.Colombia(years=range(year - 2, year + 2))])
    con.executemany("INSERT INTO sla_targets VALUES (?, ?)", list(sim["sla_business_days"].items()))
    con.executemany("INSERT INTO states VALUES (?, ?)", [[s["name"], s["sla_behavior"]] for s in status["states"]])
    raw_glob = f"{root}/raw/pqrs/run_id={run_id}/day=*/*.jsonl"
    sql = ((HERE / "baseline" / "pqrs_kpis.sql").read_text()
           .replace("{raw_glob}", f"'{raw_glob}'").replace("{as_of}", str(cut))
           .replace("{initial_state}", f"'{status['initial_state']}'"))
    started = time.perf_counter()
    con.execute(sql)  # DuckDB runs a script of several statements in one call
    seconds = time.perf_counter() - started
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    days = con.execute("SELECT count(*) FROM baseline_daily").fetchone()[0]
    result = {"run_id": run_id, "events": events, "seconds": round(seconds, 3),
              "events_per_s": round(events / seconds), "days": days}
    gold = root / "gold"
    if (gold / "ts_national_daily" / f"run_id={run_id}").exists():
        compare = (HERE / "baseline" / "compare_with_gold.sql").read_text()
        diff = con.execute(compare.replace("{gold}", str(gold)).replace("{run}", run_id)).fetchall()
        result["kpis_match"] = not diff
        for row in diff:
            print("differs: " + " ".join(str(v) for v in row), file=sys.stderr)
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", type=Path, default=Path("lakehouse"))
    p.add_argument("--run-id", required=True)
    p.add_argument("--config-dir", type=Path, default=HERE.parent / "docs" / "07-config")
    p.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    a = p.parse_args()
    if not (a.root / "raw" / "pqrs" / f"run_id={a.run_id}").is_dir():
        print(f"baseline: no Raw run {a.run_id} under {a.root}/raw/pqrs", file=sys.stderr)
        return 2
    result = run(a.root.resolve(), a.run_id, a.config_dir, a.threads)
    print(json.dumps(result))
    return 0 if result.get("kpis_match", True) else 1


if __name__ == "__main__":
    sys.exit(main())
