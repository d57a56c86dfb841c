package co.pqrs.lakehouse.transforms.quality;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.config.ConfigException;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.quality.CheckResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QualityEvaluatorTest {
  private final List<QualityConfig.Check> bronze = QualityConfig.packaged().forLayer("bronze");
  private static final Instant T = Instant.parse("2025-03-01T00:00:00Z");

  private static Map<String, String> statuses(List<CheckResult> r) {
    return r.stream().collect(Collectors.toMap(CheckResult::check, CheckResult::status, (a, b) -> a, TreeMap::new));
  }

  private static QualityEvaluator.LayerFacts facts(long in, long blank, long out, long rule, long dup) {
    return new QualityEvaluator.LayerFacts(in, blank, out, rule, dup, 0, Map.of("day=2025-02-28", out), T, T);
  }

  @Test
  void cleanRunPassesEverything() {
    List<CheckResult> r = QualityEvaluator.evaluate("r", "bronze", bronze, facts(1000, 0, 1000, 0, 0));
    assertThat(statuses(r).values().stream().distinct().toList(), equalTo(List.of("PASS")));
    assertThat(QualityEvaluator.runStatus(r), equalTo(Manifest.SUCCESS));
  }

  @Test
  void quarantinedRowsWarnAndAHighRatioFails() {
    List<CheckResult> warn = QualityEvaluator.evaluate("r", "bronze", bronze, facts(1000, 0, 980, 20, 0));
    assertThat(statuses(warn).get("bronze.raw_contract"), equalTo("WARN"));
    assertThat(statuses(warn).get("bronze.quarantine_ratio_warn"), equalTo("WARN"));
    assertThat(statuses(warn).get("bronze.quarantine_ratio_fail"), equalTo("PASS"));
    assertThat(QualityEvaluator.runStatus(warn), equalTo(Manifest.DEGRADED));
    List<CheckResult> fail = QualityEvaluator.evaluate("r", "bronze", bronze, facts(1000, 0, 600, 400, 0));
    assertThat(statuses(fail).get("bronze.quarantine_ratio_fail"), equalTo("FAIL"));
    assertThat(QualityEvaluator.runStatus(fail), equalTo(Manifest.FAILED));
  }

  @Test
  void accountingThatDoesNotReconcileFailsEvenWhenNotDeclared() {
    List<CheckResult> r = QualityEvaluator.evaluate("r", "silver", List.of(), facts(1000, 2, 990, 5, 0));
    assertThat(r.size(), equalTo(1));
    CheckResult a = r.get(0);
    assertThat(a.check(), equalTo("silver.accounting_reconciles"));
    assertThat(a.status(), equalTo("FAIL"));
    assertThat(a.observed(), equalTo(3.0));
    assertThat(a.detail(), containsString("input 1000 = output 990 + quarantined 5 + blank 2 does not hold"));
  }

  @Test
  void duplicatesVolumeAndFreshness() {
    QualityEvaluator.LayerFacts f = new QualityEvaluator.LayerFacts(1000, 0, 990, 0, 10, 0,
        Map.of("day=2025-02-27", 0L, "day=2025-02-28", 990L), T.minusSeconds(72 * 3600), T);
    Map<String, String> s = statuses(QualityEvaluator.evaluate("r", "bronze", bronze, f));
    assertThat(s.get("bronze.event_id_unique"), equalTo("WARN"));
    assertThat(s.get("bronze.daily_volume_band"), equalTo("WARN"));
    assertThat(s.get("bronze.freshness"), equalTo("WARN"));
  }

  @Test
  void badQualityConfigIsOneLine() {
    String yaml = "version: 1\nchecks:\n  - { name: bronze.x, layer: bronze, kind: accounting, severity: WARN }\n";
    ConfigException e = assertThrows(ConfigException.class, () -> QualityConfig.parse("q.yaml", yaml));
    assertThat(e.getMessage(), equalTo("q.yaml: checks[0].severity: accounting checks are always FAIL"));
    String bad = "version: 1\nchecks:\n  - { name: bronze.x, layer: bronze, kind: ratio, severity: WARN }\n";
    e = assertThrows(ConfigException.class, () -> QualityConfig.parse("q.yaml", bad));
    assertThat(e.getMessage(), containsString("q.yaml: checks[0].kind: \"ratio\" not in"));
  }
}
