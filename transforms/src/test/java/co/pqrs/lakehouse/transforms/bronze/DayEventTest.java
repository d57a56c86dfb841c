package co.pqrs.lakehouse.transforms.bronze;

import static org.junit.Assert.assertEquals;

import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.HeldBlocks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.Test;

/** The day writer's order and counts, read from the events' coded fields, are those of the events. */
public class DayEventTest {
  private static final String[] IDS = {"b", "a", "ab", "é", "e", "😀", "\ue000", "Z", "a-1", "a-10", "a-2"};
  private static final String[] TYPES = {"TICKET_CREATED", "MESSAGE_ADDED", "STATUS_CHANGED"};

  @Test
  public void theDaysOrderAndCountsAreTheEvents() throws Exception {
    day(new Random(11), 2_000, null);
  }

  /**
   * Held in blocks (small ones here: most events span no block's end, and some, longer than a
   * block, keep their own array), a day is the same; the blocks, reused for the next day, hold
   * that day's events, not the last one's.
   */
  @Test
  public void aDayHeldInBlocksReusedFromDayToDayIsTheSame() throws Exception {
    HeldBlocks held = new HeldBlocks(512);
    Random random = new Random(12);
    day(random, 3_000, held);
    held.clear();
    day(random, 1_000, held);
  }

  /** {@code n} events of one day, held as arrays each ({@code held} null) or in {@code held}. */
  private static void day(Random random, int n, HeldBlocks held) throws Exception {
    List<BronzeEvent> events = new ArrayList<>();
    List<WriteBronze.DayEvent> rows = new ArrayList<>();
    WriteBronze.DayCounts counts = new WriteBronze.DayCounts();
    for (int i = 0; i < n; i++) {
      String id = IDS[random.nextInt(IDS.length)] + random.nextInt(3);
      String note = random.nextInt(50) == 0 ? "n".repeat(600 + random.nextInt(100)) : null;
      BronzeEvent e = event(id, TYPES[random.nextInt(TYPES.length)], random.nextInt(4) - 1L, note);
      events.add(e);
      byte[] fields = ParseRaw.Parsed.of(e).eventFields();
      if (held == null) {
        rows.add(WriteBronze.DayEvent.of(fields, 0, fields.length, counts));
      } else {
        held.add(fields);
        rows.add(WriteBronze.DayEvent.of(held.array(), held.at(), fields.length, counts));
      }
    }
    events.sort(Comparator.comparingLong(BronzeEvent::tsMicros).thenComparing(BronzeEvent::eventId));
    rows.sort(WriteBronze.DayEvent.ORDER);
    for (int i = 0; i < events.size(); i++) {
      WriteBronze.DayEvent row = rows.get(i);
      BronzeEvent back = BronzeEvent.Coder.read(Frame.Reader.of(row.block(), row.at(), row.length()));
      assertEquals(events.get(i).eventId(), back.eventId());
      assertEquals(events.get(i).externalId(), back.externalId());
      assertEquals(events.get(i).tsMicros(), row.tsMicros());
    }
    java.util.TreeMap<String, Long> expected = new java.util.TreeMap<>();
    events.forEach(e -> expected.merge("events." + e.eventType(), 1L, Long::sum));
    assertEquals(expected, counts.toMap());
  }

  private static BronzeEvent event(String id, String type, long ts, String externalId) {
    return new BronzeEvent(id, "t-" + id, type, "1.0", ts, 0, 0, externalId, null, null, null, null, null, null, null,
        null, null, null, null, null, null, "raw/day=2025-03-03/part-00000.jsonl", 1L, new byte[0], 0);
  }
}
