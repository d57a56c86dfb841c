package co.pqrs.lakehouse.metrics;

import java.util.Locale;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The Beam counters every layer's steps keep, in one namespace so that a dashboard reads one name per
 * figure whatever the layer: the step is the metric's scope (Flink's {@code operator_name} label) and
 * the layer is the job ({@code job_name}, {@code pqrs-<layer>-<run_id>}). On a Flink cluster they
 * reach Prometheus as {@code flink_taskmanager_job_task_operator_pqrs_<name>} while the job runs.
 *
 * <p>A {@link Counter} from {@link Metrics#counter} finds the running step's container when it is
 * incremented, so constants are safe to share between DoFns.
 */
public final class StepCounters {
  public static final String NAMESPACE = "pqrs";

  /** Records a step read from the previous layer (Raw lines, Bronze rows, Silver tickets). */
  public static final Counter RECORDS_IN = Metrics.counter(NAMESPACE, "records_in");
  /** Rows written to a layer's tables (Raw events, Bronze events, Silver and Gold table rows). */
  public static final Counter RECORDS_OUT = Metrics.counter(NAMESPACE, "records_out");
  /** Bytes of every file a layer writes, quarantine included. */
  public static final Counter BYTES_WRITTEN = Metrics.counter(NAMESPACE, "bytes_written");
  /** Quality checks whose status is FAIL, of either severity (a WARN check that fails counts too). */
  public static final Counter CHECKS_FAILED = Metrics.counter(NAMESPACE, "checks_failed");
  /** Tickets closed after their SLA due date (Gold's SLA KPI). */
  public static final Counter SLA_BREACHES = Metrics.counter(NAMESPACE, "sla_breaches");
  public static final Counter BLANK_LINES = Metrics.counter(NAMESPACE, "blank_lines");
  public static final Counter TICKETS_SIMULATED = Metrics.counter(NAMESPACE, "tickets_simulated");
  public static final Counter DEFECTS_INJECTED = Metrics.counter(NAMESPACE, "defects_injected");
  /**
   * Records a step sorted through its local disk (a generator's day, a de-duplication group), the
   * group being larger than the step holds.
   */
  public static final Counter RECORDS_SPILLED = Metrics.counter(NAMESPACE, "records_spilled");

  private static final String QUARANTINED = "quarantined_";

  private StepCounters() {}

  /** Records set aside in quarantine with one error code ({@code quarantined_json_malformed}, …). */
  public static Counter quarantined(String errorCode) {
    return Metrics.counter(NAMESPACE, quarantinedName(errorCode));
  }

  /** A file written: its rows (0 for quarantine files, which are not output) and bytes. */
  public static void wrote(long rows, long bytes) {
    RECORDS_OUT.inc(rows);
    BYTES_WRITTEN.inc(bytes);
  }

  public static String quarantinedName(String errorCode) {
    return QUARANTINED + errorCode.toLowerCase(Locale.ROOT);
  }
}
