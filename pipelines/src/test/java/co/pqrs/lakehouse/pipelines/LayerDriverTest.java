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

/**
 * A pipeline that dies of something other than a check, or ends FAILED without saying why, still
 * leaves a FAILED record.
 */
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

  /** A runner whose jobs end FAILED without an exception, as the DirectRunner's can after an Error. */
  public static class EndsFailedRunner extends org.apache.beam.sdk.PipelineRunner<org.apache.beam.sdk.PipelineResult> {
    public static EndsFailedRunner fromOptions(PipelineOptions o) {
      return new EndsFailedRunner();
    }

    @Override
    public org.apache.beam.sdk.PipelineResult run(Pipeline p) {
      return new org.apache.beam.sdk.PipelineResult() {
        @Override
        public State getState() {
          return State.FAILED;
        }

        @Override
        public State cancel() {
          return State.FAILED;
        }

        @Override
        public State waitUntilFinish(org.joda.time.Duration d) {
          return State.FAILED;
        }

        @Override
        public State waitUntilFinish() {
          return State.FAILED;
        }

        @Override
        public org.apache.beam.sdk.metrics.MetricResults metrics() {
          throw new UnsupportedOperationException();
        }
      };
    }
  }

  @Test
  void aJobThatEndsFailedWithoutAnExceptionIsAFailure() throws Exception {
    ServingOptions o = PipelineOptionsFactory.create().as(ServingOptions.class);
    o.setRunner(EndsFailedRunner.class);
    DataLayout layout = DataLayout.at(dir.toString());
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.GOLD, "ended", Map.of(), null);
    Pipeline p = Pipeline.create(o);
    p.apply(Create.of(1));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LayerDriver.execute(p, rec));
    assertEquals("the pipeline ended FAILED (the runner logged why, above)", e.getMessage());
    try (Connection c = StoreConfig.embedded(dir).connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM meta.etl_runs WHERE run_id = 'ended' AND layer = 'gold'")) {
      assertTrue(rs.next());
      assertEquals("FAILED", rs.getString(1));
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
