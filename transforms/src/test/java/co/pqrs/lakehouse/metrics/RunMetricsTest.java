package co.pqrs.lakehouse.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunMetricsTest {
  static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  static Manifest bronze() {
    Map<String, Long> counts = new TreeMap<>(Map.of("raw_lines", 1000L, "rows", 990L, "quarantined", 10L,
        "quarantined.json_malformed", 7L, "quarantined.duplicate_event_id", 3L));
    List<Manifest.FileEntry> files = List.of(new Manifest.FileEntry("a.parquet", "day=2025-01-01", 990, 4096, "x"),
        new Manifest.FileEntry("q.jsonl", "quarantine", 10, 512, "y"));
    List<CheckResult> checks = List.of(
        new CheckResult("r\"1", "bronze", "bronze.raw_contract", "k", "WARN", "FAIL", 0.01, "<= 0", 10, ""),
        new CheckResult("r\"1", "bronze", "bronze.accounting", "k", "FAIL", "PASS", 0, "= 0", 0, ""));
    return Manifest.of(DataLayout.BRONZE, "r\"1", Map.of(), counts, files, DataHash.builder().build())
        .withChecks(Manifest.DEGRADED, checks);
  }

  /** The value of the one sample whose name and labels start as given. */
  static double sample(String text, String prefix) {
    List<String> lines = text.lines().filter(l -> l.startsWith(prefix)).toList();
    assertEquals(1, lines.size(), () -> prefix + " in\n" + text);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void aPublishedRunGivesItsManifestsFiguresWithEscapedLabels() {
    String text = RunMetrics.exposition(DataLayout.BRONZE, "r\"1", "FlinkRunner", Manifest.DEGRADED, bronze(), T0,
        T0.plusMillis(61_500));
    String run = "{run_id=\"r\\\"1\",runner=\"FlinkRunner\"";
    assertEquals(1, sample(text, RunMetrics.STATUS + run + ",status=\"DEGRADED\"}"));
    assertEquals(61.5, sample(text, RunMetrics.DURATION + run + "}"));
    assertEquals(1000, sample(text, RunMetrics.RECORDS_IN + run + "}"));
    assertEquals(990, sample(text, RunMetrics.RECORDS_OUT + run + "}"));
    assertEquals(10, sample(text, RunMetrics.RECORDS_QUARANTINED + run + "}"));
    assertEquals(7, sample(text, RunMetrics.QUARANTINED_BY_CODE + run + ",code=\"json_malformed\"}"));
    assertEquals(3, sample(text, RunMetrics.QUARANTINED_BY_CODE + run + ",code=\"duplicate_event_id\"}"));
    assertEquals(1, sample(text, RunMetrics.CHECKS_FAILED + run + ",severity=\"WARN\"}"));
    assertEquals(0, sample(text, RunMetrics.CHECKS_FAILED + run + ",severity=\"FAIL\"}"));
    assertEquals(4608, sample(text, RunMetrics.BYTES_WRITTEN + run + "}"));
    assertFalse(text.contains(RunMetrics.SLA_BREACHES), "only Gold knows SLA breaches");
    // One HELP and one TYPE per metric name, as the text format requires.
    assertEquals(text.lines().filter(l -> l.startsWith("# TYPE")).count(),
        text.lines().filter(l -> l.startsWith("# TYPE")).distinct().count());
  }

  @Test
  void goldReportsClosedLateTickets() {
    Manifest gold = Manifest.of(DataLayout.GOLD, "g", Map.of(), Map.of("silver_tickets", 50L,
        "figure.sla.closed", 40L, "figure.sla.in_time", 31L), List.of(), DataHash.builder().build())
        .withChecks(Manifest.SUCCESS, List.of());
    String text = RunMetrics.exposition(DataLayout.GOLD, "g", "DirectRunner", Manifest.SUCCESS, gold, T0, T0);
    assertEquals(9, sample(text, RunMetrics.SLA_BREACHES + "{"));
  }

  @Test
  void aCrashWithoutManifestGivesStatusAndTimesOnly() {
    String text = RunMetrics.exposition(DataLayout.SILVER, "c", "DirectRunner", Manifest.FAILED, null, T0,
        T0.plusSeconds(3));
    assertEquals(1, sample(text, RunMetrics.STATUS + "{run_id=\"c\",runner=\"DirectRunner\",status=\"FAILED\"}"));
    assertEquals(T0.getEpochSecond() + 3, sample(text, RunMetrics.FINISHED + "{"));
    assertFalse(text.contains(RunMetrics.RECORDS_IN));
  }

  @Test
  void anUnreachablePushgatewayCostsAWarningNotTheRun() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PushgatewayRecorder r = new PushgatewayRecorder(new Pushgateway("http://127.0.0.1:" + port), DataLayout.BRONZE,
        "r", "DirectRunner", T0);
    assertFalse(r.push(Manifest.SUCCESS, bronze()));
    r.published(bronze(), "m.json");
  }

  @Test
  void groupingLabelsAreUrlEncoded() {
    Pushgateway g = new Pushgateway("http://pg:9091/");
    assertEquals("http://pg:9091/metrics/job/pqrs/layer/a%2Fb%20c", g.groupPath("pqrs", Map.of("layer", "a/b c")));
  }

  @Test
  void everyRecorderIsToldEvenWhenOneThrows() {
    List<String> told = new ArrayList<>();
    RunRecorder broken = new RunRecorder() {
      @Override
      public void published(Manifest m, String path) throws Exception {
        told.add("broken");
        throw new IllegalStateException("store down");
      }

      @Override
      public void failed(Manifest m, String error) {}
    };
    RunRecorder fine = new RunRecorder() {
      @Override
      public void published(Manifest m, String path) {
        told.add("fine");
      }

      @Override
      public void failed(Manifest m, String error) {}
    };
    Exception e = assertThrows(IllegalStateException.class, () -> RunRecorder.all(broken, null, fine).published(bronze(), "p"));
    assertEquals("store down", e.getMessage());
    assertEquals(List.of("broken", "fine"), told);
    assertTrue(RunRecorder.all(null, null) == RunRecorder.NONE);
  }
}
