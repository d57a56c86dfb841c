package co.pqrs.lakehouse.transforms.bronze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * A parsed event read back from a stream answers the de-duplication's questions from its fields, and
 * its survivor is the bytes of the decoded event's survivor: the day files cannot tell which way it came.
 */
class ParsedTest {
  private static final ParseRaw.Parsed.Coder CODER = ParseRaw.Parsed.Coder.of();

  @Test
  void anEventFromAStreamAnswersFromItsFieldsAndSurvivesAsTheSameBytes() throws Exception {
    Random random = new Random(20261205L);
    for (int n = 0; n < 300; n++) {
      BronzeEvent e = event(random, n);
      byte[] encoded = CoderUtils.encodeToByteArray(CODER, ParseRaw.Parsed.of(e));
      // The parser's form, encoded once where it is made: the same bytes in a stream.
      ParseRaw.Parsed made = ParseRaw.Parsed.encoded(e);
      assertArrayEquals(encoded, CoderUtils.encodeToByteArray(CODER, made), "event " + n + " encoded once");
      assertEquals(Arrays.asList(fields(e)), Arrays.asList(fields(made.event())), "event " + n + " encoded once");
      ParseRaw.Parsed read = CoderUtils.decodeFromByteArray(CODER, encoded);

      // Asked before the event is decoded, then again after.
      for (int pass = 0; pass < 2; pass++) {
        assertNull(read.failure());
        assertEquals(e.eventId().hashCode(), read.eventIdHash(), "event " + n);
        assertEquals(e.eventDay(), read.eventDay(), "event " + n);
        assertArrayEquals(encoded, CoderUtils.encodeToByteArray(CODER, read), "event " + n + " re-encoded");
        if (pass == 0) {
          assertEquals(Arrays.asList(fields(e)), Arrays.asList(fields(read.event())), "event " + n);
        }
      }

      // As the de-duplication's judge reads it, in place: the same fields whichever way the event came,
      // and through its coder (a group sorted on disk).
      TypeBronze.Occurrence o = TypeBronze.Occurrence.of(made);
      List<TypeBronze.Occurrence> ways = new ArrayList<>();
      for (ParseRaw.Parsed p : new ParseRaw.Parsed[] {ParseRaw.Parsed.of(e), read, CoderUtils.decodeFromByteArray(CODER, encoded)}) {
        ways.add(TypeBronze.Occurrence.of(p));
      }
      ways.add(CoderUtils.decodeFromByteArray(new TypeBronze.Occurrence.Coder(),
          CoderUtils.encodeToByteArray(new TypeBronze.Occurrence.Coder(), o)));
      for (TypeBronze.Occurrence w : ways) {
        assertEquals(e.eventId(), w.eventId(), "event " + n);
        assertEquals(e.eventId().hashCode(), w.eventIdHash(), "event " + n);
        assertEquals(e.sourceFile(), w.sourceFile(), "event " + n);
        assertEquals(e.sourceLine(), w.sourceLine(), "event " + n);
        assertArrayEquals(e.lineSha256(), w.lineSha256(), "event " + n);
        assertEquals(true, o.sameEventId(w) && o.sameLine(w), "event " + n);
        assertEquals(0, TypeBronze.Occurrence.BY_EVENT_ID.compare(o, w), "event " + n);
      }

      for (int dropped : new int[] {0, 1, 127, 128, 70_000}) {
        byte[] expected = CoderUtils.encodeToByteArray(CODER, ParseRaw.Parsed.of(e.survivor(dropped)));
        ParseRaw.Parsed survivor = CoderUtils.decodeFromByteArray(CODER, encoded).survivor(dropped);
        assertArrayEquals(expected, CoderUtils.encodeToByteArray(CODER, survivor), "event " + n + ", " + dropped + " dropped");
        assertArrayEquals(expected, CoderUtils.encodeToByteArray(CODER, ParseRaw.Parsed.of(e).survivor(dropped)));
        // The fields before the digest, as the day keying reads them, unspliced.
        ParseRaw.Parsed keyed = CoderUtils.decodeFromByteArray(CODER, encoded).survivor(dropped);
        assertEquals(e.eventDay(), keyed.eventDay());
        assertEquals(e.eventId().hashCode(), keyed.eventIdHash());
        assertArrayEquals(expected, CoderUtils.encodeToByteArray(CODER, keyed), "event " + n + ", keyed, then encoded");
        // Spliced where it is encoded (above), made when it is read: the same bytes either way.
        assertEquals(dropped, survivor.event().duplicatesDropped());
        assertEquals(0, survivor.event().lineSha256().length);
        assertEquals(e.sourceLine(), survivor.event().sourceLine());
        assertArrayEquals(expected, CoderUtils.encodeToByteArray(CODER, survivor), "event " + n + ", read, then encoded");
        ParseRaw.Parsed unread = CoderUtils.decodeFromByteArray(CODER, encoded).survivor(dropped);
        assertEquals(e.eventId().hashCode(), unread.eventIdHash(), "event " + n);
        assertArrayEquals(CoderUtils.encodeToByteArray(CODER, ParseRaw.Parsed.of(e.survivor(7))),
            CoderUtils.encodeToByteArray(CODER, unread.survivor(7)), "event " + n + ", a survivor's survivor");
      }
    }
  }

  @Test
  void aFailureHasNoEventFields() throws Exception {
    Failure f = new Failure(ParseRaw.STEP, Failure.JSON_MALFORMED, "not valid JSON", "raw/day=2025-03-03/part-00000.jsonl",
        7, "{", null);
    ParseRaw.Parsed read = CoderUtils.clone(CODER, ParseRaw.Parsed.of(f));
    assertNull(read.event());
    assertEquals(f, read.failure());
    IllegalStateException e = assertThrows(IllegalStateException.class, read::eventIdHash);
    assertEquals("a failure has no event fields: raw/day=2025-03-03/part-00000.jsonl:7", e.getMessage());
    assertThrows(IllegalStateException.class, () -> ParseRaw.Parsed.of(f).survivor(0));
  }

  @Test
  void anEventNotFromAStreamIsItself() {
    BronzeEvent e = event(new Random(1), 1);
    ParseRaw.Parsed p = ParseRaw.Parsed.of(e);
    assertSame(e, p.event());
    assertEquals(e.eventId().hashCode(), p.eventIdHash());
    assertEquals(e.eventDay(), p.eventDay());
  }

  private static BronzeEvent event(Random random, int n) {
    String text = pick(random, "Solicito información", "queja por demora\ncon salto", "", "ok", "x".repeat(300));
    byte[] digest = random.nextInt(5) == 0 ? new byte[0] : co.pqrs.lakehouse.manifest.Sha256.digest()
        .digest(("{\"n\":" + n + ",\"t\":\"" + "ñ".repeat(random.nextInt(200)) + "\"}").getBytes(StandardCharsets.UTF_8));
    return new BronzeEvent("e-" + n + "-ü", "t-" + (n / 3), n % 2 == 0 ? "TICKET_CREATED" : "MESSAGE_ADDED", "1.0",
        random.nextLong(), random.nextInt(1441) - 720, random.nextInt(60_000) - 30_000, pick(random, "EXT-1"),
        pick(random, "webform", "email"), pick(random, "P", "Q", "R"), pick(random, "alta"),
        pick(random, "11001", "05001"), pick(random, "Asunto ñ"), text, pick(random, "CITIZEN"),
        pick(random, "RADICATED"), pick(random, "IN_PROGRESS"), pick(random, "razón"), pick(random, "a.pdf"),
        pick(random, "application/pdf"), random.nextBoolean() ? null : random.nextLong(),
        "raw/pqrs/run_id=r/day=2025-03-0" + (n % 9) + "/part-00000.jsonl", random.nextBoolean() ? n + 1L : (1L << 39) + n,
        digest, 0);
  }

  private static String pick(Random random, String... values) {
    int i = random.nextInt(values.length + 1);
    return i == values.length ? null : values[i];
  }

  private static Object[] fields(BronzeEvent e) {
    return new Object[] {e.eventId(), e.ticketId(), e.eventType(), e.schemaVersion(), e.tsMicros(), e.offsetMinutes(),
        e.eventDay(), e.externalId(), e.channel(), e.pqrsType(), e.priority(), e.municipalityCode(), e.subject(),
        e.text(), e.authorRole(), e.fromStatus(), e.toStatus(), e.reason(), e.fileName(), e.mimeType(), e.sizeBytes(),
        e.sourceFile(), e.sourceLine(), HexFormat.of().formatHex(e.lineSha256()), e.duplicatesDropped()};
  }
}
