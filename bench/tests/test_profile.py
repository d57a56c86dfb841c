"""bench/jfr_profile.py over a small `jfr print` text whose shares are known: self and inclusive counts
(recursion once per sample), Flink task threads named by their steps, and an input without samples."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import jfr_profile  # noqa: E402

TASK = ("CHAIN GroupReduce (GroupReduce at BronzeRun/WriteBronze/GroupByEventDay) -> FlatMap (FlatMap at "
        "BronzeRun/WriteBronze/WriteDaysAndQuarantine/ParMultiDo(WriteDay)) -> FlatMap (FlatMap at "
        "BronzeRun/WriteBronze/WriteDaysAndQuarantine/ParMultiDo(WriteDay).output)")


def sample(thread: str, *frames: str, at: str = "07:42:20.693") -> str:
    body = "\n".join(f"    {f} line: {i + 10}" for i, f in enumerate(frames))
    return (f'jdk.ExecutionSample {{\n  startTime = {at}\n  sampledThread = "{thread}" (javaThreadId = 1)\n'
            f'  state = "STATE_RUNNABLE"\n  stackTrace = [\n{body}\n    ...\n  ]\n}}\n\n')


TEXT = (sample("main", "java.util.HashMap.getNode(int, Object)", "co.pqrs.lakehouse.A.run(String)",
               "co.pqrs.lakehouse.A.run(String)", "java.lang.Thread.run()")
        + sample(TASK + " (1/2)#0", "org.apache.parquet.Writer.write(int)", "co.pqrs.lakehouse.W.writeShard()")
        + sample(TASK + " (2/2)#0", "org.apache.parquet.Writer.write(int)"))


def test_self_inclusive_and_threads():
    p = jfr_profile.parse(TEXT.splitlines(keepends=True))
    assert p.samples == 3
    assert p.self_["org.apache.parquet.Writer.write"] == 2
    assert p.self_["java.util.HashMap.getNode"] == 1
    assert p.inclusive["co.pqrs.lakehouse.A.run"] == 1  # twice in one stack, one sample
    assert p.inclusive["co.pqrs.lakehouse.W.writeShard"] == 1
    assert p.threads == {"main": 1, "task: GroupByEventDay -> WriteDaysAndQuarantine": 2}


def test_report_gives_shares_of_all_samples_and_keeps_to_the_prefix():
    text = jfr_profile.report(jfr_profile.parse(TEXT.splitlines()), "co.pqrs.", 10)
    assert text.startswith("3 CPU samples")
    assert " 66.7 %  org.apache.parquet.Writer.write" in text
    assert " 66.7 %  task: GroupByEventDay -> WriteDaysAndQuarantine" in text
    own = text.split("co.pqrs.* anywhere on the stack (inclusive):")[1]
    assert " 33.3 %  co.pqrs.lakehouse.A.run" in own
    assert "java.lang.Thread.run" not in own


def test_an_input_without_samples_is_refused():
    with pytest.raises(SystemExit, match="no jdk.ExecutionSample events"):
        jfr_profile.report(jfr_profile.parse(["jdk.GCPhasePause {\n", "}\n"]), "co.pqrs.", 10)


def test_callers_of_a_self_method_stop_at_the_projects_first_frame():
    deep = [f"org.lib.L{i}.call()" for i in range(8)]
    text = (sample("main", "java.util.HashMap.getNode(int, Object)", "java.util.HashMap.get(Object)",
                   "org.apache.avro.Schema.getField(String)", "co.pqrs.lakehouse.B.toRecord()", "co.pqrs.lakehouse.W.run()")
            + sample("main", "java.util.HashMap.getNode(int, Object)", "java.util.HashMap.getNode(int, Object)",
                     "java.util.HashMap.get(Object)", "org.apache.avro.Schema.getField(String)",
                     "co.pqrs.lakehouse.B.toRecord()")
            + sample("main", "java.util.HashMap.getNode(int, Object)", *deep)
            + sample("main", "org.apache.parquet.Writer.write(int)"))
    p = jfr_profile.parse(text.splitlines(), "co.pqrs.")
    via_record = ("java.util.HashMap.get", "org.apache.avro.Schema.getField", "co.pqrs.lakehouse.B.toRecord")
    # recursion of the top method is skipped; a path without the prefix is cut at six frames
    assert p.callers["java.util.HashMap.getNode"] == {via_record: 2, tuple(f"org.lib.L{i}.call" for i in range(6)): 1}
    assert p.callers["org.apache.parquet.Writer.write"] == {(): 1}
    out = jfr_profile.report(p, "co.pqrs.", 10, called_from=1).split("called from")[1]
    assert "  java.util.HashMap.getNode\n     50.0 %  <- java.util.HashMap.get <- org.apache.avro.Schema.getField <- " \
           "co.pqrs.lakehouse.B.toRecord\n     25.0 %  <- org.lib.L0.call" in out
    assert "Writer.write" not in out  # only the top one asked for


def test_thread_groups_in_time_from_the_first_sample_across_midnight():
    parse_stage = TASK.replace("GroupByEventDay", "ParseAndValidate")
    text = (sample("main", "co.pqrs.lakehouse.A.run(String)", at="23:59:58.500")
            + sample(parse_stage + " (1/2)#0", "org.lib.Parse.run()", at="23:59:59.000")
            + sample(parse_stage + " (2/2)#0", "org.lib.Parse.run()", at="23:59:59.750")
            + sample(TASK + " (1/2)#0", "org.apache.parquet.Writer.write(int)", at="00:00:01.250")
            + sample(TASK + " (2/2)#0", "org.apache.parquet.Writer.write(int)", at="00:00:00.500")
            + sample("main", "co.pqrs.lakehouse.A.run(String)", at="00:00:02.000"))
    p = jfr_profile.parse(text.splitlines())
    assert p.spans["main"] == [0.0, 3.5]
    assert p.spans["task: GroupByEventDay -> WriteDaysAndQuarantine"] == [2.0, 2.75]
    report = jfr_profile.report(p, "co.pqrs.", 10).split("in time (")[1].splitlines()[1:4]
    assert [r.split()[0:2] for r in report] == [["0.0", "3.5"], ["0.5", "1.2"], ["2.0", "2.8"]]
    assert report[1].endswith("task: ParseAndValidate -> WriteDaysAndQuarantine")
