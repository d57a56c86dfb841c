"""Reads a run's records from the serving store's control plane (meta.* in PostgreSQL)."""
from __future__ import annotations

from urllib.parse import quote, urlparse

import psycopg2


def jdbc_url(database_url: str) -> str:
    """postgresql://user:password@host:port/db → the JDBC URL the pipelines take."""
    u = urlparse(database_url)
    creds = f"?user={quote(u.username or '')}&password={quote(u.password or '')}" if u.username else ""
    return f"jdbc:postgresql://{u.hostname}:{u.port or 5432}{u.path}{creds}"


def run_record(database_url: str, run_id: str, layer: str) -> dict | None:
    """The meta.etl_runs row of a run and layer, with its failed and warned checks."""
    with psycopg2.connect(database_url) as c, c.cursor() as cur:
        cur.execute("SELECT status, rows_in, rows_out, rows_quarantined, error_message, runner, "
                    "ended_at - started_at FROM meta.etl_runs WHERE run_id = %s AND layer = %s", (run_id, layer))
        row = cur.fetchone()
        if row is None:
            return None
        cur.execute("SELECT check_name, status, observed, threshold FROM meta.data_quality "
                    "WHERE run_id = %s AND layer = %s AND status <> 'PASS' ORDER BY check_name", (run_id, layer))
        checks = [dict(zip(("check", "status", "observed", "threshold"), r)) for r in cur.fetchall()]
    keys = ("status", "rows_in", "rows_out", "rows_quarantined", "error_message", "runner", "took")
    rec = dict(zip(keys, row))
    rec["checks"] = checks
    return rec
