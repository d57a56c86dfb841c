"""bench/same-bytes.sh: the data hashes a pqrs command printed, checked against the first ones of the
same size; the benchmark stops on a difference."""
from __future__ import annotations

import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "same-bytes.sh"
A, B, C, D = ("a" * 64, "b" * 64, "c" * 64, "d" * 64)


def summary(path: Path, *hashes: str) -> Path:
    lines = []
    for h in hashes:
        lines += ["bronze run bench-1 SUCCESS", "  checks: 8/8 pass", f"  data hash: {h}", "  took 1.0 s"]
    path.write_text("\n".join(lines) + "\n")
    return path


def check(ledger: Path, log: Path, *layers: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), str(ledger), str(log), *layers], capture_output=True, text=True)


def test_the_same_hashes_on_every_runner_pass_and_the_first_are_kept(tmp_path):
    ledger = tmp_path / "data-hashes"
    assert check(ledger, summary(tmp_path / "direct bronze.log", A), "bronze").returncode == 0
    assert check(ledger, summary(tmp_path / "embedded-bronze.log", A), "bronze").returncode == 0
    chain = check(ledger, summary(tmp_path / "chain.log", A, B, C), "bronze", "silver", "gold")
    assert chain.returncode == 0, chain.stderr
    assert ledger.read_text().splitlines() == [
        f"bronze {A} {tmp_path / 'direct bronze.log'}",
        f"silver {B} {tmp_path / 'chain.log'}",
        f"gold {C} {tmp_path / 'chain.log'}",
    ]


def test_other_bytes_for_a_layer_stop_the_benchmark_naming_both_runs(tmp_path):
    ledger = tmp_path / "data-hashes"
    check(ledger, summary(tmp_path / "direct-silver-1.log", B), "silver")
    r = check(ledger, summary(tmp_path / "chain.log", A, D, C), "bronze", "silver", "gold")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"bench: silver wrote other bytes in {tmp_path / 'chain.log'} (data hash {D[:12]}…) than in "
        f"{tmp_path / 'direct-silver-1.log'} ({B[:12]}…): the same input must give the same bytes on every runner"
    ]


def test_a_summary_without_a_hash_for_each_layer_is_an_error(tmp_path):
    r = check(tmp_path / "data-hashes", summary(tmp_path / "chain.log", A, B), "bronze", "silver", "gold")
    assert r.returncode == 1
    assert "prints 2 data hashes, not one for each of bronze silver gold" in r.stderr
