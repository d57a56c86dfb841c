package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PartsTest {
  @Test
  void itemsPerPartRoundedUpWithinTheBounds() {
    assertEquals(1, Parts.of(0, 10, 1, 5));
    assertEquals(1, Parts.of(10, 10, 1, 5));
    assertEquals(2, Parts.of(11, 10, 1, 5));
    assertEquals(4, Parts.of(25, 10, 4, 100), "at least the minimum");
    assertEquals(5, Parts.of(1_000, 10, 1, 5), "at most the maximum");
    assertEquals(5, Parts.of(Long.MAX_VALUE, 10, 1, 5), "no overflow for a run of unknown size");
    assertThrows(IllegalArgumentException.class, () -> Parts.of(10, 0, 1, 5));
  }
}
