package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** Which runs {@link ClusterJobWait} waits for; ClusterClientIT sends them to a real cluster. */
class ClusterJobWaitTest {
  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  @Test
  void anAttachedJobForAClusterByItsAddressIsWatched() {
    // Also: this Beam's detached result holds the JobClient where ClusterJobWait reads it.
    assertTrue(ClusterJobWait.appliesTo(options("--runner=FlinkRunner", "--flinkMaster=localhost:8081")));
  }

  @Test
  void embeddedFlinkTheCliOrADetachedJobOrAnotherRunnerIsNot() {
    assertFalse(ClusterJobWait.appliesTo(options("--runner=FlinkRunner", "--flinkMaster=[local]")));
    assertFalse(ClusterJobWait.appliesTo(options("--runner=FlinkRunner", "--flinkMaster=[auto]")));
    assertFalse(ClusterJobWait.appliesTo(
        options("--runner=FlinkRunner", "--flinkMaster=localhost:8081", "--attachedMode=false")));
    assertFalse(ClusterJobWait.appliesTo(options("--runner=DirectRunner")));
  }

  @Test
  void theStatusIsAskedForAfterATwentiethOfTheJobsTimeBetweenAQuarterOfASecondAndTwo() {
    assertEquals(250, ClusterJobWait.waitMillis(0));
    assertEquals(250, ClusterJobWait.waitMillis(5_000));
    assertEquals(500, ClusterJobWait.waitMillis(10_000));
    assertEquals(2_000, ClusterJobWait.waitMillis(40_000));
    assertEquals(2_000, ClusterJobWait.waitMillis(3_600_000));
  }

  @Test
  void theUsersAttachedModeComesBackAfterTheSubmission() {
    PipelineOptions o = options("--runner=FlinkRunner", "--flinkMaster=localhost:8081");
    ClusterJobWait.detach(o);
    assertTrue(LayerDriver.detached(o));
    ClusterJobWait.reattach(o);
    assertFalse(LayerDriver.detached(o));
  }
}
