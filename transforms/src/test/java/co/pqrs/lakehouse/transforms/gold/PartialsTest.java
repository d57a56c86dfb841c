package co.pqrs.lakehouse.transforms.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** A bundle's cells: merged per table and grain, handed over in their keys' order, then gone. */
class PartialsTest {
  @Test
  void cellsMergePerTableAndGrainAndLeaveInKeyOrder() {
    AggregateGold.Partials p = new AggregateGold.Partials();
    // Tables whose names are prefixes of one another, and a grain equal in two tables.
    p.add("kpi_b", Grain.of("2025-03-04", "queja"), Cell.of(1, 2));
    p.add("kpi_a_x", Grain.of("2025-03-03"), Cell.of(5));
    p.add("kpi_a", Grain.of("2025-03-03"), Cell.of(7));
    p.add("kpi_b", Grain.of("2025-03-03", "queja"), Cell.of(1, 0).sample(3.5));
    p.add("kpi_b", Grain.of("2025-03-04", "queja"), Cell.of(2, 1));
    p.count("snapshot.rows");
    p.count("snapshot.rows");

    List<KV<String, Cell>> out = new ArrayList<>();
    p.drain(out::add);

    TreeMap<String, Cell> byKey = new TreeMap<>();
    out.forEach(kv -> byKey.put(kv.getKey(), kv.getValue()));
    assertEquals(new ArrayList<>(byKey.keySet()), out.stream().map(KV::getKey).toList(), "in key order");
    assertEquals(5, out.size());
    Cell merged = byKey.get(AggregateGold.Partials.key("kpi_b", Grain.of("2025-03-04", "queja")));
    assertEquals(3.0, merged.sum(0));
    assertEquals(3.0, merged.sum(1));
    assertEquals(7.0, byKey.get(AggregateGold.Partials.key("kpi_a", "2025-03-03")).sum(0));
    assertEquals(5.0, byKey.get(AggregateGold.Partials.key("kpi_a_x", "2025-03-03")).sum(0));
    assertEquals(2, byKey.get(AggregateGold.Partials.key(AggregateGold.Partials.FACTS_TABLE, "snapshot.rows")).count(0));
    Cell sampled = byKey.get(AggregateGold.Partials.key("kpi_b", Grain.of("2025-03-03", "queja")));
    assertEquals(3.5, sampled.sortedSamples()[0]);
    for (KV<String, Cell> kv : out) {
      String table = AggregateGold.Partials.table(kv.getKey());
      assertEquals(kv.getKey(), AggregateGold.Partials.key(table, AggregateGold.Partials.grain(kv.getKey())));
    }

    List<KV<String, Cell>> again = new ArrayList<>();
    p.drain(again::add);
    assertTrue(again.isEmpty(), "drained cells are gone");
  }
}
