package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.Assert.assertThrows;

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

/** The de-duplication's side input: verdicts found by position, the same bytes however they were collected. */
public class DuplicatesTest {
  private static final String A = "raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl";
  private static final String B = "raw/pqrs/run_id=t/day=2025-01-03/part-00000.jsonl";

  private static BronzeEvent at(String file, long line) {
    return new BronzeEvent("e-" + line, "t", "MESSAGE_ADDED", "1.0", 0L, 0, 0, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, file, line, digest(line), 0);
  }

  private static byte[] digest(long line) {
    return Sha256.digest().digest(("{\"line\":" + line + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void theKeptOccurrenceCountsItsDuplicatesAndEachDroppedOneNamesIt() {
    Duplicates d = new Duplicates.Builder()
        .kept(A, 3, 2)
        .dropped(B, 7, A, 3, true)
        .dropped(A, 9, A, 3, false)
        .build();

    BronzeEvent kept = d.rowOf(at(A, 3));
    assertThat(kept.duplicatesDropped(), is(2));
    assertThat("a survivor drops its line's digest", kept.lineSha256().length, is(0));
    assertThat(d.rowOf(at(B, 7)), nullValue());
    assertThat(d.rowOf(at(A, 9)), nullValue());

    Failure identical = d.failure(at(B, 7));
    assertThat(identical.errorCode(), equalTo(Failure.DUPLICATE_EVENT_ID));
    assertThat(identical.message(), equalTo("event_id e-7 already kept from " + A + ":3; identical to the kept line"));
    assertThat(identical.sourceFile(), equalTo(B));
    // Its payload is read back from Raw where the quarantine is written (RawPayloadsTest), by this digest.
    assertThat(identical.payload(), nullValue());
    assertThat(identical.payloadInRaw(), is(true));
    assertThat(identical.lineSha256(), equalTo(digest(7)));
    assertThat(d.failure(at(A, 9)).message(), containsString("content differs from the kept line"));

    // Positions no verdict names (another line, another file) are events seen once.
    assertThat(d.rowOf(at(A, 4)).duplicatesDropped(), is(0));
    assertThat(d.rowOf(at(B, 3)).duplicatesDropped(), is(0));
    assertThat(d.rowOf(at("raw/other.jsonl", 3)).duplicatesDropped(), is(0));
    assertThat(Duplicates.NONE.rowOf(at(A, 3)).duplicatesDropped(), is(0));
    // What the Bronze writer's keying asks with a position only: the count, or -1 for a dropped one.
    assertThat(List.of(d.keptWith(A, 3), d.keptWith(B, 7), d.keptWith(A, 9), d.keptWith(A, 4)), equalTo(List.of(2, -1, -1, 0)));
    assertThrows(IllegalArgumentException.class, () -> d.failure(at(A, 3)));
    assertThrows(IllegalArgumentException.class, () -> d.failure(at(A, 4)));
  }

  @Test
  public void theSameVerdictsGiveTheSameBytesWhateverTheOrderAndSplit() throws Exception {
    // 2,000 duplicated event_ids over five files, each with one to three dropped occurrences.
    Random random = new Random(7);
    List<Object[]> verdicts = new ArrayList<>();
    String[] files = new String[5];
    for (int f = 0; f < files.length; f++) {
      files[f] = "raw/pqrs/run_id=t/day=2025-01-0" + (f + 1) + "/part-00000.jsonl";
    }
    long line = 1;
    for (int id = 0; id < 2_000; id++) {
      String keptFile = files[random.nextInt(files.length)];
      long keptLine = line++;
      int dropped = 1 + random.nextInt(3);
      verdicts.add(new Object[] {keptFile, keptLine, dropped});
      for (int k = 0; k < dropped; k++) {
        verdicts.add(new Object[] {files[random.nextInt(files.length)], line++, keptFile, keptLine, random.nextBoolean()});
      }
    }
    Duplicates inOrder = build(verdicts);
    List<Object[]> shuffled = new ArrayList<>(verdicts);
    Collections.shuffle(shuffled, random);
    Duplicates reordered = build(shuffled);
    // As the side input gives them: three chunks built apart, then merged.
    int third = shuffled.size() / 3;
    Duplicates split = Duplicates.merge(List.of(build(shuffled.subList(0, third)),
        build(shuffled.subList(third, 2 * third)), build(shuffled.subList(2 * third, shuffled.size()))));

    byte[] bytes = CoderUtils.encodeToByteArray(Duplicates.Coder.of(), inOrder);
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), reordered), equalTo(bytes));
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), split), equalTo(bytes));
    Duplicates decoded = CoderUtils.decodeFromByteArray(Duplicates.Coder.of(), bytes);
    assertThat(decoded.size(), is(verdicts.size()));

    for (Object[] v : verdicts) {
      BronzeEvent e = at((String) v[0], (Long) v[1]);
      if (v.length == 3) {
        assertThat(decoded.rowOf(e).duplicatesDropped(), is((Integer) v[2]));
      } else {
        assertThat(decoded.rowOf(e), nullValue());
        assertThat(decoded.failure(e).message(), equalTo("event_id " + e.eventId() + " already kept from " + v[2] + ":"
            + v[3] + "; " + ((Boolean) v[4] ? "identical to" : "content differs from") + " the kept line"));
      }
    }
    assertThat(decoded.rowOf(at(files[0], line)).duplicatesDropped(), is(0));
  }

  @Test
  public void aBucketWithManyDuplicatesIsJudgedInChunksThatMergeToTheWhole() throws Exception {
    // 50,000 event_ids, each on two lines of one file: 100,000 verdicts, more than one chunk holds.
    List<TypeBronze.Occurrence> bucket = new ArrayList<>();
    Duplicates.Builder whole = new Duplicates.Builder();
    for (int id = 0; id < 50_000; id++) {
      byte[] sha = {(byte) id};
      bucket.add(TypeBronze.Occurrence.of("e-" + id, B, 100_000 + id, sha));
      bucket.add(TypeBronze.Occurrence.of("e-" + id, A, 1 + id, sha));
      whole.kept(A, 1 + id, 1).dropped(B, 100_000 + id, A, 1 + id, true);
    }
    List<Duplicates> chunks = judge(bucket, SpillingSort.HELD_FROM_HEAP);
    assertThat(chunks.size(), is(2));
    for (Duplicates chunk : chunks) {
      assertThat(chunk.size() <= TypeBronze.CHUNK, is(true));
    }
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), Duplicates.merge(chunks)),
        equalTo(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), whole.build())));
    assertThat(Duplicates.merge(chunks).rowOf(at(B, 100_007)), nullValue());
    assertThat(Duplicates.merge(List.of()).size(), is(0));
  }

  /**
   * One event_id in more lines than a chunk holds (a producer that resent one event), in a bucket
   * larger than the judge holds: sorted in runs on disk, judged against its first line in Raw order,
   * its verdicts cut into chunks of at most {@link TypeBronze#CHUNK} that merge to the whole.
   */
  @Test
  public void oneEventIdInMoreLinesThanAChunkHoldsIsJudgedFromRunsOnDiskInChunks() throws Exception {
    int lines = TypeBronze.CHUNK + 4_464;
    byte[] same = {1};
    List<TypeBronze.Occurrence> bucket = new ArrayList<>();
    Duplicates.Builder whole = new Duplicates.Builder();
    // A's first line is kept: A's file sorts before B's. One of A's lines differs in content.
    for (int l = 1; l <= lines; l++) {
      bucket.add(TypeBronze.Occurrence.of("e-storm", A, l, l == 7 ? new byte[] {2} : same));
    }
    bucket.add(TypeBronze.Occurrence.of("e-storm", B, 1, same));
    whole.kept(A, 1, lines);
    for (int l = 2; l <= lines; l++) {
      whole.dropped(A, l, A, 1, l != 7);
    }
    whole.dropped(B, 1, A, 1, true);
    for (int id = 0; id < 10; id++) {
      bucket.add(TypeBronze.Occurrence.of("e-" + id, B, 100 + id, same));
      bucket.add(TypeBronze.Occurrence.of("e-" + id, B, 200 + id, same));
      bucket.add(TypeBronze.Occurrence.of("e-once-" + id, B, 300 + id, same));
      whole.kept(B, 100 + id, 1).dropped(B, 200 + id, B, 100 + id, true);
    }
    Collections.shuffle(bucket, new Random(11));

    List<Duplicates> chunks = judge(bucket, 1 << 20); // about 8,000 occurrences a run: 9 runs
    assertThat(chunks.size(), is(2));
    for (Duplicates chunk : chunks) {
      assertThat(chunk.size() <= TypeBronze.CHUNK, is(true));
    }
    Duplicates merged = Duplicates.merge(chunks);
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), merged),
        equalTo(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), whole.build())));
    assertThat(merged.keptWith(A, 1), is(lines));
    assertThat(merged.failure(at(A, 7)).message(), containsString("content differs from the kept line"));
    assertThat(merged.keptWith(B, 300), is(0));
    // The same verdicts when the bucket is held whole.
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), Duplicates.merge(judge(bucket, 1L << 40))),
        equalTo(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), merged)));
  }

  /**
   * A bucket held whole sorts only the occurrences whose event_id shares its hash with another's:
   * event_ids of one hash but different text ("Aa" and "BB") are told apart, and the verdicts are
   * those of the same bucket sorted through the disk.
   */
  @Test
  public void eventIdsThatShareAHashAreToldApart() throws Exception {
    assertThat("Aa".hashCode(), equalTo("BB".hashCode()));
    assertThat("AaAa".hashCode(), equalTo("BBBB".hashCode()));
    byte[] same = {1};
    List<TypeBronze.Occurrence> bucket = List.of(
        TypeBronze.Occurrence.of("Aa", A, 1, same),
        TypeBronze.Occurrence.of("AaAa", B, 5, same),
        TypeBronze.Occurrence.of("BB", A, 2, same),
        TypeBronze.Occurrence.of("e-1", A, 6, same),
        TypeBronze.Occurrence.of("BBBB", A, 3, same),
        TypeBronze.Occurrence.of("AaAa", A, 4, new byte[] {2}));
    byte[] expected = CoderUtils.encodeToByteArray(Duplicates.Coder.of(),
        new Duplicates.Builder().kept(A, 4, 1).dropped(B, 5, A, 4, false).build());
    assertThat(TypeBronze.SeenTwiceFn.sharingAHash(bucket).size(), is(5));
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(),
        Duplicates.merge(judge(bucket, SpillingSort.HELD_FROM_HEAP))), equalTo(expected));
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), Duplicates.merge(judge(bucket, 1))),
        equalTo(expected));
    assertThat(TypeBronze.SeenTwiceFn.sharingAHash(List.of(TypeBronze.Occurrence.of("e-1", A, 6, same))),
        equalTo(List.of()));
    // One hash repeated, by one event_id.
    List<Duplicates> one = judge(List.of(TypeBronze.Occurrence.of("e-2", B, 1, same),
        TypeBronze.Occurrence.of("e-1", A, 6, same), TypeBronze.Occurrence.of("e-2", A, 9, same)),
        SpillingSort.HELD_FROM_HEAP);
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), Duplicates.merge(one)),
        equalTo(CoderUtils.encodeToByteArray(Duplicates.Coder.of(),
            new Duplicates.Builder().kept(A, 9, 1).dropped(B, 1, A, 9, true).build())));
  }

  /**
   * Occurrences are compared as bytes in the order of their Strings: where a file name's bytes and its
   * characters sort differently (a supplementary character before U+E000 as Strings, after it as
   * UTF-8), the kept line is still the first by the Strings, held whole and sorted on disk, and a
   * non-ASCII event_id is one event_id.
   */
  @Test
  public void theKeptLineIsTheFirstByFileNamesAsStringsWhateverTheirBytes() throws Exception {
    String supplementary = "raw/pqrs/run_id=t/day=2025-01-02/\uD835\uDC9C.jsonl";
    String privateUse = "raw/pqrs/run_id=t/day=2025-01-02/\uE000.jsonl";
    assertThat(supplementary.compareTo(privateUse) < 0, is(true));
    byte[] same = {1};
    List<TypeBronze.Occurrence> bucket = List.of(
        TypeBronze.Occurrence.of("ñandú-1", privateUse, 1, same),
        TypeBronze.Occurrence.of("ñandú-1", supplementary, 9, new byte[] {2}),
        TypeBronze.Occurrence.of("ñandú-2", privateUse, 2, same));
    assertThat(bucket.get(0).eventIdHash(), equalTo("ñandú-1".hashCode()));
    byte[] expected = CoderUtils.encodeToByteArray(Duplicates.Coder.of(),
        new Duplicates.Builder().kept(supplementary, 9, 1).dropped(privateUse, 1, supplementary, 9, false).build());
    for (long held : new long[] {SpillingSort.HELD_FROM_HEAP, 1}) {
      assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), Duplicates.merge(judge(bucket, held))),
          equalTo(expected));
    }
  }

  /** What the position grouping's judge outputs for one bucket, holding about {@code heldBytes} of it. */
  private static List<Duplicates> judge(List<TypeBronze.Occurrence> bucket, long heldBytes)
      throws Exception {
    List<Duplicates> chunks = new ArrayList<>();
    TypeBronze.SeenTwiceFn fn = new TypeBronze.SeenTwiceFn(heldBytes);
    fn.setup();
    fn.process(KV.of(0, bucket), new DoFn.OutputReceiver<>() {
      @Override
      public void output(Duplicates d) {
        chunks.add(d);
      }

      @Override
      public void outputWithTimestamp(Duplicates d, org.joda.time.Instant ts) {
        chunks.add(d);
      }
    });
    return chunks;
  }

  @Test
  public void aLineNumberBeyondTheBoundIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Duplicates.Builder().kept(A, 1L << 40, 1));
    assertThat(e.getMessage(), containsString("line 1099511627776"));
    // An event beyond it was never judged, so it is one seen once.
    assertThat(new Duplicates.Builder().kept(A, 3, 1).build().rowOf(at(A, 1L << 40)).duplicatesDropped(), is(0));
  }

  @Test
  public void twoVerdictsOnOnePositionAreRefused() {
    Duplicates.Builder b = new Duplicates.Builder().kept(A, 3, 1).dropped(A, 3, B, 1, true);
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertThat(e.getMessage(), equalTo("two verdicts on " + A + ":3"));
  }

  /** The tasks handed one list of chunks share one merge; another list is merged afresh. */
  @Test
  public void oneListOfChunksIsMergedOnceForItsReaders() throws Exception {
    List<Duplicates> chunks = List.of(new Duplicates.Builder().kept(B, 5, 1).dropped(B, 6, B, 5, true).build(),
        new Duplicates.Builder().kept(A, 1, 1).dropped(A, 2, A, 1, false).build());
    Duplicates first = WriteBronze.KeyByDayShardFn.mergedOnce(chunks);
    assertThat(WriteBronze.KeyByDayShardFn.mergedOnce(chunks), sameInstance(first));
    List<Duplicates> other = new ArrayList<>(chunks);
    Duplicates again = WriteBronze.KeyByDayShardFn.mergedOnce(other);
    assertThat(again == first, is(false));
    assertThat(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), again),
        equalTo(CoderUtils.encodeToByteArray(Duplicates.Coder.of(), first)));
  }

  /** Chunks number their own files: merged, each position keeps its file. */
  @Test
  public void chunksOfDifferentFilesMergeWithTheirFiles() {
    Duplicates onlyB = new Duplicates.Builder().kept(B, 5, 1).dropped(B, 6, B, 5, true).build();
    Duplicates onlyA = new Duplicates.Builder().kept(A, 1, 1).dropped(A, 2, A, 1, false).build();
    Duplicates d = Duplicates.merge(List.of(onlyB, onlyA));
    assertThat(d.size(), is(4));
    assertThat(d.rowOf(at(B, 5)).duplicatesDropped(), is(1));
    assertThat(d.rowOf(at(A, 1)).duplicatesDropped(), is(1));
    assertThat(d.failure(at(B, 6)).message(), containsString("already kept from " + B + ":5; identical"));
    assertThat(d.failure(at(A, 2)).message(), containsString("already kept from " + A + ":1; content differs"));
    assertThat(d.rowOf(at(A, 5)).duplicatesDropped(), is(0));
  }

  @Test
  public void twoVerdictsOnOnePositionInTwoChunksAreRefusedWhenMerged() {
    Duplicates one = new Duplicates.Builder().kept(A, 3, 1).dropped(B, 9, A, 3, true).build();
    Duplicates other = new Duplicates.Builder().kept(B, 1, 1).dropped(A, 3, B, 1, false).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Duplicates.merge(List.of(one, other)));
    assertThat(e.getMessage(), equalTo("two verdicts on " + A + ":3"));
    // A single chunk is already merged.
    assertThat(Duplicates.merge(List.of(Duplicates.NONE, one)), sameInstance(one));
  }

  private static Duplicates build(List<Object[]> verdicts) {
    Duplicates.Builder b = new Duplicates.Builder();
    for (Object[] v : verdicts) {
      if (v.length == 3) {
        b.kept((String) v[0], (Long) v[1], (Integer) v[2]);
      } else {
        b.dropped((String) v[0], (Long) v[1], (String) v[2], (Long) v[3], (Boolean) v[4]);
      }
    }
    return b.build();
  }
}
