"""Where a JFR recording's CPU samples are: the methods on top of the stack (self), the methods of a
package prefix anywhere on it (inclusive, the project's own by default), the threads, for the top
self methods the paths that call them, down to the first frame of the prefix, and when each thread
group was sampled first and last (Flink's stages in time: which ran side by side, which in turn).

    jfr print --events jdk.ExecutionSample --stack-depth 64 run.jfr > run.txt
    python3 bench/jfr_profile.py run.txt [--prefix co.pqrs.] [--top 25]

bench/profile.sh records a layer command and calls this. Shares are of all samples; a method that
appears twice in one stack (recursion) counts once for that sample. Stacks deeper than
--stack-depth are cut, so inclusive shares of methods near the bottom are lower bounds.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

# "    org.apache.parquet.column.impl.ColumnWriterBase.write(int, int, int) line: 123"
FRAME = re.compile(r"^\s+([\w$.<>]+)\(.*\)(?: line: \d+)?\s*$")
THREAD = re.compile(r'^\s+sampledThread = "([^"]*)"')
# "  startTime = 02:28:54.297" (jfr print's local time of day)
START = re.compile(r"^\s+startTime = (\d\d):(\d\d):(\d\d(?:\.\d+)?)")


@dataclass
class Profile:
    samples: int = 0
    self_: Counter = field(default_factory=Counter)
    inclusive: Counter = field(default_factory=Counter)
    threads: Counter = field(default_factory=Counter)
    # self method -> Counter of the frames below it (a tuple, nearest first), see caller_path.
    callers: dict = field(default_factory=dict)
    # thread group -> [first, last] sample time, seconds from the recording's first sample
    spans: dict = field(default_factory=dict)


CALLER_FRAMES = 6


def caller_path(frames: list, prefix: str) -> tuple:
    """The frames below the top one, down to the first whose method has the prefix (the project's code
    that led there), at most CALLER_FRAMES of them; the top method's own recursion is skipped."""
    path = []
    for m in frames[1:]:
        if m == frames[0]:
            continue
        path.append(m)
        if m.startswith(prefix) or len(path) == CALLER_FRAMES:
            break
    return tuple(path)


def thread_group(name: str) -> str:
    """Threads that differ only by a number (a pool's, a task's subtask index) as one; a Flink task's
    thread (its chained operators, each named by its Beam step) as the last part of each step's name."""
    name = re.sub(r" \(\d+/\d+\)(#\d+)?$", "", name)
    if name.startswith("CHAIN ") or " at " in name:
        steps = []
        for op in name.split(" -> "):
            m = re.search(r" at (.*)\)$", op)
            if not m or m.group(1).startswith(("translateNode", "ExplodeWindows", "Impulse")):
                continue
            path = re.sub(r"(/ParMultiDo\([^)]*\))?(\.output)?$", "", m.group(1))
            step = path.rsplit("/", 1)[-1]
            if not steps or steps[-1] != step:
                steps.append(step)
        if steps:
            return "task: " + " -> ".join(steps)
    return re.sub(r"\d+", "N", name)


def parse(lines, prefix: str = "co.pqrs.") -> Profile:
    p = Profile()
    thread, frames, in_stack, at = None, [], False, None
    clock = {"first": None, "last": None}

    def seconds(h: str, m: str, s: str) -> float:
        """Seconds since the first sample; jfr prints the time of day, so a recording over midnight
        wraps: a time more than 12 h before the latest one is the next day's."""
        t = int(h) * 3600 + int(m) * 60 + float(s)
        if clock["last"] is not None and t < clock["last"] - 43_200:
            t += 86_400
        if clock["first"] is None:
            clock["first"] = t
        clock["last"] = t if clock["last"] is None else max(clock["last"], t)
        return t - clock["first"]

    def close():
        if frames:
            p.samples += 1
            p.self_[frames[0]] += 1
            p.callers.setdefault(frames[0], Counter())[caller_path(frames, prefix)] += 1
            for m in set(frames):
                p.inclusive[m] += 1
            group = thread_group(thread or "?")
            p.threads[group] += 1
            if at is not None:
                span = p.spans.setdefault(group, [at, at])
                span[0], span[1] = min(span[0], at), max(span[1], at)

    for line in lines:
        if line.startswith("jdk.ExecutionSample"):
            close()
            thread, frames, in_stack, at = None, [], False, None
            continue
        st = START.match(line)
        if st and not in_stack:
            at = seconds(*st.groups())
            continue
        t = THREAD.match(line)
        if t:
            thread = t.group(1)
        elif line.strip() == "stackTrace = [":
            in_stack = True
        elif in_stack and line.strip() == "]":
            in_stack = False
        elif in_stack:
            f = FRAME.match(line)
            if f:
                frames.append(f.group(1))
    close()
    return p


def report(p: Profile, prefix: str, top: int, called_from: int = 5) -> str:
    if p.samples == 0:
        raise SystemExit("profile: no jdk.ExecutionSample events in the input "
                         "(was it made by `jfr print --events jdk.ExecutionSample`?)")
    share = lambda n: f"{100.0 * n / p.samples:5.1f} %"  # noqa: E731
    out = [f"{p.samples} CPU samples", "", "threads:"]
    out += [f"  {share(n)}  {name}" for name, n in p.threads.most_common(top)]
    out += ["", "on top of the stack (self):"]
    out += [f"  {share(n)}  {m}" for m, n in p.self_.most_common(top)]
    own = Counter({m: n for m, n in p.inclusive.items() if m.startswith(prefix)})
    out += ["", f"{prefix}* anywhere on the stack (inclusive):"]
    out += [f"  {share(n)}  {m}" for m, n in own.most_common(top)] or ["  (none)"]
    if p.spans:
        # A group below 1 % of the samples is left out: a pool's odd sample would stretch no stage.
        shown = [(span, g) for g, span in p.spans.items() if p.threads[g] * 100 >= p.samples]
        out += ["", "in time (seconds from the first sample: first and last sample of each thread group "
                    "with 1 % of the samples or more):"]
        for (first, last), g in sorted(shown, key=lambda x: (x[0][0], x[1])):
            out.append(f"  {first:7.1f} {last:7.1f}  {share(p.threads[g])}  {g}")
    if called_from > 0:
        out += ["", f"called from (the top {called_from} self methods; each path down to the first {prefix}* "
                    f"frame, at most {CALLER_FRAMES} frames):"]
        for m, _ in p.self_.most_common(called_from):
            out.append(f"  {m}")
            for path, n in p.callers[m].most_common(3):
                out.append(f"    {share(n)}  <- " + (" <- ".join(path) if path else "(the stack's bottom)"))
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", help="output of `jfr print --events jdk.ExecutionSample`; - for stdin")
    ap.add_argument("--prefix", default="co.pqrs.", help="methods shown inclusive (default: the project's)")
    ap.add_argument("--top", type=int, default=25, help="rows per list (default 25)")
    ap.add_argument("--called-from", type=int, default=5,
                    help="show where this many of the top self methods are called from (default 5; 0: none)")
    a = ap.parse_args(argv)
    src = sys.stdin if a.file == "-" else open(a.file, encoding="utf-8")
    with src:
        sys.stdout.write(report(parse(src, a.prefix), a.prefix, a.top, a.called_from))
    return 0


if __name__ == "__main__":
    sys.exit(main())
