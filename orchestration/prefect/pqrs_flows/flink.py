"""The Flink REST calls the flows make: upload a jar, run a job, follow it.

Errors are split in two: ``TransientError`` (connection refused, 5xx: worth retrying) and
``FlinkError`` (the cluster refused the request: retrying will not help).
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import requests

TERMINAL = {"FINISHED", "FAILED", "CANCELED"}


class TransientError(RuntimeError):
    """The cluster could not be reached or answered 5xx."""


class FlinkError(RuntimeError):
    """The cluster refused the request (4xx) or a job failed; the message holds Flink's cause."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class FlinkRest:
    url: str
    timeout: float = 60.0

    def _call(self, method: str, path: str, **kw) -> dict:
        try:
            r = requests.request(method, self.url.rstrip("/") + path, timeout=self.timeout, **kw)
        except requests.ConnectionError as e:
            raise TransientError(f"{method} {path}: cannot reach Flink at {self.url}: {e}") from e
        if r.status_code >= 500:
            raise TransientError(f"{method} {path}: HTTP {r.status_code}: {r.text[:500]}")
        if r.status_code >= 400:
            try:
                errors = r.json().get("errors") or [r.text]
            except ValueError:
                errors = [r.text]
            raise FlinkError(f"{method} {path}: HTTP {r.status_code}: {root_cause(errors[0])}")
        return r.json()

    def upload_once(self, jar: Path) -> str:
        """Uploads ``jar`` unless a jar with the same content (by SHA-256) is already there."""
        digest = sha256(jar)[:16]
        name = f"{jar.stem}-{digest}.jar"
        for f in self._call("GET", "/jars").get("files", []):
            if f.get("name") == name:
                return f["id"]
        with open(jar, "rb") as f:
            r = self._call("POST", "/jars/upload", files={"jarfile": (name, f, "application/x-java-archive")})
        return r["filename"].rsplit("/", 1)[-1]

    def find_job(self, name: str) -> dict | None:
        """The newest job called ``name`` that is running or finished (not failed or canceled)."""
        jobs = [j for j in self._call("GET", "/jobs/overview").get("jobs", [])
                if j.get("name") == name and j.get("state") not in ("FAILED", "CANCELED")]
        return max(jobs, key=lambda j: j.get("start-time", 0)) if jobs else None

    def run(self, jar_id: str, entry_class: str, args: list[str]) -> str:
        return self._call("POST", f"/jars/{jar_id}/run",
                          json={"entryClass": entry_class, "programArgsList": args})["jobid"]

    def state(self, job_id: str) -> str:
        return self._call("GET", f"/jobs/{job_id}")["state"]

    def wait(self, job_id: str, timeout_s: float, poll_s: float = 2.0) -> str:
        end = time.monotonic() + timeout_s
        while True:
            state = self.state(job_id)
            if state in TERMINAL:
                return state
            if time.monotonic() > end:
                raise FlinkError(f"job {job_id} still {state} after {timeout_s:.0f} s")
            time.sleep(poll_s)

    def root_exception(self, job_id: str) -> str:
        return root_cause(self._call("GET", f"/jobs/{job_id}/exceptions").get("root-exception") or "")


def root_cause(trace: str) -> str:
    """The last 'Caused by' line of a Java stack trace (or its first line): what went wrong."""
    lines = [l.strip() for l in str(trace).splitlines() if l.strip()]
    causes = [l[len("Caused by: "):] for l in lines if l.startswith("Caused by: ")]
    return causes[-1] if causes else (lines[0] if lines else "")
