package co.pqrs.lakehouse.transforms.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** A bundle's cells: merged per table and grain, handed over in their keys' order, then gone. */
class PartialsTest {
  private static Map<String, Cell> drained(AggregateGold.Partials p) {
    List<KV<String, Cell>> out = new ArrayList<>();
    p.drain(out::add);
    TreeMap<String, Cell> byKey = new TreeMap<>();
    out.forEach(kv -> byKey.put(kv.getKey(), kv.getValue()));
    assertEquals(new ArrayList<>(byKey.keySet()), out.stream().map(KV::getKey).toList(), "in key order, once each");
    return byKey;
  }

  @Test
  void cellsMergePerTableAndGrainAndLeaveInKeyOrder() {
    AggregateGold.Partials p = new AggregateGold.Partials();
    // Tables whose names are prefixes of one another, and a grain equal in two tables.
    p.add("kpi_b", Cell.of(1, 2), "2025-03-04", "queja");
    p.add("kpi_a_x", Cell.of(5), "2025-03-03");
    p.add("kpi_a", Cell.of(7), "2025-03-03");
    p.add("kpi_b", Cell.of(1, 0).sample(3.5), "2025-03-03", "queja");
    p.add("kpi_b", Cell.of(2, 1), "2025-03-04", "queja");
    p.count("snapshot.rows");
    p.count("snapshot.rows");

    Map<String, Cell> byKey = drained(p);
    assertEquals(5, byKey.size());
    Cell merged = byKey.get(AggregateGold.Partials.key("kpi_b", Grain.of("2025-03-04", "queja")));
    assertEquals(3.0, merged.sum(0));
    assertEquals(3.0, merged.sum(1));
    assertEquals(7.0, byKey.get(AggregateGold.Partials.key("kpi_a", "2025-03-03")).sum(0));
    assertEquals(5.0, byKey.get(AggregateGold.Partials.key("kpi_a_x", "2025-03-03")).sum(0));
    assertEquals(2, byKey.get(AggregateGold.Partials.key(AggregateGold.Partials.FACTS_TABLE, "snapshot.rows")).count(0));
    Cell sampled = byKey.get(AggregateGold.Partials.key("kpi_b", Grain.of("2025-03-03", "queja")));
    assertEquals(3.5, sampled.sortedSamples()[0]);
    for (String key : byKey.keySet()) {
      String table = AggregateGold.Partials.table(key);
      assertEquals(key, AggregateGold.Partials.key(table, AggregateGold.Partials.grain(key)));
    }

    List<KV<String, Cell>> again = new ArrayList<>();
    p.drain(again::add);
    assertTrue(again.isEmpty(), "drained cells are gone");
  }

  /**
   * Grains are kept by their parts' numbers: thousands of grains (the table grows many times over),
   * parts that are the same text in other positions, a day and the same day written out, and a
   * missing part must all give the cells the grains as strings gave.
   */
  @Test
  void grainsKeptByTheirPartsMergeAsTheirTexts() {
    AggregateGold.Partials p = new AggregateGold.Partials();
    Map<String, double[]> expected = new TreeMap<>();
    LocalDate first = LocalDate.of(2025, 3, 3);
    String[] channels = {"email", "web", "presencial"};
    for (int round = 0; round < 3; round++) {
      for (int d = 0; d < 40; d++) {
        for (int c = 0; c < channels.length; c++) {
          for (int dep = 0; dep < 20; dep++) {
            LocalDate day = first.plusDays(d);
            // The same text as a channel and as a department: a part's number is not its position.
            String department = dep == 0 ? "web" : String.format("%02d", dep);
            // A new String each time, as a row read from a file gives.
            p.add("kpi", Cell.of(1, d).sample(round * 100 + d), day, new String(channels[c]), department);
            expected.merge(Grain.of(day, channels[c], department), new double[] {1, d},
                (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
          }
        }
      }
    }
    // The same day as text: the same grain as a string, so the same cell.
    p.add("kpi", Cell.of(1, 0), "2025-03-03", "email", "01");
    expected.merge(Grain.of(first, "email", "01"), new double[] {1, 0}, (a, b) -> new double[] {a[0] + b[0], a[1]});
    p.add("kpi", Cell.of(1, 0), first, null, "01");
    expected.put(Grain.of(first, null, "01"), new double[] {1, 0});

    Map<String, Cell> byKey = drained(p);
    assertEquals(expected.size(), byKey.size());
    expected.forEach((grain, sums) -> {
      Cell c = byKey.get(AggregateGold.Partials.key("kpi", grain));
      assertEquals(sums[0], c.sum(0), grain);
      assertEquals(sums[1], c.sum(1), grain);
    });
    // Each grain of the loop got one sample per round, in the rounds' order.
    double[] samples = byKey.get(AggregateGold.Partials.key("kpi", Grain.of(first.plusDays(5), "web", "07")))
        .sortedSamples();
    assertEquals(List.of(5.0, 105.0, 205.0), java.util.Arrays.stream(samples).boxed().toList());
    assertEquals(4.0, byKey.get(AggregateGold.Partials.key("kpi", Grain.of(first, "email", "01"))).sum(0));
  }

  @Test
  void aTableKeepsOneShapeOfGrainAndCell() {
    AggregateGold.Partials p = new AggregateGold.Partials();
    p.add("kpi_aging", Cell.of(1), "queja", "05", "0-3");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.add("kpi_aging", Cell.of(1), "queja", "05"));
    assertTrue(e.getMessage().contains("kpi_aging") && e.getMessage().contains("3 parts"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.add("kpi_aging", Cell.of(1, 2), "queja", "05", "0-3"),
        "one number of sums per cell");
  }
}
