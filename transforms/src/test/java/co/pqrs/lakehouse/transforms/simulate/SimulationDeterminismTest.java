package co.pqrs.lakehouse.transforms.simulate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulationDeterminismTest {
  @TempDir static Path dir;
  static LakehouseConfig cfg;

  @BeforeAll
  static void config() throws Exception {
    cfg = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")),
        TestConfigs.oneWindow("2025-03-14", "2025-03-28", 60, 150, 200, 3));
  }

  private static String bytesOf(Path root, String runId) throws Exception {
    StringBuilder sb = new StringBuilder();
    Path base = RawRuns.runFolder(root, runId);
    for (Path f : RawRuns.files(root, runId)) {
      sb.append(base.relativize(f)).append(' ').append(Sha256.hex(Files.readAllBytes(f))).append('\n');
    }
    return sb.toString();
  }

  @Test
  void sameSeedGivesSameBytesAtParallelismOneAndTwo() throws Exception {
    Manifest one = RawRuns.simulate(cfg, dir.resolve("p1"), "r", 1);
    Manifest two = RawRuns.simulate(cfg, dir.resolve("p2"), "r", 2);
    assertThat(one.counts().get("lines"), greaterThan(1000L));
    assertThat(two.dataHash(), equalTo(one.dataHash()));
    assertThat(new String(two.toJson()), equalTo(new String(one.toJson())));
    assertThat(bytesOf(dir.resolve("p2"), "r"), equalTo(bytesOf(dir.resolve("p1"), "r")));
    // The manifest's file hashes are the files' real hashes.
    for (Manifest.FileEntry f : one.files()) {
      Path p = dir.resolve("p1").resolve(f.path());
      assertThat(Sha256.hex(Files.readAllBytes(p)), equalTo(f.sha256()));
      assertThat(Files.size(p), is(f.sizeBytes()));
      assertThat((long) Files.readAllLines(p).size(), is(f.rows()));
    }
    // Nothing is left in staging.
    assertThat(Files.exists(Path.of(DataLayout.at(dir.resolve("p1").toString()).staging(DataLayout.RAW, "r"))), is(false));
  }

  @Test
  void daysLargerThanAWriterHoldsAreSortedOnDiskToTheSameBytes() throws Exception {
    Manifest inMemory = RawRuns.simulate(cfg, dir.resolve("held"), "r", 2);
    // 64 KB of events (about 130) a writer: every day of this run is sorted in several runs on disk.
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(2);
    Pipeline p = Pipeline.create(o);
    DataLayout layout = DataLayout.at(dir.resolve("spilled").toString());
    p.apply(new SimulateRaw(cfg, layout, "r").withSortHeldBytes(64 << 10));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    Manifest spilled = Manifest.fromJson(Files.readAllBytes(Path.of(layout.manifest(DataLayout.RAW, "r"))));

    long sortedOnDisk = result.metrics().queryMetrics(MetricsFilter.builder()
            .addNameFilter(MetricNameFilter.named(StepCounters.NAMESPACE, "records_spilled")).build())
        .getCounters().iterator().next().getCommitted();
    assertThat(sortedOnDisk, greaterThan(spilled.counts().get("lines") / 2));
    assertThat(new String(spilled.toJson()), equalTo(new String(inMemory.toJson())));
    assertThat(bytesOf(dir.resolve("spilled"), "r"), equalTo(bytesOf(dir.resolve("held"), "r")));
  }

  @Test
  void differentSeedGivesDifferentData() throws Exception {
    Manifest a = RawRuns.simulate(cfg, dir.resolve("s1"), "r", 2);
    LakehouseConfig other = cfg.withSimulation(cfg.simulation().with(cfg.simulation().seed() + 1, null, null));
    Manifest b = RawRuns.simulate(other, dir.resolve("s2"), "r", 2);
    assertThat(b.dataHash(), not(equalTo(a.dataHash())));
    assertThat(b.fingerprint(), not(equalTo(a.fingerprint())));
  }

  @Test
  void rawIsImmutableIdenticalRerunIsANoOpOtherContentIsRefused() throws Exception {
    Path root = dir.resolve("imm");
    Manifest first = RawRuns.simulate(cfg, root, "r", 2);
    List<Path> files = RawRuns.files(root, "r");
    long mtime = Files.getLastModifiedTime(files.get(0)).toMillis();
    Manifest again = RawRuns.simulate(cfg, root, "r", 1);
    assertThat(again.dataHash(), equalTo(first.dataHash()));
    assertThat(Files.getLastModifiedTime(files.get(0)).toMillis(), is(mtime));

    LakehouseConfig other = cfg.withSimulation(cfg.simulation().with(99L, null, null));
    Pipeline.PipelineExecutionException e = assertThrows(Pipeline.PipelineExecutionException.class,
        () -> RawRuns.simulate(other, root, "r", 1));
    assertThat(e.getCause(), org.hamcrest.Matchers.instanceOf(RunPublisher.RunExistsException.class));
    assertThat(e.getCause().getMessage(), containsString("raw run_id r already exists with different content"));
    // The refused attempt changed nothing and left no staging behind.
    assertThat(RawRuns.files(root, "r"), equalTo(files));
    assertThat(Files.exists(Path.of(DataLayout.at(root.toString()).staging(DataLayout.RAW, "r"))), is(false));
  }
}
