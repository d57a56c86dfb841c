package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.GroupInBatches;
import co.pqrs.lakehouse.transforms.io.HeldBlocks;
import co.pqrs.lakehouse.transforms.io.Parts;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which parsed events become Bronze rows: one row per event_id. When an event_id appears
 * more than once, the first occurrence in Raw order (file, line) survives, recording how many were
 * dropped, and the others are quarantined as {@code duplicate_event_id}, saying whether their content
 * differs from the survivor's. What leaves is what the Bronze writer keys by day: the survivors
 * (without their line's digest), the duplicates' quarantine records and the parse failures, which
 * pass through.
 *
 * <p>The events travel whole: grouped by a hash of their event_id, so that every occurrence of an
 * event_id is in one group, and judged there. The parser's records then have this step as their one
 * reader, and Flink's batch runner hands them on within the parser's task instead of writing each
 * once for every reader: judging from the positions alone, as a side input of the day keying, made
 * the parsed events two readers, and cost more than the events' own grouping does
 * (docs/benchmarks/changes.md, "Fifty-eighth change"). Nothing is held per run: a group is held
 * while it is judged, and sorted on local disk when it outgrows its share of the heap.
 */
public class TypeBronze extends PTransform<PCollection<ParseRaw.Parsed>, PCollection<ParseRaw.Parsed>> {
  public static final String STEP = "TypeBronze";
  private static final Logger LOG = LoggerFactory.getLogger(TypeBronze.class);

  /**
   * Events are grouped by a hash of their event_id. A GroupByKey over every event_id would be the
   * textbook form, but the DirectRunner tracks a watermark hold per key and slows to a crawl beyond
   * ~10^5 keys; 16 groups still spread the work over a small cluster's slots.
   */
  public static final int MIN_GROUPS = 16;
  static final int MAX_GROUPS = 1 << 14;

  /**
   * Events a group is sized for: a group is held while its duplicates are judged, its events as the
   * bytes they crossed the grouping in (about 420 bytes each at the bench's 5.2 M events, by
   * {@link Occurrence#heapBytes}), about 55 MB, far below {@link #HEAP_SHARE} of a 1 GB heap.
   * One event_id's lines all go to one group, however many: past the share, the group is sorted on
   * local disk ({@link JudgeFn}).
   */
  public static final long EVENTS_PER_GROUP = 1 << 17;

  /** Groups for a Raw run of {@code rawLines} lines: a function of the input only. */
  public static int groupsFor(long rawLines) {
    return Parts.of(rawLines, EVENTS_PER_GROUP, MIN_GROUPS, MAX_GROUPS);
  }

  /**
   * The share of a worker's heap one group's judge holds before it sorts on local disk: a JVM judges
   * a group per slot (two on embedded Flink at parallelism 2).
   */
  static final int HEAP_SHARE = 4;

  private final int groups;
  private long heldBytes = SpillingSort.HELD_FROM_HEAP;

  /** The fewest groups: for a run whose size is not known. */
  public TypeBronze() {
    this(MIN_GROUPS);
  }

  /** In {@code groups} groups ({@link #groupsFor} the Raw run's lines). */
  public TypeBronze(int groups) {
    if (groups < 1 || groups > MAX_GROUPS) {
      throw new IllegalArgumentException("groups must be 1.." + MAX_GROUPS + ", got " + groups);
    }
    this.groups = groups;
  }

  /** Holds about {@code bytes} of a group before sorting it on local disk (default: {@link #HEAP_SHARE}). */
  public TypeBronze withSortHeldBytes(long bytes) {
    this.heldBytes = SpillingSort.checkHeld(bytes);
    return this;
  }

  @Override
  public PCollection<ParseRaw.Parsed> expand(PCollection<ParseRaw.Parsed> parsed) {
    return parsed
        .apply("KeyByEventIdGroup", ParDo.of(new KeyByGroupFn(groups)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ParseRaw.Parsed.Coder.of()))
        .apply("GroupByEventIdGroup", GroupInBatches.create())
        .apply("JudgeEventIdsSeenTwice", ParDo.of(new JudgeFn(heldBytes)))
        .setCoder(ParseRaw.Parsed.Coder.of());
  }

  /**
   * An event as the judge reads it: its fields in place, with where its first five start and end
   * (event_id, source file and line, day, and the SHA-256 of the line, which tells an identical
   * repeat from a conflict: {@code BronzeEvent.Coder}'s first fields). Event_ids are hashed and
   * compared as their UTF-8 bytes, which is how Bronze stores them; only the events whose hash
   * repeats in their group are compared, so an event seen once makes no String on its way
   * (docs/benchmarks/changes.md, "Fifty-fourth change").
   */
  public static final class Occurrence {
    /** By event_id, then in Raw order (file, then line): each event_id's kept occurrence first. */
    static final Comparator<Occurrence> BY_EVENT_ID = (a, b) -> {
      int c = Frame.compareAsStrings(a.fields, a.idAt, a.idEnd - a.idAt, b.fields, b.idAt, b.idEnd - b.idAt);
      if (c == 0) {
        c = Frame.compareAsStrings(a.fields, a.fileAt, a.fileEnd - a.fileAt, b.fields, b.fileAt, b.fileEnd - b.fileAt);
      }
      return c != 0 ? c : Long.compare(a.sourceLine, b.sourceLine);
    };

    private final byte[] fields; // the array the event's fields are in, at [at, at + length)
    private final int at;
    private final int length;
    private final int idAt;
    private final int idEnd;
    private final int fileAt;
    private final int fileEnd;
    private final long sourceLine;
    private final int digestAt;
    private final int digestEnd;

    private Occurrence(byte[] fields, int at, int length) throws IOException {
      this.fields = fields;
      this.at = at;
      this.length = length;
      Frame.Reader r = Frame.Reader.of(fields, at, length);
      idAt = r.fieldStart();
      idEnd = r.position();
      fileAt = r.fieldStart();
      fileEnd = r.position();
      sourceLine = r.varLong();
      r.varInt(); // the event's day
      digestAt = r.fieldStart();
      digestEnd = r.position();
    }

    /** The occurrence of a parsed event (not a failure), read in its fields. */
    static Occurrence of(ParseRaw.Parsed event) {
      byte[] fields = event.eventFields();
      return of(fields, 0, fields.length);
    }

    /**
     * The occurrence of a parsed event whose fields are copied into {@code held}, read there: a
     * group's events are held in blocks its judge reuses from group to group ({@link HeldBlocks}).
     */
    static Occurrence of(HeldBlocks held, ParseRaw.Parsed event) {
      byte[] fields = event.eventFields();
      held.add(fields);
      return of(held.array(), held.at(), fields.length);
    }

    private static Occurrence of(byte[] array, int at, int length) {
      try {
        return new Occurrence(array, at, length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("a parsed event's first fields do not decode", e);
      }
    }

    /** {@code eventId().hashCode()}, from the bytes (no String for an ASCII event_id). */
    int eventIdHash() {
      return Frame.stringHash(fields, idAt, idEnd - idAt);
    }

    boolean sameEventId(Occurrence o) {
      return Arrays.equals(fields, idAt, idEnd, o.fields, o.idAt, o.idEnd);
    }

    boolean sameLine(Occurrence o) {
      return Arrays.equals(fields, digestAt, digestEnd, o.fields, o.digestAt, o.digestEnd);
    }

    /** The event, with its fields copied out of where they are held: it leaves the judge. */
    ParseRaw.Parsed event() {
      return ParseRaw.Parsed.ofFields(Arrays.copyOfRange(fields, at, at + length));
    }

    public String eventId() {
      return new String(fields, idAt, idEnd - idAt, StandardCharsets.UTF_8);
    }

    public String sourceFile() {
      return new String(fields, fileAt, fileEnd - fileAt, StandardCharsets.UTF_8);
    }

    public long sourceLine() {
      return sourceLine;
    }

    public byte[] lineSha256() {
      return Arrays.copyOfRange(fields, digestAt, digestEnd);
    }

    /** An estimate of one held: its fields, and this object with its offsets. */
    long heapBytes() {
      return 112 + length;
    }

    /** The event alone goes to disk; where its fields are is read again from it. */
    static final class Coder extends AtomicCoder<Occurrence> {
      @Override
      public void encode(Occurrence o, OutputStream out) throws IOException {
        ParseRaw.Parsed.Coder.of().encode(o.event(), out);
      }

      @Override
      public Occurrence decode(InputStream in) throws IOException {
        return of(ParseRaw.Parsed.Coder.of().decode(in));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  /**
   * The quarantine record of {@code dropped}, an occurrence of the event_id kept at {@code kept}. Its
   * payload, the line, is read back from Raw where the quarantine is written ({@link RawPayloads}).
   */
  static Failure duplicate(Occurrence dropped, Occurrence kept) {
    String how = kept.sameLine(dropped) ? "identical to the kept line" : "content differs from the kept line";
    return Failure.payloadInRaw(STEP, Failure.DUPLICATE_EVENT_ID,
        "event_id " + dropped.eventId() + " already kept from " + kept.sourceFile() + ":" + kept.sourceLine() + "; "
            + how, dropped.sourceFile(), dropped.sourceLine(), dropped.lineSha256());
  }

  /** Each parsed event in the group of its event_id's hash; a failure, which has no event_id to repeat, by its position. */
  static class KeyByGroupFn extends DoFn<ParseRaw.Parsed, KV<Integer, ParseRaw.Parsed>> {
    private final int groups;

    KeyByGroupFn(int groups) {
      this.groups = groups;
    }

    @ProcessElement
    public void process(@Element ParseRaw.Parsed p, OutputReceiver<KV<Integer, ParseRaw.Parsed>> out) {
      Failure f = p.failure();
      int hash = f != null ? f.positionHash() : p.eventIdHash();
      out.output(KV.of(Math.floorMod(hash, groups), p));
    }
  }

  /**
   * Judges a group: its events sorted by event_id and Raw position, so that each event_id's come
   * together with the kept one first; only that one is held while the others are judged against it.
   * A group held whole sorts only its events that share a hash ({@link #sharingAHash}), and the
   * others leave as they come; a group larger than {@code heldBytes} is sorted in runs on the worker's
   * local disk ({@link SpillingSort}): the groups are sized by the Raw lines, but one event_id
   * repeated in very many lines (a producer that resends one event) puts all of them in one group.
   */
  static class JudgeFn extends DoFn<KV<Integer, Iterable<ParseRaw.Parsed>>, ParseRaw.Parsed> {
    private final long heldBytes;
    private transient long held;
    // The group's events' fields, copied into blocks kept from group to group (HeldBlocks).
    private transient HeldBlocks blocks;

    /** @param heldBytes estimated bytes of a group held before it is sorted on disk, or {@link SpillingSort#HELD_FROM_HEAP} */
    JudgeFn(long heldBytes) {
      this.heldBytes = SpillingSort.checkHeld(heldBytes);
    }

    @Setup
    public void setup() {
      held = SpillingSort.held(heldBytes, HEAP_SHARE);
      blocks = new HeldBlocks();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ParseRaw.Parsed>> group, OutputReceiver<ParseRaw.Parsed> out)
        throws IOException {
      try (SpillingSort<Occurrence> sort = SpillingSort.onLocalDisk(Occurrence.BY_EVENT_ID, new Occurrence.Coder(),
          Occurrence::heapBytes, held)) {
        long n = 0;
        int runs = 0;
        blocks.clear();
        for (ParseRaw.Parsed p : group.getValue()) {
          if (p.failure() != null) {
            out.output(p); // a line that failed to parse: on to quarantine as it is
          } else {
            sort.add(Occurrence.of(blocks, p));
            n++;
            if (sort.runs() != runs) { // what was held is on disk now: its blocks are free
              runs = sort.runs();
              blocks.clear();
            }
          }
        }
        List<Occurrence> whole = sort.heldWhole();
        if (whole != null) {
          List<Occurrence> candidates = sharingAHash(whole, out);
          candidates.sort(Occurrence.BY_EVENT_ID);
          judge(candidates.iterator(), out);
          return;
        }
        LOG.info("duplicates group {}: {} events, {}", group.getKey(), n, sort.spillNote("it"));
        judge(sort.sorted(), out);
      }
    }
  }

  /**
   * The events of a group held whole whose event_id's hash comes more than once in it, to be judged;
   * every other one is seen once and leaves at once as a survivor. Found by sorting the hashes as
   * numbers, so that only these few are sorted as events (a bench run has no duplicate at all).
   */
  static List<Occurrence> sharingAHash(List<Occurrence> group, DoFn.OutputReceiver<ParseRaw.Parsed> seenOnce) {
    int[] hashes = new int[group.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = group.get(i).eventIdHash();
    }
    int[] sorted = hashes.clone();
    Arrays.sort(sorted);
    int[] repeated = new int[sorted.length / 2];
    int r = 0;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1] && (r == 0 || repeated[r - 1] != sorted[i])) {
        repeated[r++] = sorted[i];
      }
    }
    List<Occurrence> candidates = new ArrayList<>();
    for (int i = 0; i < hashes.length; i++) {
      if (r > 0 && Arrays.binarySearch(repeated, 0, r, hashes[i]) >= 0) {
        candidates.add(group.get(i));
      } else {
        seenOnce.output(group.get(i).event().survivor(0));
      }
    }
    return candidates;
  }

  /**
   * Judges events sorted by event_id and position: the first of each event_id survives with the
   * count of the others, and each other one becomes its quarantine record.
   */
  static void judge(Iterator<Occurrence> sorted, DoFn.OutputReceiver<ParseRaw.Parsed> out) {
    Occurrence kept = null;
    int dropped = 0;
    while (sorted.hasNext()) {
      Occurrence o = sorted.next();
      if (kept != null && kept.sameEventId(o)) {
        StepCounters.quarantined(Failure.DUPLICATE_EVENT_ID).inc();
        out.output(ParseRaw.Parsed.of(duplicate(o, kept)));
        dropped++;
      } else {
        if (kept != null) {
          out.output(kept.event().survivor(dropped));
        }
        kept = o;
        dropped = 0;
      }
    }
    if (kept != null) {
      out.output(kept.event().survivor(dropped));
    }
  }
}
