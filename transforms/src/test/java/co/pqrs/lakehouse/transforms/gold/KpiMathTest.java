package co.pqrs.lakehouse.transforms.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KpiMathTest {
  @Test
  void nearestRankPercentiles() {
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(5, Cell.percentile(v, 0.5));
    assertEquals(9, Cell.percentile(v, 0.9));
    assertEquals(1, Cell.percentile(new double[] {1}, 0.9));
    assertTrue(Double.isNaN(Cell.percentile(new double[0], 0.5)));
  }

  @Test
  void cellsMergeInAnyOrderToTheSameResult() {
    Cell a = Cell.of(1, 2).sample(3);
    Cell b = Cell.of(10, 20).sample(1).sample(2);
    Cell ab = a.copy();
    ab.merge(b);
    Cell ba = b.copy();
    ba.merge(a);
    assertEquals(ab.sum(0), ba.sum(0));
    assertEquals(ab.sum(1), ba.sum(1));
    assertEquals(java.util.Arrays.toString(ab.sortedSamples()), java.util.Arrays.toString(ba.sortedSamples()));
  }

  @Test
  void grainRoundTripsItsParts() {
    String g = Grain.of(java.time.LocalDate.of(2025, 3, 1), "email", "P");
    assertEquals(java.util.List.of("2025-03-01", "email", "P"), Grain.parts(g));
    assertEquals(java.util.List.of(""), Grain.parts(Grain.of()));
  }

  @Test
  void agingBucketBoundaries() {
    assertEquals("0-3", co.pqrs.lakehouse.transforms.gold.kpi.Aging.bucket(3));
    assertEquals("4-7", co.pqrs.lakehouse.transforms.gold.kpi.Aging.bucket(4));
    assertEquals("8-15", co.pqrs.lakehouse.transforms.gold.kpi.Aging.bucket(15));
    assertEquals(">15", co.pqrs.lakehouse.transforms.gold.kpi.Aging.bucket(16));
  }
}
