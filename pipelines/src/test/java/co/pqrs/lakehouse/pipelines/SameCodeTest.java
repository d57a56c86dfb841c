package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class SameCodeTest {
  private static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--blockOnRun=true").create());
  }

  @Test
  void workersWithThisCommandsCodeRunTheJob() {
    Pipeline p = pipeline();
    p.apply(SameCode.asThisJvm());
    p.run().waitUntilFinish();
  }

  @Test
  void workersWithOtherCodeFailTheJobSayingWhatToRestart() {
    Pipeline p = pipeline();
    p.apply(SameCode.as("0123456789ab".repeat(5) + "cdef"));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("the workers run other pqrs code (" + SameCode.codeSha256().substring(0, 12))
        && message.contains("than this command (0123456789ab)") && message.contains("flink-up"), message);
    // What the command prints: the check's message from its start, wherever it is among the causes.
    String line = SameCode.otherCode(new RuntimeException("Pipeline execution failed", e));
    assertTrue(line.startsWith("the workers run other pqrs code (") && line.endsWith("PQRS_FLINK_APP_JAR=...)"), line);
    assertNull(SameCode.otherCode(new RuntimeException("Pipeline execution failed", new IllegalStateException("x"))));
  }

  @Test
  void onlyJobsSentToAClusterAreChecked() {
    assertTrue(LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=localhost:8081").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=[local]").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.fromArgs(
        "--runner=FlinkRunner", "--flinkMaster=[auto]").create()));
    assertTrue(!LayerDriver.onFlinkCluster(PipelineOptionsFactory.create()));
  }
}
