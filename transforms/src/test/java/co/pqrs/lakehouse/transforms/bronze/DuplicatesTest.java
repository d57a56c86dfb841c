package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.Test;

/**
 * The de-duplication's judge ({@link TypeBronze}): in a group of parsed events, the first occurrence
 * of an event_id in Raw order survives with the count of the others, each other one becomes its
 * quarantine record, and the outcome is the same in any order, held whole or sorted on disk.
 */
public class DuplicatesTest {
  private static final String A = "raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl";
  private static final String B = "raw/pqrs/run_id=t/day=2025-01-03/part-00000.jsonl";

  /** A parsed event as the parser hands it on (its fields encoded once), with a digest standing for its line. */
  private static ParseRaw.Parsed at(String eventId, String file, long line, int content) {
    return ParseRaw.Parsed.encoded(new BronzeEvent(eventId, "t", "MESSAGE_ADDED", "1.0", 0L, 0, 0, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, file, line, digest(content), 0));
  }

  private static byte[] digest(int content) {
    return Sha256.digest().digest(("{\"line\":" + content + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void theKeptOccurrenceCountsItsDuplicatesAndEachDroppedOneNamesIt() throws Exception {
    Failure malformed = new Failure(ParseRaw.STEP, Failure.JSON_MALFORMED, "not valid JSON", A, 5, "{", null);
    List<ParseRaw.Parsed> group = List.of(at("e-x", B, 7, 1), at("e-x", A, 9, 2), at("e-y", A, 4, 4),
        at("e-x", A, 3, 1), ParseRaw.Parsed.of(malformed));
    List<ParseRaw.Parsed> out = judge(group, SpillingSort.HELD_FROM_HEAP);
    assertThat(outcome(out), equalTo(List.of(
        "quarantine " + A + ":5 json_malformed not valid JSON",
        "quarantine " + A + ":9 duplicate_event_id event_id e-x already kept from " + A
            + ":3; content differs from the kept line",
        "quarantine " + B + ":7 duplicate_event_id event_id e-x already kept from " + A
            + ":3; identical to the kept line",
        "row e-x " + A + ":3 dropped 2",
        "row e-y " + A + ":4 dropped 0")));
    for (ParseRaw.Parsed p : out) {
      if (p.failure() == null) {
        assertThat("a survivor drops its line's digest", p.event().lineSha256().length, is(0));
      } else if (p.failure().sourceLine() == 7) {
        // Its payload is read back from Raw where the quarantine is written (RawPayloadsTest), by this digest.
        assertThat(p.failure().payload(), nullValue());
        assertThat(p.failure().payloadInRaw(), is(true));
        assertThat(p.failure().lineSha256(), equalTo(digest(1)));
        assertThat(p.failure().step(), equalTo(TypeBronze.STEP));
      } else if (p.failure().sourceLine() == 5) {
        assertThat("a parse failure passes through as it is", p.failure(), equalTo(malformed));
      }
    }
  }

  @Test
  public void theOutcomeIsTheSameWhateverTheOrderAndHeldWholeOrOnDisk() throws Exception {
    // 2,000 duplicated event_ids over five files, each with one to three dropped occurrences, and
    // 2,000 seen once.
    Random random = new Random(7);
    List<ParseRaw.Parsed> group = new ArrayList<>();
    String[] files = new String[5];
    for (int f = 0; f < files.length; f++) {
      files[f] = "raw/pqrs/run_id=t/day=2025-01-0" + (f + 1) + "/part-00000.jsonl";
    }
    long line = 1;
    for (int id = 0; id < 2_000; id++) {
      int copies = 2 + random.nextInt(3);
      for (int k = 0; k < copies; k++) {
        group.add(at("e-" + id, files[random.nextInt(files.length)], line++, random.nextInt(2)));
      }
      group.add(at("e-once-" + id, files[random.nextInt(files.length)], line++, 0));
    }
    List<String> expected = outcome(judge(group, SpillingSort.HELD_FROM_HEAP));
    assertThat(expected.stream().filter(s -> s.startsWith("row ")).count(), is(4_000L));
    List<ParseRaw.Parsed> shuffled = new ArrayList<>(group);
    Collections.shuffle(shuffled, random);
    assertThat(outcome(judge(shuffled, SpillingSort.HELD_FROM_HEAP)), equalTo(expected));
    assertThat(outcome(judge(shuffled, 64 << 10)), equalTo(expected)); // sorted in runs on disk
    // The kept one is the first in Raw order (file, then line).
    BronzeEvent first = null;
    for (ParseRaw.Parsed p : group) {
      BronzeEvent e = p.event();
      if (e.eventId().equals("e-0") && (first == null || e.sourceFile().compareTo(first.sourceFile()) < 0
          || e.sourceFile().equals(first.sourceFile()) && e.sourceLine() < first.sourceLine())) {
        first = e;
      }
    }
    assertThat(expected.contains("row e-0 " + first.sourceFile() + ":" + first.sourceLine() + " dropped "
        + (group.stream().filter(p -> p.event().eventId().equals("e-0")).count() - 1)), is(true));
  }

  /**
   * One event_id in very many lines (a producer that resent one event), in a group larger than the
   * judge holds: sorted in runs on disk, judged against its first line in Raw order, as when the
   * group is held whole.
   */
  @Test
  public void oneEventIdInManyLinesIsJudgedFromRunsOnDisk() throws Exception {
    int lines = 20_000;
    List<ParseRaw.Parsed> group = new ArrayList<>();
    // A's first line is kept: A's file sorts before B's. One of A's lines differs in content.
    for (int l = 1; l <= lines; l++) {
      group.add(at("e-storm", A, l, l == 7 ? 2 : 1));
    }
    group.add(at("e-storm", B, 1, 1));
    for (int id = 0; id < 10; id++) {
      group.add(at("e-" + id, B, 100 + id, 1));
      group.add(at("e-" + id, B, 200 + id, 1));
      group.add(at("e-once-" + id, B, 300 + id, 1));
    }
    Collections.shuffle(group, new Random(11));
    long held = group.stream().mapToLong(p -> TypeBronze.Occurrence.of(p).heapBytes()).sum();
    assertThat("the group is larger than the judge holds", held > 1 << 20, is(true));
    List<String> onDisk = outcome(judge(group, 1 << 20));
    assertThat(onDisk.contains("row e-storm " + A + ":1 dropped " + lines), is(true));
    assertThat(onDisk.contains("quarantine " + A + ":7 duplicate_event_id event_id e-storm already kept from " + A
        + ":1; content differs from the kept line"), is(true));
    assertThat(onDisk.contains("row e-once-3 " + B + ":303 dropped 0"), is(true));
    assertThat(onDisk.size(), is(group.size())); // one out for each in: a row or a quarantine record
    assertThat(outcome(judge(group, 1L << 40)), equalTo(onDisk));
  }

  /**
   * A group held whole sorts only the events whose event_id shares its hash with another's: event_ids
   * of one hash but different text ("Aa" and "BB") are told apart, and the outcome is that of the same
   * group sorted through the disk.
   */
  @Test
  public void eventIdsThatShareAHashAreToldApart() throws Exception {
    assertThat("Aa".hashCode(), equalTo("BB".hashCode()));
    assertThat("AaAa".hashCode(), equalTo("BBBB".hashCode()));
    List<ParseRaw.Parsed> group = List.of(at("Aa", A, 1, 1), at("AaAa", B, 5, 1), at("BB", A, 2, 1),
        at("e-1", A, 6, 1), at("BBBB", A, 3, 1), at("AaAa", A, 4, 2));
    List<String> expected = List.of(
        "quarantine " + B + ":5 duplicate_event_id event_id AaAa already kept from " + A
            + ":4; content differs from the kept line",
        "row Aa " + A + ":1 dropped 0", "row AaAa " + A + ":4 dropped 1", "row BB " + A + ":2 dropped 0",
        "row BBBB " + A + ":3 dropped 0", "row e-1 " + A + ":6 dropped 0");
    List<ParseRaw.Parsed> seenOnce = new ArrayList<>();
    List<TypeBronze.Occurrence> occurrences = group.stream().map(TypeBronze.Occurrence::of).toList();
    assertThat(TypeBronze.sharingAHash(occurrences, receiver(seenOnce)).size(), is(5));
    assertThat(outcome(seenOnce), equalTo(List.of("row e-1 " + A + ":6 dropped 0")));
    assertThat(outcome(judge(group, SpillingSort.HELD_FROM_HEAP)), equalTo(expected));
    assertThat(outcome(judge(group, 1)), equalTo(expected));
  }

  /**
   * Events are compared as bytes in the order of their Strings: where a file name's bytes and its
   * characters sort differently (a supplementary character before U+E000 as Strings, after it as
   * UTF-8), the kept line is still the first by the Strings, held whole and sorted on disk, and a
   * non-ASCII event_id is one event_id.
   */
  @Test
  public void theKeptLineIsTheFirstByFileNamesAsStringsWhateverTheirBytes() throws Exception {
    String supplementary = "raw/pqrs/run_id=t/day=2025-01-02/\uD835\uDC9C.jsonl";
    String privateUse = "raw/pqrs/run_id=t/day=2025-01-02/\uE000.jsonl";
    assertThat(supplementary.compareTo(privateUse) < 0, is(true));
    List<ParseRaw.Parsed> group = List.of(at("ñandú-1", privateUse, 1, 1), at("ñandú-1", supplementary, 9, 2),
        at("ñandú-2", privateUse, 2, 1));
    assertThat(TypeBronze.Occurrence.of(group.get(0)).eventIdHash(), equalTo("ñandú-1".hashCode()));
    List<String> expected = List.of(
        "quarantine " + privateUse + ":1 duplicate_event_id event_id ñandú-1 already kept from " + supplementary
            + ":9; content differs from the kept line",
        "row ñandú-1 " + supplementary + ":9 dropped 1", "row ñandú-2 " + privateUse + ":2 dropped 0");
    for (long held : new long[] {SpillingSort.HELD_FROM_HEAP, 1}) {
      assertThat(outcome(judge(group, held)), equalTo(expected));
    }
  }

  /** What the judge outputs for one group, holding about {@code heldBytes} of it. */
  /**
   * A judge holds its group's fields in blocks it reuses for the next group: what it let out is its
   * own, and stays as it was (the same bytes, the same outcome) when the next group overwrites them.
   */
  @Test
  public void whatLeavesTheJudgeStaysAsItWasWhenTheNextGroupReusesItsBlocks() throws Exception {
    List<ParseRaw.Parsed> group = List.of(at("e-1", A, 1, 1), at("e-2", A, 2, 2), at("e-1", B, 3, 1));
    TypeBronze.JudgeFn fn = new TypeBronze.JudgeFn(SpillingSort.HELD_FROM_HEAP);
    fn.setup();
    List<ParseRaw.Parsed> first = new ArrayList<>();
    fn.process(KV.of(0, group), receiver(first));
    List<byte[]> encoded = new ArrayList<>();
    for (ParseRaw.Parsed p : first) {
      encoded.add(CoderUtils.encodeToByteArray(ParseRaw.Parsed.Coder.of(), p));
    }
    fn.process(KV.of(1, List.of(at("f-9", B, 8, 3), at("f-8", B, 9, 4), at("f-9", A, 1, 5))),
        receiver(new ArrayList<>()));
    for (int i = 0; i < first.size(); i++) {
      assertThat("output " + i, CoderUtils.encodeToByteArray(ParseRaw.Parsed.Coder.of(), first.get(i)),
          equalTo(encoded.get(i)));
    }
    assertThat(outcome(first), equalTo(outcome(judge(group, SpillingSort.HELD_FROM_HEAP))));
  }

  private static List<ParseRaw.Parsed> judge(List<ParseRaw.Parsed> group, long heldBytes) throws Exception {
    List<ParseRaw.Parsed> out = new ArrayList<>();
    TypeBronze.JudgeFn fn = new TypeBronze.JudgeFn(heldBytes);
    fn.setup();
    fn.process(KV.of(0, group), receiver(out));
    return out;
  }

  private static DoFn.OutputReceiver<ParseRaw.Parsed> receiver(List<ParseRaw.Parsed> into) {
    return new DoFn.OutputReceiver<>() {
      @Override
      public void output(ParseRaw.Parsed p) {
        into.add(p);
      }

      @Override
      public void outputWithTimestamp(ParseRaw.Parsed p, org.joda.time.Instant ts) {
        into.add(p);
      }
    };
  }

  /** The judge's outputs as sorted lines: the outcome, whatever the order they came in. */
  private static List<String> outcome(List<ParseRaw.Parsed> out) {
    List<String> lines = new ArrayList<>();
    for (ParseRaw.Parsed p : out) {
      Failure f = p.failure();
      lines.add(f != null
          ? "quarantine " + f.sourceFile() + ":" + f.sourceLine() + " " + f.errorCode() + " " + f.message()
          : "row " + p.event().eventId() + " " + p.event().sourceFile() + ":" + p.event().sourceLine() + " dropped "
              + p.event().duplicatesDropped());
    }
    Collections.sort(lines);
    return lines;
  }
}
