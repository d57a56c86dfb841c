"""bench/report.py over a small results file whose figures are known: medians, raw->gold, the ratio to
the DuckDB baseline of the same bench run, marginal cost and fixed part, which bench run is reported,
and that only the part between the markers of docs/benchmarks.md is rewritten."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report  # noqa: E402

FIELDS = "date,machine,size_m,events,runner,layer,rep,seconds,events_per_s,peak_rss_mb,code,started".split(",")
RUN_A = ("2026-12-01", "2026-12-01T08:00:00Z")
RUN_B = ("2026-12-02", "2026-12-02T08:00:00Z")
EVENTS = {0.1: 100_000, 1.0: 1_000_000}


def row(run, size, runner, layer, rep, seconds, peak=1000, code="abc1234", machine="2c-23g"):
    return {"date": run[0], "machine": machine, "size_m": f"{size:g}", "events": EVENTS[size], "runner": runner,
            "layer": layer, "rep": rep, "seconds": seconds, "events_per_s": 0, "peak_rss_mb": peak,
            "code": code, "started": run[1]}


def write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    return path


def complete_run(run, secs_per_layer: dict, duckdb: dict, code="abc1234") -> list[dict]:
    """Three reps of each layer at each size (the middle one is the median), and the baseline."""
    out = []
    for size, secs in secs_per_layer.items():
        for layer in report.LAYERS:
            for rep, s in enumerate((secs + 5, secs, secs - 1), start=1):
                out.append(row(run, size, "flink-embedded", layer, rep, s, peak=1000 + rep, code=code))
        out.append(row(run, size, "duckdb", "baseline", 1, duckdb[size], peak=200, code=code))
    return out


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    (d / "benchmarks").mkdir(parents=True)
    md = d / "benchmarks.md"
    md.write_text(f"# Benchmarks\n\nintro stays\n\n{report.START}\nold tables\n{report.END}\n\nafter stays\n")
    return md


def run_report(csv_path: Path, md: Path) -> str:
    png = md.parent / "benchmarks" / "plot.png"
    sys.argv = ["report.py", str(csv_path), str(md), str(png)]
    assert report.main() == 0
    assert png.stat().st_size > 0
    return md.read_text()


def table_row(text: str, startswith: str) -> list[str]:
    lines = [l for l in text.splitlines() if l.startswith(startswith)]
    assert len(lines) == 1, (startswith, lines)
    return [c.strip() for c in lines[0].strip("|").split("|")]


def test_medians_raw_to_gold_ratio_and_marginal_cost(tmp_path, doc):
    # 0.1 M: layers 10 s each (median) -> 30 s; 1 M: 40 s each -> 120 s. DuckDB 0.5 s and 4 s.
    rows = complete_run(RUN_B, {0.1: 10.0, 1.0: 40.0}, {0.1: 0.5, 1.0: 4.0})
    text = run_report(write(tmp_path / "r.csv", rows), doc)

    cells = table_row(text, "| 0.1 M | 100,000 | Flink embedded")
    # bronze, silver, gold events/s; raw->gold; ratio; us/event; peak (max of the medians); reps; code
    assert cells[3:12] == ["10,000", "10,000", "10,000", "3,333", "0.017", "300.0", "1,002", "3", "abc1234"]
    cells = table_row(text, "| 1 M | 1,000,000 | Flink embedded")
    assert cells[6:9] == ["8,333", "0.033", "120.0"]  # 1e6/120 s; ÷ (1e6/4 s); us/event

    # Marginal: (120 - 30) s / 900,000 events = 100 us; fixed = 30 - 100,000 x 100 us = 20 s.
    assert table_row(text, "| Flink embedded, p2 |") == ["Flink embedded, p2", "100.0", "20"]
    assert table_row(text, "| 1 M | 1,000,000 | 4.00 |")[3] == "250,000"  # the baseline's own table

    assert text.startswith("# Benchmarks\n\nintro stays\n")
    assert text.endswith(f"{report.END}\n\nafter stays\n")
    assert "old tables" not in text


def test_an_interrupted_later_run_does_not_hide_the_complete_one(tmp_path, doc):
    rows = complete_run(RUN_A, {0.1: 10.0, 1.0: 40.0}, {0.1: 0.5, 1.0: 4.0}, code="aaaaaaa")
    # A later bench run measured only Bronze at 1 M before it stopped, and all of 0.1 M.
    rows += [row(RUN_B, 1.0, "flink-embedded", "bronze", 1, 1.0, code="bbbbbbb")]
    rows += complete_run(RUN_B, {0.1: 20.0}, {0.1: 1.0}, code="bbbbbbb")
    text = run_report(write(tmp_path / "r.csv", rows), doc)

    assert table_row(text, "| 0.1 M | 100,000 | Flink embedded")[11] == "bbbbbbb"
    cells = table_row(text, "| 1 M | 1,000,000 | Flink embedded")
    assert cells[3] == "25,000" and cells[11] == "aaaaaaa"  # the complete run's 40 s, not the 1 s
    # Sizes from different bench runs are not compared: no marginal cost, so no row for the runner.
    assert not [l for l in text.splitlines() if l.startswith("| Flink embedded, p2 |")]


def test_ratio_uses_the_baseline_of_the_same_bench_run(tmp_path, doc):
    rows = complete_run(RUN_A, {0.1: 10.0}, {0.1: 0.5})
    rows += [row(RUN_B, 0.1, "duckdb", "baseline", 1, 0.25)]  # a later, faster baseline alone
    text = run_report(write(tmp_path / "r.csv", rows), doc)
    assert table_row(text, "| 0.1 M | 100,000 | Flink embedded")[7] == "0.017"  # 3,333 / (100,000 / 0.5)


def test_only_the_latest_machine_is_reported(tmp_path, doc):
    rows = complete_run(RUN_A, {0.1: 10.0}, {0.1: 0.5})
    rows += [dict(r, machine="8c-64g", date="2026-11-01", started="2026-11-01T00:00:00Z", seconds="1")
             for r in complete_run(RUN_A, {0.1: 10.0}, {0.1: 0.5})]
    text = run_report(write(tmp_path / "r.csv", rows), doc)
    assert "on 2c-23g" in text
    assert table_row(text, "| 0.1 M | 100,000 | Flink embedded")[3] == "10,000"


def test_a_document_without_markers_is_refused(tmp_path):
    md = tmp_path / "benchmarks.md"
    md.write_text("# no markers\n")
    csv_path = write(tmp_path / "r.csv", complete_run(RUN_A, {0.1: 10.0}, {0.1: 0.5}))
    sys.argv = ["report.py", str(csv_path), str(md), str(tmp_path / "p.png")]
    with pytest.raises(SystemExit, match="lacks the markers"):
        report.main()
    assert md.read_text() == "# no markers\n"


def test_history_gives_every_bench_run_its_own_ratio(tmp_path, doc):
    # Run A: 1 M layers 40 s each (120 s), DuckDB 4 s -> 0.033; run B: 20 s each (60 s), DuckDB 6 s -> 0.100,
    # and a cluster run of B's 1 M at 30 s a layer -> 0.067. 0.1 M stays out of the history (below 1 M).
    rows = complete_run(RUN_A, {0.1: 10.0, 1.0: 40.0}, {0.1: 0.5, 1.0: 4.0}, code="aaaaaaa")
    rows += complete_run(RUN_B, {1.0: 20.0}, {1.0: 6.0}, code="bbbbbbb")
    rows += [row(RUN_B, 1.0, "flink-cluster", layer, 1, 30.0, code="bbbbbbb") for layer in report.LAYERS]
    text = run_report(write(tmp_path / "r.csv", rows), doc)

    assert table_row(text, "| bench run | code |") == ["bench run", "code", "1 M embedded", "1 M cluster",
                                                       "probe s (start / end)"]
    assert table_row(text, f"| {RUN_A[1]} |") == [RUN_A[1], "aaaaaaa", "0.033", "–", "–"]
    assert table_row(text, f"| {RUN_B[1]} |") == [RUN_B[1], "bbbbbbb", "0.100", "0.067", "–"]


def probe_row(run, when, seconds, machine="2c-23g"):
    return {"date": run[0], "machine": machine, "size_m": "0", "events": 0, "runner": "probe", "layer": when,
            "rep": 1, "seconds": seconds, "events_per_s": 0, "peak_rss_mb": 0, "code": "abc1234", "started": run[1]}


def test_history_shows_each_runs_machine_probe_and_the_tables_leave_it_out(tmp_path, doc):
    # Run A timed the probe at its start and end, run B only at its start (interrupted before the end).
    rows = complete_run(RUN_A, {1.0: 40.0}, {1.0: 4.0}) + [probe_row(RUN_A, "start", 0.64), probe_row(RUN_A, "end", 0.9)]
    rows += complete_run(RUN_B, {1.0: 20.0}, {1.0: 6.0}) + [probe_row(RUN_B, "start", 1.234)]
    rows += [probe_row(RUN_A, "end", 9.0, machine="other")]  # another machine's probe is not this one's
    text = run_report(write(tmp_path / "r.csv", rows), doc)

    assert table_row(text, f"| {RUN_A[1]} |")[-1] == "0.64 / 0.90"
    assert table_row(text, f"| {RUN_B[1]} |")[-1] == "1.23 / –"
    assert "probe" not in text.split("### Raw→gold ÷ DuckDB in every bench run")[0].split(report.START)[1]


def test_the_generator_table_names_each_runner_it_ran_on(tmp_path, doc):
    # The generator moved from the DirectRunner (run A) to embedded Flink (run B): each runner's latest row.
    rows = complete_run(RUN_B, {1.0: 40.0}, {1.0: 4.0})
    rows.append(row(RUN_A, 1.0, "direct", "simulate", 1, 50.0, peak=5000, code="old1234"))
    rows.append(row(RUN_B, 1.0, "flink-embedded", "simulate", 1, 20.0, peak=1100, code="new1234"))
    text = run_report(write(tmp_path / "r.csv", rows), doc)
    generator = text.split("### The generator (simulate)")[1]
    assert table_row(generator, "| 1 M | 1,000,000 | DirectRunner") == \
        ["1 M", "1,000,000", "DirectRunner", "50.0", "20,000", "5,000", "old1234"]
    assert table_row(generator, "| 1 M | 1,000,000 | Flink embedded") == \
        ["1 M", "1,000,000", "Flink embedded, p2", "20.0", "50,000", "1,100", "new1234"]
