"""The summary bench/ab.sh prints: for each layer, each set's median seconds (and range), CPU and peak
resident memory over its repetitions, and its median seconds as a ratio to the first set's; then the
machine probe's seconds before each repetition, where the invocation timed it.

    python3 bench/ab_summary.py CSV STARTED NAME...

Only the rows of one invocation (its STARTED stamp) count; NAME... are its sets, first the reference.
Each other set is then compared with the reference pair by pair (the two commands of one layer in one
repetition ran back to back): in how many pairs it was faster and used less CPU, and the median of the
pairs' differences. A machine whose speed drifts moves the medians of the sets more than the pairs.

    python3 bench/ab_summary.py --pairs CSV NAME...

The pairs of every invocation in CSV together (several invocations of the same sets, e.g. three sets of
three repetitions), each repetition paired within its own invocation.
Standard library only: bench/ab.sh runs it with the system's Python.
"""
from __future__ import annotations

import csv
import statistics
import sys


def summarise(rows: list[dict], started: str, names: list[str]) -> list[str]:
    mine = [r for r in rows if r["started"] == started]
    if not mine:
        raise SystemExit(f"ab: no rows started at {started}")
    probes = [r for r in mine if r["layer"] == "probe"]
    mine = [r for r in mine if r["layer"] != "probe"]
    layers = list(dict.fromkeys(r["layer"] for r in mine))
    out = [f"{'layer':<7} {'set':<12} {'n':>2} {'median s':>9} {'range s':>13} {'CPU s':>7} {'peak MB':>8} {'÷ ' + names[0]:>10}"]
    for layer in layers:
        reference = None
        for name in names:
            runs = [r for r in mine if r["layer"] == layer and r["variant"] == name]
            if not runs:
                continue
            secs = [float(r["seconds"]) for r in runs]
            cpu = statistics.median(float(r["user_cpu_s"]) + float(r["sys_cpu_s"]) for r in runs)
            peak = statistics.median(int(r["peak_rss_mb"]) for r in runs)
            median = statistics.median(secs)
            if reference is None:
                reference = median
            ratio = f"{median / reference:.3f}" if reference else "-"
            out.append(f"{layer:<7} {name:<12} {len(runs):>2} {median:>9.1f} {min(secs):>6.1f}–{max(secs):<6.1f} "
                       f"{cpu:>7.1f} {peak:>8.0f} {ratio:>10}")
    if probes:
        by_rep = sorted(probes, key=lambda r: int(r["rep"]))
        out.append("machine probe s before each repetition (lower is faster): "
                   + " ".join(f"{float(r['seconds']):.3f}" for r in by_rep))
    return out + pairs(mine, names)


def pairs(rows: list[dict], names: list[str]) -> list[str]:
    """Per layer and set after the first, its pairs with the first set: same invocation, layer and repetition."""
    def cpu(r: dict) -> float:
        return float(r["user_cpu_s"]) + float(r["sys_cpu_s"])

    out = []
    # A repetition's command of each set, by invocation, repetition and layer (rows without a repetition
    # are not pairs).
    runs = {(r["started"], r["rep"], r["layer"], r["variant"]): r for r in rows
            if r["layer"] != "probe" and r.get("rep") is not None}
    for layer in dict.fromkeys(r["layer"] for r in rows if r["layer"] != "probe"):
        for name in names[1:]:
            matched = [(a, runs[(k[0], k[1], layer, name)]) for k, a in runs.items()
                       if k[2:] == (layer, names[0]) and (k[0], k[1], layer, name) in runs]
            if not matched:
                continue
            secs = [float(b["seconds"]) - float(a["seconds"]) for a, b in matched]
            cpus = [cpu(b) - cpu(a) for a, b in matched]
            n = len(matched)
            out.append(f"{layer} {name} against {names[0]}: {n} pairs, faster in {sum(d < 0 for d in secs)} of {n} "
                       f"(median difference {statistics.median(secs):+.2f} s), less CPU in "
                       f"{sum(d < 0 for d in cpus)} of {n} ({statistics.median(cpus):+.2f} s)")
    return out


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[0] == "--pairs":
        with open(argv[1], newline="") as f:
            rows = list(csv.DictReader(f))
        lines = pairs(rows, argv[2:])
        if not lines:
            raise SystemExit(f"ab: no pairs of {' and '.join(argv[2:])} in {argv[1]}")
        print("\n".join(lines))
        return
    if len(argv) < 3:
        raise SystemExit("usage: python3 bench/ab_summary.py CSV STARTED NAME... | --pairs CSV NAME...")
    with open(argv[0], newline="") as f:
        rows = list(csv.DictReader(f))
    print("\n".join(summarise(rows, argv[1], argv[2:])))


if __name__ == "__main__":
    main(sys.argv[1:])
