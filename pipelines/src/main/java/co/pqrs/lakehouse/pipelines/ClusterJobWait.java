package co.pqrs.lakehouse.pipelines;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;

/**
 * Waits for a job sent to a Flink cluster by asking for its status after a wait of a twentieth of
 * the time it has run so far, from 250 ms to 2 s. Beam's attached run waits through Flink's REST
 * client, which asks for a job's result after waits that double from 10 ms to 2 s and then stay at
 * 2 s: a command learned of its job's end up to 2 s late however short the job, 1.0-1.5 s after
 * Bronze's job of 6 s at 0.1 M events (docs/benchmarks/changes.md, "Fifty-first change"). Here the
 * delay is at most 250 ms or a twentieth of the job's time, and the status requests, each one the
 * JobManager answers, grow with the logarithm of its length. The job is sent detached and watched
 * through the {@link JobClient} Beam's detached result holds; once it has ended its result is asked
 * for once, and a failed job throws what Beam's attached run throws.
 */
final class ClusterJobWait {
  static final long MIN_WAIT_MILLIS = 250;
  static final long MAX_WAIT_MILLIS = 2_000;
  // Beam 2.62's detached result keeps its JobClient private; without it the run stays attached.
  private static final Field JOB_CLIENT = jobClientField();

  private ClusterJobWait() {}

  private static Field jobClientField() {
    try {
      Field f = FlinkDetachedRunnerResult.class.getDeclaredField("jobClient");
      if (!JobClient.class.isAssignableFrom(f.getType())) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether a run with {@code o} is waited for here: an attached FlinkRunner job for a cluster named by
   * its address (not {@code [auto]}, where Flink's CLI decides), with a Beam whose detached result
   * this class can read.
   */
  static boolean appliesTo(PipelineOptions o) {
    if (JOB_CLIENT == null || !LayerDriver.onFlinkCluster(o) || LayerDriver.detached(o)) {
      return false;
    }
    return !o.as(FlinkPipelineOptions.class).getFlinkMaster().equals("[auto]");
  }

  /** The wait before the next status request, {@code ranMillis} into the job. */
  static long waitMillis(long ranMillis) {
    return Math.max(MIN_WAIT_MILLIS, Math.min(MAX_WAIT_MILLIS, ranMillis / 20));
  }

  /** Sends the job detached: {@link #await} then waits for the result {@code p.run()} gives. */
  static void detach(PipelineOptions o) {
    o.as(FlinkPipelineOptions.class).setAttachedMode(false);
  }

  /** Back to the user's attached mode once the job has ended. */
  static void reattach(PipelineOptions o) {
    o.as(FlinkPipelineOptions.class).setAttachedMode(true);
  }

  /**
   * Waits for the job of {@code detached} to end. A failed or cancelled job throws what Beam's
   * attached run throws ("Pipeline execution failed", with Flink's cause).
   */
  static void await(PipelineResult detached) {
    JobClient job;
    try {
      job = (JobClient) JOB_CLIENT.get(detached);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read the Flink job of " + detached, e);
    }
    try {
      long start = System.nanoTime(); // only to space the status requests: nothing lands in a dataset
      try {
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
          Thread.sleep(waitMillis((System.nanoTime() - start) / 1_000_000));
        }
      } catch (ExecutionException e) {
        // The status could not be read (the REST endpoint busy or restarting): Flink's own wait, below, retries.
      }
      job.getJobExecutionResult().get();
    } catch (ExecutionException e) {
      throw new RuntimeException("Pipeline execution failed", ExceptionUtils.stripExecutionException(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Flink job " + job.getJobID(), e);
    }
  }
}
