package co.pqrs.lakehouse.transforms.bronze;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/**
 * The day writers' grouping keys: every shard of every Raw day partition's quarantine has a key of
 * its own, which tells itself apart from the events' keys and gives its shard back, whatever days a
 * run has and in whatever order a worker meets them.
 */
public class DayShardKeysTest {
  @Test
  public void everyQuarantineShardOfEveryRawDayHasAKeyOfItsOwn() {
    // "" is a file outside a day= folder; 2025-02-30 a folder named for no real date.
    List<String> days = List.of("", "0000-01-01", "2025-02-28", "2025-02-30", "2025-03-01", "9999-12-31");
    Set<Long> keys = new HashSet<>();
    for (String day : days) {
      for (int shard : new int[] {0, 1, WriteBronze.MAX_FILES_PER_DAY - 1}) {
        long key = WriteBronze.quarantineKey(day, shard);
        assertTrue(day + " shard " + shard + " is new", keys.add(key));
        assertTrue(WriteBronze.isQuarantine(key));
        assertEquals(shard, Math.floorMod(key, (long) WriteBronze.MAX_FILES_PER_DAY));
      }
    }
  }

  @Test
  public void eventDaysOfEveryYearAreNotTheQuarantines() {
    for (LocalDate d : List.of(LocalDate.of(0, 1, 1), LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31))) {
      long key = WriteBronze.dayShardKey((int) d.toEpochDay(), WriteBronze.MAX_FILES_PER_DAY - 1);
      assertFalse(d + " is an event day", WriteBronze.isQuarantine(key));
    }
  }
}
