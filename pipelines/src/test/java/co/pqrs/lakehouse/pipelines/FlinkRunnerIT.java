package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner independence: the same seed gives the same data hash in every layer on the DirectRunner and
 * on the embedded Flink runner at parallelism 1 and 2; the chain's summary names the runner it ran on.
 */
class FlinkRunnerIT {

  /** Runs the chain into {@code dir/name}; its summary must name the runner as {@code summarised}. */
  static Path chain(Path dir, String name, String summarised, String... runner) throws Exception {
    Path root = dir.resolve(name);
    List<String> a = new ArrayList<>(List.of("run", "--config", PqrsCliTest.writeSmallConfig(dir).toString(),
        "--start", "2025-02-03", "--end", "2025-02-12", "--seed", "31", "--run-id", "indep", "--root", root.toString()));
    a.addAll(List.of(runner));
    PqrsCliTest.Run r = PqrsCliTest.pqrs(a.toArray(String[]::new));
    assertEquals(0, r.code(), () -> name + ": " + r.err());
    assertTrue(r.out().contains("\n  runner:      " + summarised + "\n"), () -> name + ": " + r.out());
    return root;
  }

  @Test
  void directAndEmbeddedFlinkAtParallelismOneAndTwoGiveTheSameData(@TempDir Path dir) throws Exception {
    Path direct = chain(dir, "direct", "DirectRunner");
    for (String p : new String[] {"1", "2"}) {
      // At 2 without --flinkMaster: Beam's default, [auto], is embedded Flink too outside Flink's CLI.
      String[] runner = p.equals("1")
          ? new String[] {"--runner", "FlinkRunner", "--flinkMaster=[local]", "--parallelism=1"}
          : new String[] {"--runner", "FlinkRunner", "--parallelism=2"};
      Path flink = chain(dir, "flink-" + p, "FlinkRunner, embedded in this JVM, parallelism " + p, runner);
      for (String layer : DataLayout.CHAIN) {
        Manifest d = RunPublisher.readManifest(DataLayout.at(direct.toString()).manifest(layer, "indep"));
        Manifest f = RunPublisher.readManifest(DataLayout.at(flink.toString()).manifest(layer, "indep"));
        assertEquals(d.dataHash(), f.dataHash(), layer + " on embedded Flink, parallelism " + p);
        assertEquals(d.files(), f.files(), layer + " files (paths, sizes, SHA-256) at parallelism " + p);
      }
    }
  }

  /**
   * A check that fails inside a Flink job reaches the user as the CLI's one line, as on the
   * DirectRunner: not as the stack traces Flink's task and Beam's Flink runner log on the way.
   */
  @Test
  void aFailedCheckOnEmbeddedFlinkIsOneLine(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("export.jsonl");
    // One line in two is not JSON: over the quarantine ratio's FAIL threshold (0.25).
    Files.writeString(input, BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000001", "2025-01-02T08:00:00-05:00")
        + "\nnot json\n");
    String root = dir.resolve("lake").toString();
    assertEquals(0, PqrsCliTest.pqrs("ingest", input.toString(), "--run-id", "bad", "--root", root).code());
    PqrsCliTest.Run r = PqrsCliTest.pqrs("bronze", "--run-id", "bad", "--root", root,
        "--runner", "FlinkRunner", "--flinkMaster=[local]");
    assertEquals(2, r.code(), r::err);
    List<String> notLogs = r.err().lines().filter(l -> !l.startsWith("[INFO] ")).toList();
    assertEquals(1, notLogs.size(), r::err);
    assertTrue(notLogs.get(0).startsWith("bronze: error: bronze run bad FAILED its checks, nothing published: "
        + "bronze.quarantine_ratio_fail"), r::err);
  }

  /**
   * A job that runs out of memory on embedded Flink, as `java -Xmx… -jar` runs it: the CLI's one line,
   * naming the kind of memory and the fix, not the InaccessibleObjectException that hid the error
   * before the jar opened java.lang to Flink, nor Flink's trace. 96 MB leaves less direct memory than
   * Flink's shuffle read buffers need (the JVM caps direct memory at the heap's size).
   */
  @Test
  void aJobOutOfMemoryIsOneLineWithTheFix(@TempDir Path dir) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
        "-jar", "target/pqrs-lakehouse.jar", "simulate", "--start", "2025-01-01", "--end", "2025-01-15",
        "--root", dir.resolve("lake").toString(), "--runner=FlinkRunner", "--flinkMaster=[local]")
        .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile()).start();
    assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "simulate did not finish");
    String err = Files.readString(dir.resolve("err.log"));
    assertEquals(2, p.exitValue(), err);
    List<String> notLogs = err.lines().filter(l -> !l.startsWith("[INFO] ")).toList();
    assertEquals(1, notLogs.size(), err);
    assertTrue(notLogs.get(0).startsWith("simulate: error: out of memory ("), err);
    assertTrue(notLogs.get(0).endsWith(" MB: give the JVM more, java -Xmx2g -jar ... (make run HEAP=2g)"), err);
  }

  /**
   * Raw days larger than the generator's writers hold ({@code --sortHeldMb=1}: each day of the default
   * volume, about 11,000 events, is a few megabytes) are sorted on local disk on embedded Flink at
   * parallelism 2, where a grouping's values can be read only once, to the files of a run sorted in
   * memory.
   */
  @Test
  void daysSortedOnDiskOnEmbeddedFlinkGiveTheSameFiles(@TempDir Path dir) throws Exception {
    // The default volume without spike windows, which would not fit in three days.
    Path config = dir.resolve("no-spikes.yaml");
    Files.writeString(config, Source.packaged(Source.Kind.CONFIG, SimulationConfig.FILE).text()
        .replaceFirst("window_count: \\d+", "window_count: 0"));
    List<Manifest> manifests = new ArrayList<>();
    for (String held : new String[] {"default", "1"}) {
      String root = dir.resolve(held).toString();
      List<String> a = new ArrayList<>(List.of("simulate", "--config", config.toString(),
          "--start", "2025-01-07", "--end", "2025-01-09",
          "--run-id", "big-days", "--root", root, "--runner", "FlinkRunner", "--flinkMaster=[local]",
          "--parallelism=2"));
      if (!held.equals("default")) {
        a.add("--sortHeldMb=" + held);
      }
      PqrsCliTest.Run r = PqrsCliTest.pqrs(a.toArray(String[]::new));
      assertEquals(0, r.code(), r::err);
      assertEquals(held.equals("1") ? 3 : 0, r.err().lines().filter(l -> l.contains("runs on local disk")).count(),
          r::err);
      manifests.add(RunPublisher.readManifest(DataLayout.at(root).manifest(DataLayout.RAW, "big-days")));
    }
    assertTrue(manifests.get(0).counts().get("lines") > 20_000, () -> manifests.get(0).counts().toString());
    assertEquals(manifests.get(0).files(), manifests.get(1).files());
    assertEquals(manifests.get(0).dataHash(), manifests.get(1).dataHash());
  }

  /**
   * Duplicates on embedded Flink: a part of the file delivered twice, and one event resent 10,000
   * times, whose group of the de-duplication is sorted on local disk with {@code --sortHeldMb=1} (an
   * event held is estimated at its fields plus 112 bytes of objects, so 10,000 are well past 1 MB), to the
   * same files as when it is held whole: the judge's spilling runs on Flink's batch translation too,
   * not only on the DirectRunner, where a grouping's values stream.
   */
  @Test
  void duplicatesJudgedOnEmbeddedFlinkGiveTheSameFilesHeldOrOnDisk(@TempDir Path dir) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 120; i++) {
      int id = i <= 100 ? i : i - 100;
      lines.append(BronzeCliTest.created(String.format("aaaaaaaa-0000-3000-8000-%012d", id),
          "2025-01-0" + (2 + id % 3) + "T08:00:00-05:00")).append('\n');
    }
    String resent = BronzeCliTest.created("aaaaaaaa-0000-3000-8000-000000000999", "2025-01-03T09:00:00-05:00");
    lines.append((resent + "\n").repeat(10_000));
    Path input = dir.resolve("export.jsonl");
    Files.writeString(input, lines);
    List<Manifest> manifests = new ArrayList<>();
    for (String how : new String[] {"held", "on disk"}) {
      String root = dir.resolve(how.replace(' ', '-')).toString();
      assertEquals(0, PqrsCliTest.pqrs("ingest", input.toString(), "--run-id", "twice", "--root", root).code());
      List<String> a = new ArrayList<>(List.of("bronze", "--run-id", "twice", "--root", root,
          "--runner", "FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"));
      if (how.equals("on disk")) {
        a.add("--sortHeldMb=1");
      }
      PqrsCliTest.Run r = PqrsCliTest.pqrs(a.toArray(String[]::new));
      // Nearly every line is a duplicate: the run is refused, as it should be, and its manifest kept.
      assertEquals(2, r.code(), r::err);
      assertTrue(r.err().contains("bronze.quarantine_ratio_fail"), r::err);
      assertEquals(how.equals("on disk"), r.err().lines().anyMatch(l -> l.contains("duplicates group ")
          && l.contains("sorted in") && l.contains("runs on local disk")), r::err);
      manifests.add(Manifest.fromJson(Files.readAllBytes(
          Path.of(DataLayout.at(root).manifest(DataLayout.BRONZE, "twice")).resolveSibling("failed-manifest.json"))));
    }
    assertEquals(10_019L, manifests.get(0).counts().get("quarantined.duplicate_event_id"));
    assertEquals(101L, manifests.get(0).counts().get("rows"));
    assertEquals(manifests.get(0).files(), manifests.get(1).files());
    assertEquals(manifests.get(0).dataHash(), manifests.get(1).dataHash());
  }
}
