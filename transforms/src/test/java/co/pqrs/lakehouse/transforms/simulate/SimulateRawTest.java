package co.pqrs.lakehouse.transforms.simulate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** SimulateRaw as a composite transform, checked with PAssert on its manifest output. */
public class SimulateRawTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void manifestReconcilesPartitionsFilesAndInjectedDefects() throws Exception {
    // Malformed rows in the fixture: every defect kind at a low rate.
    Map<String, String> m = TestConfigs.withDefects(TestConfigs.oneWindow("2025-07-01", "2025-07-14", 50, 100, 120, 2),
        "0.03");
    Path root = tmp.newFolder("lake").toPath();
    LakehouseConfig cfg = TestConfigs.with(tmp.newFolder("cfg").toPath(), m);
    PCollection<Manifest> out =
        pipeline.apply(new SimulateRaw(cfg, DataLayout.at(root.toString()), "pa"));

    PAssert.thatSingleton(out).satisfies(man -> {
      long partitions = man.partitionCounts().values().stream().mapToLong(Long::longValue).sum();
      assertThat(partitions, is(man.counts().get("lines")));
      assertThat((long) man.files().size(), is(man.counts().get("files")));
      assertThat(man.partitionCounts().size(), is(14));
      long byType = man.counts().entrySet().stream().filter(e -> e.getKey().startsWith("events."))
          .mapToLong(Map.Entry::getValue).sum();
      assertThat(byType, is(man.counts().get("lines")));
      long injected = man.counts().entrySet().stream().filter(e -> e.getKey().startsWith("injected."))
          .mapToLong(Map.Entry::getValue).sum();
      assertThat(injected, greaterThan(0L));
      assertThat(man.runId(), equalTo("pa"));
      return null;
    });
    pipeline.run().waitUntilFinish();

    // The published manifest on disk is the one the transform emitted, and lists every file.
    Path manifest = Path.of(DataLayout.at(root.toString()).manifest(DataLayout.RAW, "pa"));
    Manifest onDisk = Manifest.fromJson(Files.readAllBytes(manifest));
    assertThat(RawRuns.files(root, "pa").size(), is(onDisk.files().size()));
  }
}
