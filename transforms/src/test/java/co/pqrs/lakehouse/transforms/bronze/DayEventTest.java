package co.pqrs.lakehouse.transforms.bronze;

import static org.junit.Assert.assertEquals;

import co.pqrs.lakehouse.transforms.io.Frame;
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
    Random random = new Random(11);
    List<BronzeEvent> events = new ArrayList<>();
    List<WriteBronze.DayEvent> held = new ArrayList<>();
    WriteBronze.DayCounts counts = new WriteBronze.DayCounts();
    for (int i = 0; i < 2_000; i++) {
      BronzeEvent e = event(IDS[random.nextInt(IDS.length)] + random.nextInt(3), TYPES[random.nextInt(TYPES.length)],
          random.nextInt(4) - 1L);
      events.add(e);
      held.add(WriteBronze.DayEvent.of(ParseRaw.Parsed.of(e).eventFields(), counts));
    }
    events.sort(Comparator.comparingLong(BronzeEvent::tsMicros).thenComparing(BronzeEvent::eventId));
    held.sort(WriteBronze.DayEvent.ORDER);
    for (int i = 0; i < events.size(); i++) {
      BronzeEvent back = BronzeEvent.Coder.read(Frame.Reader.of(held.get(i).fields()));
      assertEquals(events.get(i).eventId(), back.eventId());
      assertEquals(events.get(i).tsMicros(), held.get(i).tsMicros());
    }
    java.util.TreeMap<String, Long> expected = new java.util.TreeMap<>();
    events.forEach(e -> expected.merge("events." + e.eventType(), 1L, Long::sum));
    assertEquals(expected, counts.toMap());
  }

  private static BronzeEvent event(String id, String type, long ts) {
    return new BronzeEvent(id, "t-" + id, type, "1.0", ts, 0, 0, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, "raw/day=2025-03-03/part-00000.jsonl", 1L, new byte[0], 0);
  }
}
