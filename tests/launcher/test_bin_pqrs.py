"""bin/pqrs: the JVM options it picks for a command, read from its dry run (PQRS_DRY_RUN=1 prints the
java command). The real commands run through it in `make run`'s test and the bench smoke."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

PQRS = Path(__file__).resolve().parents[2] / "bin" / "pqrs"
C1 = "-XX:TieredStopAtLevel=1"
LEAN_C2 = ["-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000"]


@pytest.fixture
def jar(tmp_path: Path) -> Path:
    j = tmp_path / "target" / "pqrs.jar"
    j.parent.mkdir()
    j.write_bytes(b"not run: a dry run only prints the command")
    return j


def raw_run(root: Path, run_id: str, lines: int) -> None:
    manifest = root / "manifests" / "raw" / f"run_id={run_id}" / "manifest.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{\n  "counts" : {\n    "files" : 28,\n    "lines" : %d,\n    "tickets" : 9\n  }\n}\n' % lines)


def pqrs(jar: Path, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if not k.startswith("PQRS_") and k != "JAVA_HOME"}
    e.update(PQRS_JAR=str(jar), PQRS_DRY_RUN="1", **env)
    return subprocess.run([str(PQRS), *args], capture_output=True, text=True, env=e, cwd=cwd)


def java_options(result: subprocess.CompletedProcess, java: str = "java") -> list[str]:
    assert result.returncode == 0, result.stderr
    words = result.stdout.split()
    assert words[0] == java, result.stdout
    return words[1:words.index("-jar")]


def jdk(tmp_path: Path, version: str) -> Path:
    """A JDK's folder as the launcher reads it: bin/java and the release file naming its version."""
    home = tmp_path / f"jdk-{version}"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\n")
    (home / "bin" / "java").chmod(0o755)
    (home / "release").write_text(f'IMPLEMENTOR="test"\nJAVA_VERSION="{version}"\n')
    return home


def test_a_small_raw_run_compiles_with_c1_only_and_says_why(tmp_path, jar):
    raw_run(tmp_path / "lake", "demo", 104_743)
    r = pqrs(jar, "bronze", "--run-id", "demo", "--root", str(tmp_path / "lake"), "--runner", "FlinkRunner")
    assert C1 in java_options(r)
    assert r.stderr.splitlines() == [
        "pqrs: JIT C1 only: Raw run demo has 104743 lines, fewer than 250000 (the threshold for bronze; PQRS_C1_BELOW sets another)"
    ]


@pytest.mark.parametrize("command", [["silver"], ["gold"], ["serve"], ["run", "--from", "bronze"], ["run", "--from=gold"]])
def test_every_command_over_an_existing_small_run_gets_c1(tmp_path, jar, command):
    raw_run(tmp_path / "lake", "demo", 1_000)
    assert C1 in java_options(pqrs(jar, *command, "--run-id=demo", "--root=" + str(tmp_path / "lake")))


def test_a_large_run_keeps_the_optimising_compiler_and_tells_it_to_inline_less(tmp_path, jar):
    raw_run(tmp_path / "lake", "big", 1_044_907)
    r = pqrs(jar, "bronze", "--run-id", "big", "--root", str(tmp_path / "lake"))
    opts = java_options(r)
    assert C1 not in opts
    assert opts[-2:] == LEAN_C2
    assert "JIT" not in r.stderr
    mine = java_options(pqrs(jar, "bronze", "--run-id", "big", "--root", str(tmp_path / "lake"),
                             PQRS_JAVA_OPTS="-XX:FreqInlineSize=325"))
    assert mine[-3:] == [*LEAN_C2, "-XX:FreqInlineSize=325"]  # the JVM takes the last one: the user's


def test_the_leaner_c2_is_the_one_the_clusters_taskmanager_gets():
    """Measured together (docs/benchmarks/changes.md, "Twenty-fourth change"): the embedded runner's JVM and
    the cluster's TaskManager run the same jobs, so they compile with the same options."""
    config = PQRS.parents[1] / "infra" / "local" / "flink" / "conf" / "config.yaml"
    line = next(l for l in config.read_text().splitlines() if l.startswith("env.java.opts.taskmanager:"))
    assert line.split(":", 1)[1].split() == LEAN_C2


# Where C1 only and the leaner C2 took as long, by command (docs/benchmarks/changes.md, "Twenty-sixth change").
THRESHOLDS = {
    ("bronze",): 250_000,
    ("silver",): 500_000,
    ("gold",): 750_000,
    ("serve",): 750_000,
    ("run", "--from", "bronze"): 200_000,
    ("run", "--from=silver"): 500_000,
    ("run", "--from", "gold"): 750_000,
}


@pytest.mark.parametrize("command", THRESHOLDS, ids=" ".join)
def test_each_layer_has_its_own_threshold(tmp_path, jar, command):
    lines = THRESHOLDS[command]
    raw_run(tmp_path / "lake", "edge", lines - 1)
    raw_run(tmp_path / "lake", "over", lines)
    edge = pqrs(jar, *command, "--run-id", "edge", "--root", str(tmp_path / "lake"))
    assert C1 in java_options(edge)
    name = " ".join(command).replace("=", " ")
    assert f"has {lines - 1} lines, fewer than {lines} (the threshold for {name}; PQRS_C1_BELOW sets another)" in edge.stderr
    over = java_options(pqrs(jar, *command, "--run-id", "over", "--root", str(tmp_path / "lake")))
    assert C1 not in over and over[-2:] == LEAN_C2


def test_the_layers_thresholds_rise_from_bronze_to_gold(tmp_path, jar):
    """Bronze, which does the most work per event, repays C2 soonest, Gold latest: a run between two
    thresholds compiles Bronze with C2 and Gold with C1 only."""
    raw_run(tmp_path / "lake", "mid", 600_000)
    args = ("--run-id", "mid", "--root", str(tmp_path / "lake"))
    assert [C1 in java_options(pqrs(jar, layer, *args)) for layer in ("bronze", "silver", "gold")] == [False, False, True]


def test_c1_only_runs_get_no_inlining_options(tmp_path, jar):
    raw_run(tmp_path / "lake", "demo", 10)
    opts = java_options(pqrs(jar, "gold", "--run-id", "demo", "--root", str(tmp_path / "lake")))
    assert C1 in opts
    assert not set(LEAN_C2) & set(opts)


@pytest.mark.parametrize("size", [10, 1_044_907])
@pytest.mark.parametrize("command", [["bronze"], ["silver"], ["gold"], ["serve"], ["run", "--from", "bronze"], ["run", "--from=gold"]])
def test_a_command_over_a_raw_run_gets_the_throughput_collector(tmp_path, jar, size, command):
    raw_run(tmp_path / "lake", "demo", size)
    assert "-XX:+UseParallelGC" in java_options(pqrs(jar, *command, "--run-id", "demo", "--root", str(tmp_path / "lake")))


@pytest.mark.parametrize("command", [["simulate", "--config", "c.yaml"], ["ingest", "--input", "x"], ["run"], ["run", "--from", "raw"]])
def test_a_command_that_writes_raw_keeps_g1(tmp_path, jar, command):
    """ParallelGC's old generation is two thirds of the heap: the generator at 10 M events ran out of
    the 1 GB heap it runs in with G1 (docs/benchmarks/changes.md, "Twenty-sixth change")."""
    opts = java_options(pqrs(jar, *command, "--run-id", "demo", "--runner=FlinkRunner", "--flinkMaster=[local]"))
    assert not [o for o in opts if o.startswith("-XX:+Use") and o.endswith("GC")]


def test_a_collector_the_user_names_is_left_alone(tmp_path, jar):
    raw_run(tmp_path / "lake", "demo", 10)
    args = ("bronze", "--run-id", "demo", "--root", str(tmp_path / "lake"))
    opts = java_options(pqrs(jar, *args, PQRS_JAVA_OPTS="-Xmx2g -XX:+UseG1GC"))
    assert "-XX:+UseParallelGC" not in opts
    assert opts[-2:] == ["-Xmx2g", "-XX:+UseG1GC"]
    # Options that only start or end like a collector's name no collector.
    others = java_options(pqrs(jar, *args, PQRS_JAVA_OPTS="-XX:+UseNUMA\t-XX:+DisableExplicitGC"))
    assert "-XX:+UseParallelGC" in others


def test_the_threshold_is_a_setting_and_a_bad_one_is_refused(tmp_path, jar):
    raw_run(tmp_path / "lake", "demo", 2_000)
    args = ("gold", "--run-id", "demo", "--root", str(tmp_path / "lake"))
    assert C1 in java_options(pqrs(jar, *args, PQRS_C1_BELOW="2001"))
    assert C1 not in java_options(pqrs(jar, *args, PQRS_C1_BELOW="2000"))
    # It replaces every layer's own threshold.
    for layer in ("bronze", "silver", "gold"):
        r = pqrs(jar, layer, *args[1:], PQRS_C1_BELOW="2001")
        assert C1 in java_options(r)
        assert r.stderr.strip() == "pqrs: JIT C1 only: Raw run demo has 2000 lines, fewer than PQRS_C1_BELOW=2001"
    assert C1 not in java_options(pqrs(jar, "bronze", *args[1:], PQRS_C1_BELOW="0"))
    assert C1 in java_options(pqrs(jar, *args, PQRS_C1_BELOW=""))  # empty: each layer's own
    bad = pqrs(jar, *args, PQRS_C1_BELOW="half a million")
    assert bad.returncode == 2
    assert bad.stderr.strip() == "pqrs: PQRS_C1_BELOW must be a number of lines, not 'half a million'"


def test_the_default_root_is_lakehouse_in_the_current_folder(tmp_path, jar):
    raw_run(tmp_path / "lakehouse", "demo", 10)
    assert C1 in java_options(pqrs(jar, "silver", "--run-id", "demo", cwd=tmp_path))
    assert C1 not in java_options(pqrs(jar, "silver", "--run-id", "demo", cwd=jar.parent))


@pytest.mark.parametrize("command", [["simulate", "--start", "2025-01-01"], ["run", "--days", "30"], ["run", "--from", "raw", "--run-id", "demo"],
                                     ["sql", "SELECT 1"], ["ingest", "x.jsonl", "--run-id", "demo"]])
def test_a_command_whose_size_is_not_known_keeps_the_optimising_compiler(tmp_path, jar, command):
    raw_run(tmp_path / "lakehouse", "demo", 10)
    opts = java_options(pqrs(jar, *command, cwd=tmp_path))
    assert C1 not in opts
    assert opts[-2:] == LEAN_C2


def test_a_run_without_a_raw_manifest_or_on_s3_keeps_the_optimising_compiler(tmp_path, jar):
    assert C1 not in java_options(pqrs(jar, "bronze", "--run-id", "none", "--root", str(tmp_path)))
    assert C1 not in java_options(pqrs(jar, "bronze", "--run-id", "demo", "--root", "s3://lake/demo"))


@pytest.mark.parametrize("master", ["--flinkMaster=localhost:8081", "--flinkMaster=flink-jobmanager:8081"])
def test_a_clusters_client_gets_c1_whatever_the_size(tmp_path, jar, master):
    raw_run(tmp_path / "lake", "big", 10_000_000)
    r = pqrs(jar, "bronze", "--run-id", "big", "--root", str(tmp_path / "lake"), "--runner", "FlinkRunner", master)
    assert C1 in java_options(r)
    assert "its pipelines run on the Flink cluster at " + master.split("=")[1] in r.stderr
    assert C1 in java_options(pqrs(jar, "simulate", "--runner=FlinkRunner", master))


@pytest.mark.parametrize("master", ["--flinkMaster=[local]", "--flinkMaster=[auto]"])
def test_embedded_flink_is_not_a_cluster(tmp_path, jar, master):
    assert C1 not in java_options(pqrs(jar, "simulate", "--runner=FlinkRunner", master))


def test_the_archive_is_mapped_only_while_newer_than_the_jar(tmp_path, jar):
    jsa = jar.with_suffix(".jsa")
    jsa.write_bytes(b"archive")
    os.utime(jar, (1_000, 1_000))
    assert f"-XX:SharedArchiveFile={jsa}" in java_options(pqrs(jar, "--version"))
    os.utime(jsa, (500, 500))
    assert not any(o.startswith("-XX:SharedArchiveFile") for o in java_options(pqrs(jar, "--version")))


def test_java_home_picks_the_jvm_and_java_25_maps_its_own_ahead_of_time_cache(tmp_path, jar):
    """An AOT cache serves only the JVM that trained it, so its name carries the feature version, and
    a Java 25 JVM is never handed Java 17's archive (docs/benchmarks/changes.md, "Forty-fifth change")."""
    home = jdk(tmp_path, "25.0.3")
    java = str(home / "bin" / "java")
    jar.with_suffix(".jsa").write_bytes(b"Java 17's archive")
    os.utime(jar, (1_000, 1_000))
    opts = java_options(pqrs(jar, "--version", JAVA_HOME=str(home)), java)
    assert not any(o.startswith(("-XX:SharedArchiveFile", "-XX:AOTCache")) for o in opts)
    cache = jar.parent / "pqrs-java25.aot"
    cache.write_bytes(b"cache")
    assert f"-XX:AOTCache={cache}" in java_options(pqrs(jar, "--version", JAVA_HOME=str(home)), java)
    os.utime(cache, (500, 500))  # older than the jar: trained on another build
    opts = java_options(pqrs(jar, "--version", JAVA_HOME=str(home)), java)
    assert not any(o.startswith("-XX:AOTCache") for o in opts)


def test_xshare_becomes_the_ahead_of_time_caches_mode(tmp_path, jar):
    """Java 25 refuses -Xshare beside -XX:AOTCache; the bench's -Xshare:on (map it or fail) and a
    user's -Xshare:off (no archive) keep their meaning as -XX:AOTMode."""
    home = jdk(tmp_path, "25.0.3")
    java = str(home / "bin" / "java")
    cache = jar.parent / "pqrs-java25.aot"
    cache.write_bytes(b"cache")
    os.utime(jar, (1_000, 1_000))
    on = java_options(pqrs(jar, "--version", JAVA_HOME=str(home), PQRS_JAVA_OPTS="-Xmx1g -Xshare:on"), java)
    assert f"-XX:AOTCache={cache}" in on and on[-2:] == ["-Xmx1g", "-XX:AOTMode=on"]
    assert not any(o.startswith("-Xshare") for o in on)
    off = java_options(pqrs(jar, "--version", JAVA_HOME=str(home), PQRS_JAVA_OPTS="-Xshare:off"), java)
    assert off[-1] == "-Xshare:off" and not any(o.startswith("-XX:AOT") for o in off)


def test_java_24_and_later_allow_unsafe_memory_access_quietly_and_17_is_not_told(tmp_path, jar):
    flag = "--sun-misc-unsafe-memory-access=allow"
    for version, told in (("17.0.15", False), ("24.0.1", True), ("25.0.3", True)):
        home = jdk(tmp_path, version)
        assert (flag in java_options(pqrs(jar, "--version", JAVA_HOME=str(home)), str(home / "bin" / "java"))) is told


def test_a_java_17_home_maps_the_class_data_archive(tmp_path, jar):
    home = jdk(tmp_path, "17.0.15")
    jsa = jar.with_suffix(".jsa")
    jsa.write_bytes(b"archive")
    (jar.parent / "pqrs-java25.aot").write_bytes(b"Java 25's cache")
    os.utime(jar, (1_000, 1_000))
    opts = java_options(pqrs(jar, "--version", JAVA_HOME=str(home)), str(home / "bin" / "java"))
    assert f"-XX:SharedArchiveFile={jsa}" in opts
    assert not any(o.startswith("-XX:AOTCache") for o in opts)


def test_the_jar_is_named_by_its_absolute_path_from_any_folder(tmp_path, jar):
    r = pqrs(Path("target") / jar.name, "--version", cwd=tmp_path)
    assert r.stdout.split()[-2:] == [str(jar), "--version"]


def test_the_users_options_come_last_so_they_win(tmp_path, jar):
    raw_run(tmp_path / "lake", "demo", 10)
    opts = java_options(pqrs(jar, "gold", "--run-id", "demo", "--root", str(tmp_path / "lake"),
                             PQRS_JAVA_OPTS="-Xmx2g -Xshare:off"))
    assert opts[-3:] == [C1, "-Xmx2g", "-Xshare:off"]


def test_the_users_options_are_split_at_blanks_and_not_expanded_as_file_names(tmp_path, jar):
    (tmp_path / "-Dglob=a-file").write_text("")  # what a file-name expansion of -Dglob=* would give
    opts = java_options(pqrs(jar, "--version", cwd=tmp_path, PQRS_JAVA_OPTS="  -Dglob=*   -Xss2m "))
    assert opts[-2:] == ["-Dglob=*", "-Xss2m"]


@pytest.mark.parametrize("master", [[], ["--flinkMaster=localhost:8081"]])
def test_a_compiler_the_user_chose_is_left_alone_and_not_announced(tmp_path, jar, master):
    raw_run(tmp_path / "lake", "demo", 10)
    r = pqrs(jar, "gold", "--run-id", "demo", "--root", str(tmp_path / "lake"), *master,
             PQRS_JAVA_OPTS="-Xmx2g -XX:TieredStopAtLevel=4")
    assert java_options(r)[-2:] == ["-Xmx2g", "-XX:TieredStopAtLevel=4"]
    assert C1 not in java_options(r)
    assert not set(LEAN_C2) & set(java_options(r))
    assert r.stderr == ""


def test_no_jar_is_one_clear_line(tmp_path):
    r = pqrs(tmp_path / "missing.jar", "--version")
    assert r.returncode == 1
    assert r.stderr.strip() == f"pqrs: no jar at {tmp_path / 'missing.jar'} (make build)"


THP = "-XX:+UseTransparentHugePages"


def thp_mode(tmp_path: Path, mode: str) -> str:
    """A file in the form of /sys/kernel/mm/transparent_hugepage/enabled, the bracketed word the kernel's mode."""
    f = tmp_path / ("thp-" + mode.split("[")[1].split("]")[0])
    f.write_text(mode + "\n")
    return str(f)


def test_bronze_over_a_million_lines_or_more_asks_for_huge_pages_where_the_kernel_gives_them_on_request(tmp_path, jar):
    raw_run(tmp_path / "lake", "big", 1_000_000)
    raw_run(tmp_path / "lake", "less", 999_999)
    madvise = thp_mode(tmp_path, "always [madvise] never")
    for command in (["bronze"], ["run", "--from", "bronze"]):
        args = (*command, "--run-id", "big", "--root", str(tmp_path / "lake"))
        opts = java_options(pqrs(jar, *args, PQRS_THP_ENABLED_FILE=madvise))
        assert THP in opts and opts[-2:] == LEAN_C2, command
        less = (*command, "--run-id", "less", "--root", str(tmp_path / "lake"))
        assert THP not in java_options(pqrs(jar, *less, PQRS_THP_ENABLED_FILE=madvise)), command
    # Silver and Gold alone gained nothing from them at 5.2 M events.
    for command in (["silver"], ["gold"], ["serve"], ["run", "--from", "silver"], ["run", "--from=gold"]):
        args = (*command, "--run-id", "big", "--root", str(tmp_path / "lake"))
        assert THP not in java_options(pqrs(jar, *args, PQRS_THP_ENABLED_FILE=madvise)), command
    # Given unasked, not at all, or no such file: nothing to ask for.
    for mode in ("[always] madvise never", "always madvise [never]"):
        opts = java_options(pqrs(jar, "bronze", "--run-id", "big", "--root", str(tmp_path / "lake"),
                                 PQRS_THP_ENABLED_FILE=thp_mode(tmp_path, mode)))
        assert THP not in opts, mode
    assert THP not in java_options(pqrs(jar, "bronze", "--run-id", "big", "--root", str(tmp_path / "lake"),
                                        PQRS_THP_ENABLED_FILE=str(tmp_path / "none")))


def test_huge_pages_follow_the_size_not_the_compiler_and_the_user_can_refuse_them(tmp_path, jar):
    raw_run(tmp_path / "lake", "big", 5_223_272)
    madvise = thp_mode(tmp_path, "always [madvise] never")
    args = ("bronze", "--run-id", "big", "--root", str(tmp_path / "lake"))
    mine = java_options(pqrs(jar, *args, PQRS_THP_ENABLED_FILE=madvise, PQRS_JAVA_OPTS="-XX:TieredStopAtLevel=1"))
    assert THP in mine and mine[-1] == "-XX:TieredStopAtLevel=1"
    refused = java_options(pqrs(jar, *args, PQRS_THP_ENABLED_FILE=madvise, PQRS_JAVA_OPTS="-XX:-UseTransparentHugePages"))
    assert refused[-1] == "-XX:-UseTransparentHugePages"  # after the launcher's: the JVM takes the last one
    # A cluster's client does no layer's work: none for it.
    client = java_options(pqrs(jar, *args, "--runner", "FlinkRunner", "--flinkMaster=localhost:8081",
                               PQRS_THP_ENABLED_FILE=madvise))
    assert THP not in client and C1 in client
