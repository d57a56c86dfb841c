package co.pqrs.lakehouse.metrics;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.serving.RunFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's final figures in Prometheus' text format, as pushed to a Pushgateway when the run ends:
 * batch jobs are over before Prometheus would scrape them. Every series carries {@code run_id} and
 * {@code runner}; the Pushgateway adds {@code job="pqrs"} and {@code layer} from the grouping key, so
 * each layer keeps its latest run there and Prometheus keeps the history.
 *
 * <p>Figures come from the manifest (the same counts the control plane records), so they agree with
 * {@code meta.etl_runs} and with the Beam counters of the run's steps.
 */
public final class RunMetrics {
  /** The Pushgateway job every layer pushes under. */
  public static final String JOB = "pqrs";

  public static final String STATUS = "pqrs_run_status";
  public static final String RECORDS_IN = "pqrs_run_records_in";
  public static final String RECORDS_OUT = "pqrs_run_records_out";
  public static final String RECORDS_QUARANTINED = "pqrs_run_records_quarantined";
  public static final String QUARANTINED_BY_CODE = "pqrs_run_quarantined";
  public static final String CHECKS_FAILED = "pqrs_run_checks_failed";
  public static final String SLA_BREACHES = "pqrs_run_sla_breaches";
  public static final String BYTES_WRITTEN = "pqrs_run_bytes_written";
  public static final String DURATION = "pqrs_run_duration_seconds";
  public static final String FINISHED = "pqrs_run_finished_timestamp_seconds";

  private RunMetrics() {}

  /**
   * @param m the run's manifest, or null when the run crashed before it had one (then only status,
   *     duration and end time are known)
   * @param started when the driver started the run (wall clock: metrics only, never a dataset)
   */
  public static String exposition(String layer, String runId, String runner, String status, Manifest m,
      Instant started, Instant finished) {
    StringBuilder out = new StringBuilder();
    String run = "run_id=\"" + escape(runId) + "\",runner=\"" + escape(runner) + "\"";
    gauge(out, STATUS, "1 for the run's status (SUCCESS, DEGRADED, FAILED) in the status label",
        "{" + run + ",status=\"" + escape(status) + "\"}", 1);
    gauge(out, DURATION, "Seconds from the driver's start to the run's end", "{" + run + "}",
        Duration.between(started, finished).toMillis() / 1000.0);
    gauge(out, FINISHED, "Unix time the run ended", "{" + run + "}", finished.toEpochMilli() / 1000.0);
    if (m == null) {
      return out.toString();
    }
    RunFigures f = RunFigures.of(m);
    gauge(out, RECORDS_IN, "Records the run read from the previous layer", "{" + run + "}", f.rowsIn());
    gauge(out, RECORDS_OUT, "Rows the run wrote to its tables", "{" + run + "}", f.rowsOut());
    gauge(out, RECORDS_QUARANTINED, "Records the run set aside (quarantine, or Silver's stated reasons)",
        "{" + run + "}", f.rowsQuarantined());
    Map<String, Long> byCode = new TreeMap<>();
    m.counts().forEach((k, v) -> {
      if (k.startsWith("quarantined.")) {
        byCode.put(k.substring("quarantined.".length()), v);
      }
    });
    if (!byCode.isEmpty()) {
      header(out, QUARANTINED_BY_CODE, "Records quarantined, by error code");
      byCode.forEach((code, n) -> sample(out, QUARANTINED_BY_CODE, "{" + run + ",code=\"" + escape(code) + "\"}", n));
    }
    Map<String, Long> failed = new TreeMap<>(Map.of(CheckResult.FAIL, 0L, CheckResult.WARN, 0L));
    if (m.checks() != null) {
      m.checks().stream().filter(c -> c.status().equals(CheckResult.FAIL))
          .forEach(c -> failed.merge(c.severity(), 1L, Long::sum));
    }
    header(out, CHECKS_FAILED, "Quality checks that failed, by severity (FAIL stops the run, WARN degrades it)");
    failed.forEach((sev, n) -> sample(out, CHECKS_FAILED, "{" + run + ",severity=\"" + escape(sev) + "\"}", n));
    long closed = m.counts().getOrDefault("figure.sla.closed", -1L);
    if (layer.equals(DataLayout.GOLD) && closed >= 0) {
      gauge(out, SLA_BREACHES, "Tickets closed after their SLA due date", "{" + run + "}",
          closed - m.counts().getOrDefault("figure.sla.in_time", 0L));
    }
    gauge(out, BYTES_WRITTEN, "Bytes of the run's files", "{" + run + "}",
        m.files().stream().mapToLong(Manifest.FileEntry::sizeBytes).sum());
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
    header(out, name, help);
    sample(out, name, labels, value);
  }

  private static void header(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append(labels).append(' ');
    out.append(value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value));
    out.append('\n');
  }

  static String escape(String v) {
    return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
