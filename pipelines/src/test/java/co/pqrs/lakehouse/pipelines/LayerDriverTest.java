package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.serving.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline that dies of something other than a check still leaves a FAILED record with its cause. */
class LayerDriverTest {
  @TempDir Path dir;

  @Test
  void aCrashedPipelineIsRecordedFailedWithItsCause() throws Exception {
    ServingOptions o = PipelineOptionsFactory.fromArgs("--runner=DirectRunner").as(ServingOptions.class);
    DataLayout layout = DataLayout.at(dir.toString());
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.SILVER, "crash", Map.of("seed", 5L), null);
    Pipeline p = Pipeline.create(o);
    p.apply(Create.of(1, 2, 3)).apply(MapElements.into(TypeDescriptors.integers()).via((Integer x) -> {
      if (x == 2) {
        throw new IllegalStateException("disk full while writing part-00000");
      }
      return x;
    }));
    assertThrows(RuntimeException.class, () -> LayerDriver.execute(p, rec));
    try (Connection c = StoreConfig.embedded(dir).connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status, error_message, seed, ended_at IS NOT NULL FROM meta.etl_runs "
            + "WHERE run_id = 'crash' AND layer = 'silver'")) {
      assertTrue(rs.next());
      assertEquals("FAILED", rs.getString(1));
      assertTrue(rs.getString(2).contains("disk full while writing part-00000"), rs.getString(2));
      assertEquals(5, rs.getLong(3));
      assertTrue(rs.getBoolean(4));
    }
  }

  @Test
  void aJobIsNamedAfterItsLayerAndRunUnlessNamedAlready() {
    PipelineOptions beamDefault = PipelineOptionsFactory.create();
    LayerDriver.nameJob(beamDefault, "bronze", "r1");
    assertEquals("pqrs-bronze-r1", beamDefault.getJobName());
    PipelineOptions named = PipelineOptionsFactory.fromArgs("--jobName=nightly-bronze").create();
    LayerDriver.nameJob(named, "bronze", "r1");
    assertEquals("nightly-bronze", named.getJobName());
  }
}
