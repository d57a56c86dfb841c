package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.cli.PqrsCli;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.bronze.RawLine;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory a user's input cannot blow up, in JVMs with a small heap of their own: a line however long
 * holds at most {@link RawLine#MAX_BYTES} in ingest and in Bronze; a query whose result does not fit,
 * or a command that runs out in its own thread, ends with one line that says so. (So does a Flink
 * job: FlinkRunnerIT.)
 */
class SmallHeapTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  /** Runs {@code pqrs args} in a JVM of its own (this test's class path), with {@code jvm} options; logs under {@code dir}. */
  static Result inItsOwnJvm(Path dir, List<String> jvm, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PqrsCli.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".log");
    Path err = Files.createTempFile(dir, "err", ".log");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "pqrs " + String.join(" ", args) + " did not finish");
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private Result pqrs(String heap, String... args) throws Exception {
    return inItsOwnJvm(dir, List.of("-Xmx" + heap), args);
  }

  /**
   * A 200 MB line (a file that is one JSON array) in a 128 MB heap: before the limit, ingest held the
   * line whole (and copied it) and Bronze's reader did too.
   */
  @Test
  void aLineLongerThanTheHeapPassesIngestAndBronze() throws Exception {
    Path input = dir.resolve("export.json");
    String event = BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00");
    long longLine = 0;
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(input), 1 << 16)) {
      for (int i = 2; i <= 5; i++) {
        o.write((event.replace("000000000001", "00000000000" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      byte[] element = (event + ",").getBytes(StandardCharsets.UTF_8);
      o.write('[');
      for (longLine = 1; longLine < 200L << 20; longLine += element.length) {
        o.write(element);
      }
      o.write("{}]".getBytes(StandardCharsets.UTF_8));
      longLine += 3;
    }
    String root = dir.resolve("lake").toString();

    Result ingest = pqrs("128m", "ingest", input.toString(), "--run-id", "big", "--root", root);
    assertEquals(0, ingest.code(), ingest::err);
    assertEquals(longLine, Files.size(dir.resolve("lake/raw/pqrs/run_id=big/day=unknown/export-001.jsonl")));

    Result bronze = pqrs("128m", "bronze", "--run-id", "big", "--root", root);
    assertEquals(0, bronze.code(), bronze::err);
    assertTrue(bronze.out().contains("in 5 raw lines -> out 4 rows, quarantined 1 (line_too_long=1)"), bronze::out);
    Manifest m = Manifest.fromJson(Files.readAllBytes(dir.resolve("lake/manifests/bronze/run_id=big/manifest.json")));
    assertEquals(5L, m.counts().get("raw_lines"));
  }

  /**
   * 300 lines over the 1 MiB a Raw event can take, each quarantined with its first 1 MiB, on embedded
   * Flink in a 512 MB heap: the quarantine's grouping batches them (GroupInBatches), and a batch of
   * 256 such records, held and then sent as one, ran out of memory here before batches had a byte
   * limit. The run ends at its checks (nearly every line quarantined), with every line counted.
   */
  @Test
  void manyOverlongLinesPassBronzesGroupingOnFlinkInASmallHeap() throws Exception {
    Path input = dir.resolve("exports.jsonl");
    String event = BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00");
    byte[] overlong = ("{\"note\":\"" + "y".repeat(RawLine.MAX_BYTES + 100 * 1024) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(input), 1 << 16)) {
      for (int i = 2; i <= 5; i++) {
        o.write((event.replace("000000000001", "00000000000" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < 300; i++) {
        o.write(overlong);
      }
    }
    String root = dir.resolve("lake").toString();
    Result ingest = pqrs("256m", "ingest", input.toString(), "--run-id", "long", "--root", root);
    assertEquals(0, ingest.code(), ingest::err);
    Files.delete(input);

    // With the collector bin/pqrs gives Bronze (G1 splits each 1 MiB record over humongous regions).
    Result bronze = inItsOwnJvm(dir, List.of("-Xmx512m", "-XX:+UseParallelGC"), "bronze", "--run-id", "long",
        "--root", root, "--runner", "FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    assertEquals(2, bronze.code(), bronze::err);
    assertTrue(bronze.err().contains("bronze run long FAILED its checks, nothing published: bronze.quarantine_ratio_fail"),
        bronze::err);
    Manifest m = Manifest.fromJson(Files.readAllBytes(dir.resolve("lake/manifests/bronze/run_id=long/failed-manifest.json")));
    assertEquals(304L, m.counts().get("raw_lines"));
    assertEquals(300L, m.counts().get("quarantined.line_too_long"));
  }

  /** DuckDB's driver reports the full heap as an SQLException: still the one line, with the fix. */
  @Test
  void aQueryResultLargerThanTheHeapIsOneLine() throws Exception {
    Result r = pqrs("64m", "sql", "--root", dir.resolve("store").toString(), "SELECT repeat('x', 100000000) AS s");
    assertEquals(2, r.code(), r::err);
    assertEquals(List.of("sql: error: out of memory (Java heap space) with a heap of at most 64 MB: give the JVM more, "
        + "java -Xmx2g -jar ... (make run HEAP=2g)"), r.err().lines().filter(l -> !l.startsWith("[INFO] ")).toList(), r::err);
  }

  /**
   * An Error thrown in the command's own thread passes picocli's handler by: PqrsCli catches it. A
   * 48 MB configuration file in a 32 MB heap runs out where it is read, before any pipeline.
   */
  @Test
  void runningOutOfMemoryInTheCommandsOwnThreadIsOneLine() throws Exception {
    Path config = dir.resolve("huge.yaml");
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(config), 1 << 16)) {
      byte[] comment = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 48 * 1024; i++) {
        o.write(comment);
      }
    }
    Result r = pqrs("32m", "simulate", "--config", config.toString(), "--root", dir.resolve("lake").toString(),
        "--start", "2025-01-01", "--end", "2025-01-15");
    assertEquals(2, r.code(), r::err);
    List<String> lines = r.err().lines().filter(l -> !l.startsWith("[INFO] ")).toList();
    assertEquals(1, lines.size(), r::err);
    assertTrue(lines.get(0).startsWith("simulate: error: out of memory (Java heap space) with a heap of at most "), r::err);
    assertTrue(lines.get(0).endsWith(" MB: give the JVM more, java -Xmx2g -jar ... (make run HEAP=2g)"), r::err);
  }
}
