"""bench/ab.sh: JVM option sets run in alternating order, one CSV row per command, the same bytes
required of every set, and a summary of medians against the first set. A stand-in launcher
(PQRS_AB_PQRS) prints what a pqrs layer command prints, so that the script's own logic is what these
cases test; bench/smoke.sh runs it on the real jar."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH))
import ab_summary  # noqa: E402

SCRIPT = BENCH / "ab.sh"

# Prints a layer command's summary: took and data hash set by -Dfake.took=S and -Dfake.hash=H in
# PQRS_JAVA_OPTS; each call appended to $FAKE_CALLS as "OPTIONS|ARGS|$FAKE_MARK".
FAKE = """#!/usr/bin/env python3
import os, re, sys
opts = os.environ.get("PQRS_JAVA_OPTS", "")
with open(os.environ["FAKE_CALLS"], "a") as f:
    f.write(opts + "|" + " ".join(sys.argv[1:]) + "|" + os.environ.get("FAKE_MARK", "") + "\\n")
took = (re.findall(r"-Dfake\\.took=([0-9.]+)", opts) or ["1.0"])[-1]
mark = (re.findall(r"-Dfake\\.hash=(\\w)", opts) or ["a"])[-1]
if "-Dfake.jit" in opts:
    print("pqrs: JIT C1 only: Raw run r1 has 1234 lines, fewer than 250000", file=sys.stderr)
if "-Dfake.fail" in opts:
    print("Exception in thread main: boom", file=sys.stderr); sys.exit(1)
layers = ["bronze", "silver", "gold"] if sys.argv[1] == "run" else [sys.argv[1]]
for i, layer in enumerate(layers):
    print(f"{layer} run r1 SUCCESS")
    print("  data hash: " + (mark + str(i)) * 32)
if "-Dfake.notook" not in opts:
    print(("  took " if sys.argv[1] != "run" else "run r1 done in ") + took + " s")
"""


# The machine probe: "probe: 0.40N s", N counting its calls in $FAKE_PROBES; exits 1 when FAKE_PROBE_FAIL is set.
FAKE_PROBE = """#!/usr/bin/env python3
import os, sys
if os.environ.get("FAKE_PROBE_FAIL"):
    print("Error: could not find or load main class MachineProbe", file=sys.stderr); sys.exit(1)
path = os.environ["FAKE_PROBES"]
n = (int(open(path).read()) if os.path.exists(path) else 0) + 1
open(path, "w").write(str(n))
print(f"probe: 0.40{n} s")
"""


def lake(tmp_path: Path, lines: int = 1234) -> Path:
    manifest = tmp_path / "lake" / "manifests" / "raw" / "run_id=r1" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"run_id": "r1", "lines": lines}))
    return tmp_path / "lake"


def ab(tmp_path: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
    fake = tmp_path / "fake-pqrs"
    probe = tmp_path / "fake-probe"
    if not fake.exists():
        fake.write_text(FAKE)
        fake.chmod(0o755)
        probe.write_text(FAKE_PROBE)
        probe.chmod(0o755)
    env = dict(os.environ, PQRS_AB_PQRS=str(fake), FAKE_CALLS=str(tmp_path / "calls"),
               PQRS_AB_PROBE=str(probe), FAKE_PROBES=str(tmp_path / "probes"), **extra_env)
    return subprocess.run([str(SCRIPT), "--csv", str(tmp_path / "ab.csv"), *args],
                          capture_output=True, text=True, env=env)


def calls(tmp_path: Path, with_mark: bool = False) -> list[tuple[str, ...]]:
    return [tuple(line.split("|")[:3 if with_mark else 2]) for line in (tmp_path / "calls").read_text().splitlines()]


def test_sets_alternate_each_repetition_and_run_the_layers_in_order(tmp_path):
    root = lake(tmp_path)
    r = ab(tmp_path, "--reps", "3", "--common", "-Xmx1g", str(root), "r1", "bronze,silver",
           "a=-Dfake.took=2.0", "b=-Dfake.took=1.0 -Dx=1", "c=")
    assert r.returncode == 0, r.stderr
    order = [(opts, args.split()[0]) for opts, args in calls(tmp_path)]
    a, b, c = "-Xmx1g -Dfake.took=2.0", "-Xmx1g -Dfake.took=1.0 -Dx=1", "-Xmx1g"
    expected = []
    for sets in ([a, b, c], [b, c, a], [c, a, b]):
        expected += [(s, layer) for s in sets for layer in ("bronze", "silver")]
    assert order == expected
    args = calls(tmp_path)[0][1]
    assert args == f"bronze --root {root} --run-id r1 --runner FlinkRunner --flinkMaster=[local] --parallelism=2"


def test_each_runner_gets_the_options_bench_run_gives_it(tmp_path):
    root = lake(tmp_path)
    expected = {
        "direct": "",
        "flink-embedded": " --runner FlinkRunner --flinkMaster=[local] --parallelism=2",
        "flink-cluster": " --runner FlinkRunner --flinkMaster=localhost:8081 --parallelism=2",
        "jm.example:8081": " --runner FlinkRunner --flinkMaster=jm.example:8081 --parallelism=2",
    }
    for runner, options in expected.items():
        (tmp_path / "calls").unlink(missing_ok=True)
        r = ab(tmp_path, "--reps", "1", "--runner", runner, str(root), "r1", "gold", "a=", "b=")
        assert r.returncode == 0, r.stderr
        assert {c[1] for c in calls(tmp_path)} == {f"gold --root {root} --run-id r1{options}"}, runner


def test_every_command_is_a_row_and_the_summary_divides_by_the_first_set(tmp_path):
    root = lake(tmp_path, lines=5000)
    r = ab(tmp_path, "--reps", "2", "--runner", "direct", str(root), "r1", "gold",
           "slow=-Dfake.took=4.0 -Dfake.jit", "fast=-Dfake.took=3.0 -Dy=\"q,r\"")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "ab.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    # The machine probe before each repetition, then one row per command.
    probes = [row for row in rows if row["layer"] == "probe"]
    assert [(p["variant"], p["rep"], p["seconds"], p["run_id"]) for p in probes] == [
        ("probe", "1", "0.401", "r1"), ("probe", "2", "0.402", "r1")]
    assert [row["layer"] for row in rows] == ["probe", "gold", "gold", "probe", "gold", "gold"]
    rows = [row for row in rows if row["layer"] != "probe"]
    assert len(rows) == 4
    assert {(row["variant"], row["rep"]) for row in rows} == {("slow", "1"), ("fast", "1"), ("slow", "2"), ("fast", "2")}
    fast = next(row for row in rows if row["variant"] == "fast")
    assert fast["options"] == '-Dfake.took=3.0 -Dy="q,r"'
    assert (fast["events"], fast["runner"], fast["layer"], fast["seconds"]) == ("5000", "direct", "gold", "3.0")
    assert fast["data_hash"] == "a0" * 6
    slow = next(row for row in rows if row["variant"] == "slow")
    # What the launcher chose by itself is kept, commas and all.
    assert (slow["launcher_jit"], fast["launcher_jit"]) == ("C1 only: Raw run r1 has 1234 lines, fewer than 250000", "")
    assert int(fast["peak_rss_mb"]) >= 1 and float(fast["wall_s"]) >= 0
    assert calls(tmp_path)[0][1] == f"gold --root {root} --run-id r1"
    lines = r.stdout.splitlines()
    assert lines[1].split()[:4] == ["gold", "slow", "2", "4.0"] and lines[1].endswith("1.000")
    assert lines[2].split()[:4] == ["gold", "fast", "2", "3.0"] and lines[2].endswith("0.750")
    assert lines[3] == "machine probe s before each repetition (lower is faster): 0.401 0.402"
    assert lines[4].startswith("gold fast against slow: 2 pairs, faster in 2 of 2 (median difference -1.00 s), less CPU in ")
    assert "ab: rep 2  machine probe 0.402 s (lower is faster)" in r.stderr


def test_a_chain_checks_three_layers_and_rows_of_earlier_invocations_stay_out_of_the_summary(tmp_path):
    root = lake(tmp_path)
    assert ab(tmp_path, "--reps", "1", str(root), "r1", "chain", "x=-Dfake.took=9.0", "y=").returncode == 0
    r = ab(tmp_path, "--reps", "1", str(root), "r1", "chain", "x=-Dfake.took=5.0", "y=-Dfake.took=6.0")
    assert r.returncode == 0, r.stderr
    assert calls(tmp_path)[-1][1].startswith("run --from bronze --root ")
    assert [line.split()[3] for line in r.stdout.splitlines()[1:3]] == ["5.0", "6.0"]
    # Only this invocation's probe: the earlier one's first is left out with its rows.
    assert r.stdout.splitlines()[3].endswith(": 0.402")
    with open(tmp_path / "ab.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 6


def test_upper_case_assignments_in_a_set_go_to_the_environment_not_the_jvm(tmp_path):
    """So that a launcher setting can be compared too (e.g. old=PQRS_C1_BELOW=500000)."""
    r = ab(tmp_path, "--reps", "1", "--common", "-Xmx1g", str(lake(tmp_path)), "r1", "gold",
           "old=FAKE_MARK=500000 -Dz=A=B", "new=")
    assert r.returncode == 0, r.stderr
    assert sorted(calls(tmp_path, with_mark=True)) == sorted([
        ("-Xmx1g -Dz=A=B", f"gold --root {tmp_path / 'lake'} --run-id r1 --runner FlinkRunner --flinkMaster=[local] --parallelism=2", "500000"),
        ("-Xmx1g", f"gold --root {tmp_path / 'lake'} --run-id r1 --runner FlinkRunner --flinkMaster=[local] --parallelism=2", ""),
    ])
    with open(tmp_path / "ab.csv", newline="") as f:
        assert {row["variant"]: row["options"] for row in csv.DictReader(f)} == {
            "old": "-Xmx1g FAKE_MARK=500000 -Dz=A=B", "new": "-Xmx1g", "probe": ""}


def test_a_set_that_changes_the_data_stops_the_comparison(tmp_path):
    r = ab(tmp_path, "--reps", "2", str(lake(tmp_path)), "r1", "bronze", "same=", "other=-Dfake.hash=b")
    assert r.returncode == 1
    assert "ab: set other changed the data: the sets must write the same bytes" in r.stderr
    assert "bench: bronze wrote other bytes" in r.stderr


def test_a_failing_command_names_the_set_and_the_command(tmp_path):
    r = ab(tmp_path, str(lake(tmp_path)), "r1", "silver", "ok=", "bad=-Dfake.fail")
    assert r.returncode == 1
    assert "ab: bad failed: pqrs silver --run-id r1" in r.stderr
    assert "boom" in r.stderr


def test_a_failing_probe_stops_before_any_command(tmp_path):
    r = ab(tmp_path, str(lake(tmp_path)), "r1", "gold", "a=", "b=", FAKE_PROBE_FAIL="1")
    assert r.returncode == 1
    assert r.stderr.splitlines()[1].startswith("ab: the machine probe failed (")
    assert "could not find or load main class MachineProbe" in r.stderr
    assert not (tmp_path / "calls").exists()


def test_a_command_without_its_seconds_is_named(tmp_path):
    r = ab(tmp_path, str(lake(tmp_path)), "r1", "gold", "ok=", "mute=-Dfake.notook")
    assert r.returncode == 1
    assert "ab: no \"took\" line from mute's gold (its output: " in r.stderr


def test_wrong_arguments_get_one_line_each(tmp_path):
    root = str(lake(tmp_path))
    cases = {
        ("--reps", "0", root, "r1", "gold", "a=", "b="): "ab: --reps must be a positive number, not '0'",
        ("--runner", "spark", root, "r1", "gold", "a=", "b="): "ab: --runner must be direct, flink-embedded, flink-cluster or HOST:PORT, not 'spark'",
        (root, "r2", "gold", "a=", "b="): f"ab: no Raw run r2 in {root} (no {root}/manifests/raw/run_id=r2/manifest.json)",
        (root, "r1", "bronze,platinum", "a=", "b="): "ab: unknown layer 'platinum' (bronze, silver, gold, chain)",
        (root, "r1", "gold", "a=", "-Xmx1g"): "ab: a set is NAME=OPTS, not '-Xmx1g'",
        (root, "r1", "gold", "a=", "a=-Dz"): "ab: two sets named a",
        (root, "r1", "gold", "a b=", "c="): "ab: a set's name is letters, digits, '.', '_' or '-', not 'a b'",
        ("--warmup", root, "r1", "gold", "a=", "b="): "ab: unknown option --warmup",
    }
    for args, message in cases.items():
        r = ab(tmp_path, *args)
        assert (r.returncode, r.stderr.splitlines()) == (2, [message]), args
    one_set = ab(tmp_path, root, "r1", "gold", "a=")
    assert one_set.returncode == 2 and one_set.stderr.startswith("ab: ROOT, RUN_ID, LAYERS and two NAME=OPTS sets at least")
    assert not (tmp_path / "calls").exists()
    usage = subprocess.run([str(SCRIPT), "--help"], capture_output=True, text=True)
    assert usage.returncode == 0 and usage.stdout.startswith("  bench/ab.sh [--reps N]") and "e.g. bench/ab.sh" in usage.stdout


def test_a_csv_with_other_columns_is_not_appended_to(tmp_path):
    (tmp_path / "ab.csv").write_text("date,seconds\n2026-12-01,1.0\n")
    r = ab(tmp_path, str(lake(tmp_path)), "r1", "gold", "a=", "b=")
    assert r.returncode == 2
    assert r.stderr.strip() == f"ab: {tmp_path / 'ab.csv'} has other columns than this script writes: name another --csv"
    assert (tmp_path / "ab.csv").read_text() == "date,seconds\n2026-12-01,1.0\n"


def test_the_summary_takes_medians_per_layer_and_set():
    def row(layer, variant, secs, cpu, peak, started="t1"):
        return {"started": started, "layer": layer, "variant": variant, "seconds": str(secs),
                "user_cpu_s": str(cpu), "sys_cpu_s": "1.0", "peak_rss_mb": str(peak)}
    rows = [row("bronze", "c1", s, 10, 800) for s in (10.0, 12.0, 30.0)]
    rows += [row("bronze", "c2", s, 20, p) for s, p in ((8.0, 900), (9.0, 950), (6.0, 1000))]
    rows += [row("gold", "c2", 5.0, 5, 700), row("bronze", "c1", 1.0, 1, 1, started="t0")]
    lines = ab_summary.summarise(rows, "t1", ["c1", "c2"])
    assert lines[1].split() == ["bronze", "c1", "3", "12.0", "10.0–30.0", "11.0", "800", "1.000"]
    assert lines[2].split() == ["bronze", "c2", "3", "8.0", "6.0–9.0", "21.0", "950", "0.667"]
    # A layer the reference set did not run is divided by the first set that did.
    assert lines[3].split() == ["gold", "c2", "1", "5.0", "5.0–5.0", "6.0", "700", "1.000"]
    # Rows without a probe (written before ab.sh timed it) give no probe line.
    assert len(lines) == 4
    probes = [dict(row("probe", "probe", s, 0, 0), rep=str(n)) for n, s in ((2, 0.5), (1, 0.38))]
    with_probe = ab_summary.summarise(rows + probes, "t1", ["c1", "c2"])
    assert with_probe[:4] == lines
    assert with_probe[4] == "machine probe s before each repetition (lower is faster): 0.380 0.500"


def test_pairs_are_the_two_sets_of_one_repetition_and_every_invocation_counts_with_pairs(tmp_path):
    def row(started, rep, variant, secs, cpu, layer="silver"):
        return {"started": started, "rep": str(rep), "layer": layer, "variant": variant, "seconds": str(secs),
                "user_cpu_s": str(cpu), "sys_cpu_s": "0.5", "peak_rss_mb": "900"}
    # A drifting machine: the second invocation is slower for both sets, the new set faster in each pair.
    rows = [row("t1", 1, "old", 30.0, 50), row("t1", 1, "new", 29.0, 49), row("t1", 2, "old", 31.0, 52),
            row("t1", 2, "new", 31.5, 51), row("t2", 1, "old", 40.0, 70), row("t2", 1, "new", 38.0, 71),
            # A repetition whose partner is missing (a run cut off) is no pair.
            row("t2", 2, "old", 10.0, 10), {**row("t2", 1, "probe", 0.4, 0), "layer": "probe"}]
    assert ab_summary.pairs(rows, ["old", "new"]) == [
        "silver new against old: 3 pairs, faster in 2 of 3 (median difference -1.00 s), less CPU in 2 of 3 (-1.00 s)"]
    with open(tmp_path / "ab.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = subprocess.run([sys.executable, str(BENCH / "ab_summary.py"), "--pairs", str(tmp_path / "ab.csv"), "old", "new"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.splitlines() == ab_summary.pairs(rows, ["old", "new"])
    none = subprocess.run([sys.executable, str(BENCH / "ab_summary.py"), "--pairs", str(tmp_path / "ab.csv"), "old", "c3"],
                          capture_output=True, text=True)
    assert none.returncode != 0 and none.stderr.strip() == f"ab: no pairs of old and c3 in {tmp_path / 'ab.csv'}"
