package co.pqrs.lakehouse.transforms.quality;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.QualityConfig.Check;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.quality.CheckResult;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates a layer's declared checks against the facts of one run. A pure function: the pipeline
 * gathers the facts, this decides PASS, WARN or FAIL, and {@link #runStatus} the run's status.
 */
public final class QualityEvaluator {
  private QualityEvaluator() {}

  /**
   * What a layer run did, in numbers.
   *
   * @param inputRows rows (lines) read, blank ones included
   * @param ruleRows rows quarantined by row rules (duplicates excluded)
   * @param duplicateRows rows quarantined as duplicates
   * @param rowsPerDay output rows per day partition
   * @param newestEvent the newest event instant in the output, or null when there is none
   * @param asOf the run's as-of instant
   */
  public record LayerFacts(
      long inputRows,
      long blankRows,
      long outputRows,
      long ruleRows,
      long duplicateRows,
      long nullKeyRows,
      Map<String, Long> rowsPerDay,
      Instant newestEvent,
      Instant asOf,
      long entities,
      Map<String, Long> violations,
      Double classifierAccuracy,
      String classifierDetail,
      Map<String, Long> figures)
      implements Serializable {
    /** Facts without named figures (Bronze, Silver). */
    public LayerFacts(long inputRows, long blankRows, long outputRows, long ruleRows, long duplicateRows,
        long nullKeyRows, Map<String, Long> rowsPerDay, Instant newestEvent, Instant asOf, long entities,
        Map<String, Long> violations, Double classifierAccuracy, String classifierDetail) {
      this(inputRows, blankRows, outputRows, ruleRows, duplicateRows, nullKeyRows, rowsPerDay, newestEvent, asOf,
          entities, violations, classifierAccuracy, classifierDetail, Map.of());
    }

    /** Facts of a layer without entities, violations or a classifier (Bronze). */
    public LayerFacts(long inputRows, long blankRows, long outputRows, long ruleRows, long duplicateRows,
        long nullKeyRows, Map<String, Long> rowsPerDay, Instant newestEvent, Instant asOf) {
      this(inputRows, blankRows, outputRows, ruleRows, duplicateRows, nullKeyRows, rowsPerDay, newestEvent, asOf,
          0, Map.of(), null, null, Map.of());
    }

    public long quarantinedRows() {
      return ruleRows + duplicateRows;
    }

    long nonBlank() {
      return Math.max(1, inputRows - blankRows);
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  public static List<CheckResult> evaluate(String runId, String layer, List<Check> declared, LayerFacts f) {
    List<Check> checks = new ArrayList<>(declared);
    if (checks.stream().noneMatch(c -> c.kind() == QualityConfig.Kind.ACCOUNTING)) {
      // Accounting is always on, declared or not.
      checks.add(new Check(layer + ".accounting_reconciles", layer, QualityConfig.Kind.ACCOUNTING,
          QualityConfig.Severity.FAIL, null, null));
    }
    List<CheckResult> out = new ArrayList<>();
    for (Check c : checks) {
      double observed;
      boolean breach;
      long affected;
      String threshold;
      String detail = "";
      switch (c.kind()) {
        case ACCOUNTING -> {
          long diff = f.inputRows() - (f.outputRows() + f.quarantinedRows() + f.blankRows());
          observed = diff;
          breach = diff != 0;
          affected = Math.abs(diff);
          threshold = "= 0";
          detail = "input " + f.inputRows() + " = output " + f.outputRows() + " + quarantined "
              + f.quarantinedRows() + " + blank " + f.blankRows() + (breach ? " does not hold" : "");
        }
        case ROW_RULE -> {
          observed = f.ruleRows();
          breach = f.ruleRows() > 0;
          affected = f.ruleRows();
          threshold = "rows quarantined";
        }
        case QUARANTINE_RATIO -> {
          observed = f.quarantinedRows() / (double) f.nonBlank();
          breach = observed > c.threshold();
          affected = f.quarantinedRows();
          threshold = "<= " + fmt(c.threshold());
        }
        case DUPLICATE_RATIO -> {
          observed = f.duplicateRows() / (double) f.nonBlank();
          breach = observed > c.threshold();
          affected = f.duplicateRows();
          threshold = "<= " + fmt(c.threshold());
        }
        case NULL_KEYS -> {
          observed = f.nullKeyRows();
          breach = observed > c.threshold();
          affected = f.nullKeyRows();
          threshold = "<= " + fmt(c.threshold());
        }
        case DAILY_VOLUME -> {
          List<String> outside = new ArrayList<>();
          for (Map.Entry<String, Long> e : new java.util.TreeMap<>(f.rowsPerDay()).entrySet()) {
            if (e.getValue() < c.band().lo() || e.getValue() > c.band().hi()) {
              outside.add(e.getKey() + "=" + e.getValue());
            }
          }
          observed = outside.size();
          breach = !outside.isEmpty() || f.rowsPerDay().isEmpty();
          affected = outside.size();
          threshold = "[" + fmt(c.band().lo()) + ", " + fmt(c.band().hi()) + "] rows per day";
          detail = f.rowsPerDay().isEmpty() ? "no rows at all"
              : outside.isEmpty() ? "" : "days outside: " + String.join(", ", outside.subList(0, Math.min(5, outside.size())));
        }
        case FRESHNESS -> {
          if (f.newestEvent() == null) {
            observed = -1;
            breach = true;
            detail = "no events";
          } else {
            observed = Duration.between(f.newestEvent(), f.asOf()).toSeconds() / 3600.0;
            breach = observed > c.threshold();
            detail = "newest event " + f.newestEvent() + ", as of " + f.asOf();
          }
          affected = 0;
          threshold = "<= " + fmt(c.threshold()) + " h";
        }
        case VIOLATION_RATIO -> {
          long n = f.violations().getOrDefault(c.rule(), 0L);
          observed = n / (double) Math.max(1, f.entities());
          breach = observed > c.threshold();
          affected = n;
          threshold = "<= " + fmt(c.threshold()) + " of " + f.entities();
          detail = c.rule();
        }
        case CLASSIFIER_ACCURACY -> {
          observed = f.classifierAccuracy() == null ? 0 : f.classifierAccuracy();
          breach = f.classifierAccuracy() == null || observed < c.threshold();
          affected = 0;
          threshold = ">= " + fmt(c.threshold());
          detail = f.classifierDetail() == null ? "" : f.classifierDetail();
        }
        case RECONCILE -> {
          String[] sides = c.rule().split(" = ");
          long left = f.figures().getOrDefault(sides[0], 0L);
          long right = f.figures().getOrDefault(sides[1], 0L);
          observed = left - right;
          breach = left != right;
          affected = Math.abs(left - right);
          threshold = "= 0";
          detail = sides[0] + " " + left + (breach ? " != " : " = ") + sides[1] + " " + right;
        }
        default -> throw new IllegalStateException("unknown check kind " + c.kind());
      }
      String status = !breach ? CheckResult.PASS
          : c.severity() == QualityConfig.Severity.FAIL ? CheckResult.FAIL : CheckResult.WARN;
      out.add(new CheckResult(runId, layer, c.name(), c.kind().name().toLowerCase(Locale.ROOT),
          c.severity().name(), status, observed, threshold, affected, detail));
    }
    out.sort(java.util.Comparator.comparing(CheckResult::check));
    return out;
  }

  /** FAILED when any check failed, DEGRADED when any warned, SUCCESS otherwise. */
  public static String runStatus(List<CheckResult> results) {
    if (results.stream().anyMatch(r -> r.status().equals(CheckResult.FAIL))) {
      return Manifest.FAILED;
    }
    if (results.stream().anyMatch(r -> r.status().equals(CheckResult.WARN))) {
      return Manifest.DEGRADED;
    }
    return Manifest.SUCCESS;
  }
}
