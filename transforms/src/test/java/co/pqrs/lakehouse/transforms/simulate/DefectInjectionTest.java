package co.pqrs.lakehouse.transforms.simulate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.manifest.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect injection on: every injected defect is found again by detectors written from the contract
 * and the state machine alone, and their counts equal the manifest's.
 */
class DefectInjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyInjectedDefectIsDetectedAndCounted() throws Exception {
    LakehouseConfig cfg = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")),
        TestConfigs.withDefects(TestConfigs.small("2025-05-01", "2025-05-21", 120, 300, 360), "0.02"));
    Manifest manifest = RawRuns.simulate(cfg, dir.resolve("lake"), "defects", 2);
    List<String> lines = RawRuns.lines(dir.resolve("lake"), "defects");

    Map<String, Long> detected = detect(lines, RawContract.packaged(), cfg.status());
    Map<String, Long> injected = new TreeMap<>();
    manifest.counts().forEach((k, v) -> {
      if (k.startsWith("injected.")) {
        injected.put(k.substring("injected.".length()), v);
      }
    });
    for (DefectKind k : DefectKind.values()) {
      assertThat(k.key() + " injected", injected.getOrDefault(k.key(), 0L), greaterThan(5L));
    }
    assertThat(detected, equalTo(injected));
    assertThat(manifest.counts().get("lines"), is((long) lines.size()));
  }

  /** Independent detectors, one per kind; each line or ticket is charged to one kind only. */
  static Map<String, Long> detect(List<String> lines, RawContract contract, StatusModel status) {
    Map<String, Long> found = new TreeMap<>();
    Set<String> created = new HashSet<>();
    Set<String> seenIds = new HashSet<>();
    Map<String, Replay> tickets = new LinkedHashMap<>();
    List<JsonNode> valid = new java.util.ArrayList<>();
    for (String l : lines) {
      JsonNode e;
      try {
        e = JSON.readTree(l);
      } catch (Exception ex) {
        found.merge("malformed_json", 1L, Long::sum);
        continue;
      }
      if (e.path("event_type").asText().equals("TICKET_CREATED")) {
        created.add(e.get("ticket_id").asText());
      }
      List<RawContract.Violation> v = contract.validate(e);
      if (!v.isEmpty()) {
        String p = v.get(0).pointer();
        String kind = switch (p) {
          case "/event_type" -> "unknown_event_type";
          case "/ts" -> "bad_timestamp";
          case "/data/priority" -> "wrong_enum";
          default -> "other:" + v;
        };
        found.merge(kind, 1L, Long::sum);
        continue;
      }
      if (!seenIds.add(e.get("event_id").asText())) {
        found.merge("duplicate_event", 1L, Long::sum);
        continue;
      }
      valid.add(e);
    }
    for (JsonNode e : valid) {
      String t = e.get("ticket_id").asText();
      if (!created.contains(t)) {
        found.merge("orphan_event", 1L, Long::sum);
        continue;
      }
      tickets.computeIfAbsent(t, Replay::new).events.add(e);
    }
    for (Replay r : tickets.values()) {
      String problem = r.pathProblem(status);
      if (problem != null) {
        found.merge(problem.startsWith("invalid") ? "invalid_transition" : "out_of_order", 1L, Long::sum);
      }
    }
    return found;
  }
}
