package co.pqrs.lakehouse.quality;

import java.io.Serializable;

/**
 * The outcome of one data-quality check for one run and layer: what was observed against what was
 * allowed. One row of {@code meta.data_quality}.
 *
 * @param status PASS, WARN or FAIL
 * @param observed the measured value (a ratio, a count, hours)
 * @param threshold what the check allows, as text ("<= 0.01", "[1, 200000]", "= 0")
 * @param rowsAffected rows the check concerns (quarantined, duplicated, out of band...)
 */
public record CheckResult(
    String runId,
    String layer,
    String check,
    String kind,
    String severity,
    String status,
    double observed,
    String threshold,
    long rowsAffected,
    String detail)
    implements Serializable {

  public static final String PASS = "PASS";
  public static final String WARN = "WARN";
  public static final String FAIL = "FAIL";
}
