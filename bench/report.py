"""Turns docs/benchmarks/results.csv into the tables of docs/benchmarks.md (between its result markers)
and the plot docs/benchmarks/throughput-memory.png. Only the latest day's rows of the latest machine
are reported; a figure is the median over its repetitions.

    python bench/report.py docs/benchmarks/results.csv docs/benchmarks.md docs/benchmarks/throughput-memory.png
"""
from __future__ import annotations

import csv
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

START = "<!-- results:start (bench/report.py writes this part) -->"
END = "<!-- results:end -->"
LAYERS = ["bronze", "silver", "gold"]
RUNNERS = ["direct", "flink-embedded", "flink-cluster"]
LABEL = {"direct": "DirectRunner", "flink-embedded": "Flink embedded, p2", "flink-cluster": "Flink cluster, p2",
         "duckdb": "DuckDB baseline"}
FLINK = {"flink-embedded": "embedded", "flink-cluster": "cluster"}  # the history table's column names
COLOR = {"direct": "tab:blue", "flink-embedded": "tab:orange", "flink-cluster": "tab:green", "duckdb": "tab:red"}


def load(path: Path) -> list[dict]:
    """The latest machine's rows; of each size and runner (the generator apart), the latest bench run
    that measured it completely (all three layers), so that an interrupted run does not hide an
    earlier complete one."""
    rows = list(csv.DictReader(path.open()))
    if not rows:
        raise SystemExit(f"report: no results in {path}")
    machine = max(rows, key=lambda r: (r["date"], r.get("started") or ""))["machine"]
    rows = [r for r in rows if r["machine"] == machine]

    def group(r: dict) -> tuple:
        return float(r["size_m"]), r["runner"], r["layer"] == "simulate"

    def run(r: dict) -> tuple:
        return r["date"], r.get("started") or ""

    layers = defaultdict(set)  # (group, run) -> layers measured
    for r in rows:
        layers[(group(r), run(r))].add(r["layer"])
    complete = {k for k, v in layers.items() if v >= set(LAYERS) or v & {"simulate", "baseline"}}
    latest = {}
    for g, r in complete:
        latest[g] = max(latest.get(g, ("", "")), r)
    return [r for r in rows if latest.get(group(r)) == run(r)]


def medians(rows: list[dict]) -> dict:
    """(size, runner, layer) -> (events, median seconds, median peak MB, repetitions, code version, bench run)."""
    groups = defaultdict(list)
    for r in rows:
        groups[(float(r["size_m"]), r["runner"], r["layer"])].append(r)
    return {k: (int(v[0]["events"]), statistics.median(float(x["seconds"]) for x in v),
                statistics.median(int(x["peak_rss_mb"]) for x in v), len(v), v[0].get("code") or "?",
                (v[0]["date"], v[0].get("started") or ""))
            for k, v in groups.items()}


def baselines(path: Path) -> dict:
    """(size, bench run) -> median DuckDB seconds: a ratio compares runs of the same bench run, since this
    machine's speed moves from one sitting to another."""
    groups = defaultdict(list)
    for r in csv.DictReader(path.open()):
        if r["runner"] == "duckdb":
            groups[(float(r["size_m"]), (r["date"], r.get("started") or ""))].append(float(r["seconds"]))
    return {k: statistics.median(v) for k, v in groups.items()}


def ratio(m: dict, base: dict, size: float, measured: tuple, rate: float) -> str:
    """rate ÷ the DuckDB baseline's events/s of the same bench run (else of the latest one), as text;
    base is what baselines() returns."""
    secs = base.get((size, measured[5]))
    if secs is None:
        base = m.get((size, "duckdb", "baseline"))
        secs = base[1] if base else None
    return f"{rate / (measured[0] / secs):.3f}" if secs else "–"


def fmt(n: float) -> str:
    return f"{n:,.0f}"


def tables(m: dict, base_runs: dict) -> tuple[str, dict]:
    sizes = sorted({k[0] for k in m})
    out = []
    series = defaultdict(list)  # runner -> [(events, events/s, peak MB, bench run)]
    out.append("### Throughput per layer and raw→gold (events/s, median)\n")
    out.append("| size | events | runner | bronze | silver | gold | raw→gold | ÷ DuckDB | µs/event | peak MB | reps | code |")
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for size in sizes:
        base = m.get((size, "duckdb", "baseline"))
        for runner in RUNNERS:
            layers = [m.get((size, runner, layer)) for layer in LAYERS]
            if not all(layers):
                continue
            events = layers[0][0]
            secs = sum(x[1] for x in layers)
            rate = events / secs
            peak = max(x[2] for x in layers)
            out.append(f"| {size:g} M | {fmt(events)} | {LABEL[runner]} | "
                       + " | ".join(fmt(events / x[1]) for x in layers)
                       + f" | {fmt(rate)} | {ratio(m, base_runs, size, layers[0], rate)} | {1e6 / rate:.1f} | {fmt(peak)} | {layers[0][3]} | {layers[0][4]} |")
            series[runner].append((events, rate, peak, layers[0][5]))
        if base:
            series["duckdb"].append((base[0], base[0] / base[1], base[2], base[5]))
    chain = chain_table(m, base_runs, sizes, series)
    if chain:
        out.append(chain)
    out.append(marginal(m, sizes))
    out.append("\n### DuckDB baseline (same Raw JSONL, same KPIs; they matched Gold in every run)\n")
    out.append("| size | events | seconds | events/s | peak MB | reps |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        base = m.get((size, "duckdb", "baseline"))
        if base:
            out.append(f"| {size:g} M | {fmt(base[0])} | {base[1]:.2f} | {fmt(base[0] / base[1])} | {fmt(base[2])} | {base[3]} |")
    # Up to 2026-12-04 the bench generated on the DirectRunner, since then on embedded Flink: both are shown.
    sim = [(s, r, m[(s, r, "simulate")]) for s in sizes for r in RUNNERS if (s, r, "simulate") in m]
    if sim:
        out.append("\n### The generator (simulate)\n")
        out.append("| size | events | runner | seconds | events/s | peak MB | code |")
        out.append("|---:|---:|---|---:|---:|---:|---|")
        for size, runner, (events, secs, peak, _, code, _) in sim:
            out.append(f"| {size:g} M | {fmt(events)} | {LABEL[runner]} | {secs:.1f} | {fmt(events / secs)} | {fmt(peak)} | {code} |")
    return "\n".join(out) + "\n", series


def chain_table(m: dict, base_runs: dict, sizes: list, series: dict) -> str:
    """Raw→gold as `pqrs run --from bronze` runs it: the three layers in one JVM."""
    out = ["\n### Raw→gold in one JVM (`pqrs run --from bronze`, median)\n",
           "The same three layers run by one command, as `pqrs run` runs them after Raw: the JVM, Beam's "
           "options, the serving store and (embedded) Flink's classes are loaded once, and Silver and Gold run "
           "on code the JIT compiled for Bronze. \"three JVMs\" is the sum of the three layer commands above.\n",
           "| size | events | runner | seconds | events/s | ÷ DuckDB | µs/event | three JVMs: s | peak MB | reps | code |",
           "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    rows = 0
    for size in sizes:
        for runner in RUNNERS:
            c = m.get((size, runner, "chain"))
            if not c:
                continue
            events, secs = c[0], c[1]
            layers = [m.get((size, runner, layer)) for layer in LAYERS]
            three = f"{sum(x[1] for x in layers):.1f}" if all(layers) else "–"
            out.append(f"| {size:g} M | {fmt(events)} | {LABEL[runner]} | {secs:.1f} | {fmt(events / secs)} "
                       f"| {ratio(m, base_runs, size, c, events / secs)} "
                       f"| {1e6 * secs / events:.1f} | {three} | {fmt(c[2])} | {c[3]} | {c[4]} |")
            series[runner + "/chain"].append((events, events / secs, c[2], c[5]))
            rows += 1
    return "\n".join(out) if rows else ""


def chain_seconds(m: dict, size: float, runner: str) -> float | None:
    c = m.get((size, runner, "chain"))
    return c[1] if c else None


def layer_seconds(m: dict, size: float, runner: str) -> float | None:
    layers = [m.get((size, runner, layer)) for layer in LAYERS]
    return sum(x[1] for x in layers) if all(layers) else None


def marginal(m: dict, sizes: list) -> str:
    """Raw→gold seconds split into what each added event costs between two sizes (µs/event) and the
    fixed part that remains at the smallest size: flat marginal costs mean the work scales linearly.
    Two sizes are compared only when one bench run measured both: the same machine runs the same
    work a third faster or slower from one day to another."""
    out = ["\n### Raw→gold: marginal cost per added event, and the fixed part\n",
           "Marginal cost between two sizes = extra seconds ÷ extra events; fixed ≈ the smallest size's "
           "seconds minus its events at the first marginal cost. Two sizes measured in different bench "
           "runs are not compared (–).\n",
           "| runner | " + " | ".join(f"{a:g}→{b:g} M µs/event" for a, b in zip(sizes, sizes[1:])) + " | fixed s |",
           "|---|" + "---:|" * (len(sizes) - 1) + "---:|"]
    for runner, seconds, label in [(r, layer_seconds, LABEL[r]) for r in RUNNERS] + \
            [(r, chain_seconds, LABEL[r] + ", one JVM") for r in RUNNERS]:
        points = []
        for size in sizes:
            secs = seconds(m, size, runner)
            events = next((v[0] for k, v in m.items() if k[0] == size and k[1] == runner), None)
            bench_run = (m.get((size, runner, "chain" if seconds is chain_seconds else "bronze")) or (None,) * 6)[5]
            if secs is not None and events:
                points.append((size, events, secs, bench_run))
        if len(points) < 2:
            continue
        cells, first = [], None
        have = {p[0]: p for p in points}
        for a, b in zip(sizes, sizes[1:]):
            if a in have and b in have and have[a][3] == have[b][3]:
                (_, ea, ta, _), (_, eb, tb, _) = have[a], have[b]
                cost = (tb - ta) / (eb - ea) * 1e6
                first = cost if first is None else first
                cells.append(f"{cost:.1f}")
            else:
                cells.append("–")
        # The fixed part at the smallest size that has a marginal cost to its next size.
        start = next((p for p, q in zip(points, points[1:]) if p[3] == q[3]), points[0])
        _, e0, t0, _ = start
        if first is None:
            continue  # no two sizes of one bench run: nothing to compare (an empty line would end the table)
        fixed = t0 - e0 * first / 1e6
        out.append(f"| {label} | " + " | ".join(cells) + f" | {fixed:.0f} |")
    return "\n".join(out)


def history(path: Path, machine: str, base: dict) -> str:
    """Raw→gold ÷ DuckDB on the Flink runners at 1 M events and more, for every bench run of the
    machine that measured one, each against its own run's baseline (base: what baselines() returns):
    how the ratio moved with the code. Beside each, the machine probe's seconds at the run's start and
    end (bench/MachineProbe.java), where it was timed: how fast the machine was in that sitting."""
    runs = defaultdict(lambda: defaultdict(list))  # bench run -> (size, runner, layer) -> seconds
    codes = {}
    probes = defaultdict(dict)  # bench run -> "start" / "end" -> seconds
    for r in csv.DictReader(path.open()):
        key = (r["date"], r.get("started") or "")  # one bench run
        if r["machine"] == machine and r["runner"] == "probe":
            probes[key][r["layer"]] = float(r["seconds"])
        if r["machine"] != machine or float(r["size_m"]) < 1:
            continue
        runs[key][(float(r["size_m"]), r["runner"], r["layer"])].append(float(r["seconds"]))
        codes.setdefault(key, r.get("code") or "?")
    cells = {}  # (bench run, size, runner) -> ratio
    for key, secs in runs.items():
        for size in {k[0] for k in secs}:
            for runner in FLINK:
                layers = [secs.get((size, runner, layer)) for layer in LAYERS]
                if (size, key) in base and all(layers):
                    cells[(key, size, runner)] = base[(size, key)] / sum(statistics.median(x) for x in layers)
    columns = sorted({(size, runner) for _, size, runner in cells}, key=lambda c: (c[0], RUNNERS.index(c[1])))
    if not columns:
        return ""
    def probe(key: tuple) -> str:
        p = probes.get(key, {})
        return " / ".join(f"{p[w]:.2f}" if w in p else "–" for w in ("start", "end")) if p else "–"

    out = ["\n### Raw→gold ÷ DuckDB in every bench run (Flink runners, 1 M events and more)\n",
           "Each ratio against the baseline of its own bench run, so that runs on a machine of another "
           "speed compare; `code` is the commit measured. The probe is `bench/MachineProbe.java`, a fixed "
           "JVM workload without the project's code, timed at the run's start and end (seconds, lower is "
           "faster; – for a run that did not time it): the machine's speed in that sitting.\n",
           "| bench run | code | " + " | ".join(f"{size:g} M {FLINK[runner]}" for size, runner in columns)
           + " | probe s (start / end) |",
           "|---|---|" + "---:|" * len(columns) + "---:|"]
    for key in sorted({k for k, _, _ in cells}):
        out.append(f"| {key[1] or key[0]} | {codes[key]} | "
                   + " | ".join(f"{cells[(key, *c)]:.3f}" if (key, *c) in cells else "–" for c in columns)
                   + f" | {probe(key)} |")
    return "\n".join(out)


def plot(series: dict, png: Path) -> None:
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    for key, points in series.items():
        runner, _, chain = key.partition("/")
        label, style = (LABEL[runner] + ", one JVM", "--") if chain else (LABEL[runner], "-")
        color = COLOR[runner]  # a runner's two lines share its colour
        # A line joins the sizes of one bench run; points of an earlier run are hollow and apart, since
        # the machine's speed differs between runs.
        latest = max(p[3] for p in points)
        for run in sorted({p[3] for p in points}):
            part = sorted(p for p in points if p[3] == run)
            xs = [p[0] for p in part]
            face = color if run == latest else "none"
            for ax, i in ((a, 1), (b, 2)):
                ax.plot(xs, [p[i] for p in part], marker="o", linestyle=style, color=color, markerfacecolor=face,
                        label=label if run == latest else None)
    for ax, title, unit in ((a, "Raw→Gold throughput", "events/s"), (b, "Peak resident memory", "MB")):
        ax.set_xscale("log")
        ax.set_yscale("log" if ax is a else "linear")
        ax.set_xlabel("Raw events")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    a.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main() -> int:
    csv_path, md_path, png_path = (Path(p) for p in sys.argv[1:4])
    rows = load(csv_path)
    base = baselines(csv_path)
    text, series = tables(medians(rows), base)
    past = history(csv_path, rows[0]["machine"], base)
    if past:
        text += past + "\n"
    dates = sorted({r["date"] for r in rows})
    header = (f"Results of {' and '.join(dates)} on {rows[0]['machine']}, each size and runner from its latest bench run; "
              "`code` is the commit measured (docs/benchmarks/results.csv has every measurement). "
              "In the plot a line joins the sizes of one bench run; hollow points are from an earlier run.\n\n")
    doc = md_path.read_text()
    if START not in doc or END not in doc:
        raise SystemExit(f"report: {md_path} lacks the markers {START} ... {END}")
    before, rest = doc.split(START, 1)
    after = rest.split(END, 1)[1]
    md_path.write_text(before + START + "\n" + header + text + f"\n![events/s and peak memory]({png_path.relative_to(md_path.parent)})\n" + END + after)
    plot(series, png_path)
    print(f"report: {md_path} and {png_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
