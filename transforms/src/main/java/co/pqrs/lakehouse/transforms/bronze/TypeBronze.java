package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.GroupInBatches;
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
 * differs from the survivor's.
 *
 * <p>Only positions travel to decide it: each event's event_id, source position and a digest of its
 * line are grouped by a hash of the event_id, and the verdicts on the positions of duplicated
 * event_ids leave as chunks of {@link Duplicates}. {@link WriteBronze} reads them as a side input
 * (merged where they are read) and applies them as it keys the events: the events themselves go
 * through one shuffle (by day) instead of two, and survivors drop their line's digest before it. The
 * side input holds positions as numbers, 20 bytes each, as chunks plus one merged copy that the tasks
 * of a JVM share: next to nothing for a real feed. A run with more verdicts than a worker should
 * hold (a Raw day delivered twice) is judged by a shuffle of the events instead
 * ({@link WriteBronze#HELD_VERDICT_BYTES}).
 */
public class TypeBronze extends PTransform<PCollection<ParseRaw.Parsed>, PCollection<Duplicates>> {
  public static final String STEP = "TypeBronze";

  /**
   * Occurrences are grouped into buckets by a hash of their event_id. A GroupByKey over every event_id
   * would be the textbook form, but the DirectRunner tracks a watermark hold per key and slows to a
   * crawl beyond ~10^5 keys. 16 buckets still spread the work over a small cluster's slots; 256 cost
   * 2-5 s more of Bronze's 65-68 s of CPU in three A/B runs at 5 M events.
   */
  public static final int MIN_BUCKETS = 16;
  static final int MAX_BUCKETS = 1 << 14;

  /**
   * Occurrences a bucket is sized for: a bucket's are held in memory while its duplicates are judged,
   * about 200 bytes each by estimate (330 before they were held as bytes), up to {@link #HEAP_SHARE}
   * of the heap (the 5.2 M-event run with every line three times, 980,000 a bucket in 16 buckets, ran
   * out of a 640 MB heap there before buckets grew with the input). 10 x 2^16, so that up to 10.5 M
   * Raw lines keep the 16 buckets the A/B runs chose. One event_id's lines all go to one bucket, however many: past the share, the
   * bucket is sorted on local disk ({@link SeenTwiceFn}).
   */
  public static final long OCCURRENCES_PER_BUCKET = 655_360;

  /** Buckets for a Raw run of {@code rawLines} lines: a function of the input only. */
  public static int bucketsFor(long rawLines) {
    return Parts.of(rawLines, OCCURRENCES_PER_BUCKET, MIN_BUCKETS, MAX_BUCKETS);
  }

  /**
   * The share of a worker's heap one bucket's judge holds before it sorts on local disk: a JVM judges
   * a bucket per slot (two on embedded Flink at parallelism 2). A quarter of a 1 GB heap holds the
   * 655,360 occurrences a bucket is sized for, so a bucket of any bench run fits.
   */
  static final int HEAP_SHARE = 4;

  private final int buckets;
  private long heldBytes = SpillingSort.HELD_FROM_HEAP;

  /** The fewest buckets: for a run whose size is not known. */
  public TypeBronze() {
    this(MIN_BUCKETS);
  }

  /** In {@code buckets} buckets ({@link #bucketsFor} the Raw run's lines). */
  public TypeBronze(int buckets) {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("buckets must be 1.." + MAX_BUCKETS + ", got " + buckets);
    }
    this.buckets = buckets;
  }

  /** Holds about {@code bytes} of a bucket before sorting it on local disk (default: {@link #HEAP_SHARE}). */
  public TypeBronze withSortHeldBytes(long bytes) {
    this.heldBytes = SpillingSort.checkHeld(bytes);
    return this;
  }

  @Override
  public PCollection<Duplicates> expand(PCollection<ParseRaw.Parsed> parsed) {
    return parsed
        .apply("OccurrenceOfEachEvent", ParDo.of(new OccurrenceFn(buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), Occurrence.Coder.of()))
        .apply("GroupByEventIdBucket", GroupInBatches.create())
        .apply("JudgeEventIdsSeenTwice", ParDo.of(new SeenTwiceFn(heldBytes)))
        .setCoder(Duplicates.Coder.of());
  }

  /**
   * Where an event_id occurred: the first fields of its event's encoding (event_id, source file and
   * line, day, and the SHA-256 of the line, which tells an identical repeat from a conflict), as
   * {@link BronzeEvent.Coder#writeOccurrence} wrote them. They cross the position grouping as the
   * bytes they are, one per parsed event (taken from the event's fields without a copy: only they are
   * encoded), and are read in place: the judge hashes every event_id's
   * bytes and compares only the occurrences whose hash repeats, so an event seen once makes no String
   * on its way (docs/benchmarks/changes.md, "Fifty-fourth change"). Event_ids are compared as their
   * UTF-8 bytes, which is how Bronze stores them.
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

    private final byte[] fields; // starting with the five; an event's whole fields, or just the five
    private final int idAt;
    private final int idEnd;
    private final int fileAt;
    private final int fileEnd;
    private final long sourceLine;
    private final int digestAt;
    private final int end; // where the five end

    private Occurrence(byte[] fields) throws IOException {
      this.fields = fields;
      Frame.Reader r = Frame.Reader.of(fields);
      idAt = r.fieldStart();
      idEnd = r.position();
      fileAt = r.fieldStart();
      fileEnd = r.position();
      sourceLine = r.varLong();
      r.varInt(); // the event's day
      digestAt = r.fieldStart();
      end = r.position();
    }

    /** The occurrence of a parsed event (not a failure): the first five of its fields, in place. */
    static Occurrence of(ParseRaw.Parsed event) {
      try {
        return new Occurrence(event.eventFields());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("a parsed event's first fields do not decode", e);
      }
    }

    /** An occurrence written from its parts (the day left 0: the judge does not read it). */
    static Occurrence of(String eventId, String sourceFile, long sourceLine, byte[] lineSha256) {
      try {
        return new Occurrence(BronzeEvent.Coder.writeOccurrence(eventId, sourceFile, sourceLine, 0, lineSha256,
            new Frame.Writer()).toByteArray());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
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
      return Arrays.equals(fields, digestAt, end, o.fields, o.digestAt, o.end);
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
      return Arrays.copyOfRange(fields, digestAt, end);
    }

    /** An estimate of one held (as decoded: its five fields only): the object with its offsets, and the array. */
    long heapBytes() {
      return 64 + fields.length;
    }

    /** The five fields as they are, framed. */
    public static final class Coder extends AtomicCoder<Occurrence> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Occurrence o, OutputStream out) throws IOException {
        Frame.encode(o, out, (v, w) -> w.raw(v.fields, 0, v.end));
      }

      @Override
      public Occurrence decode(InputStream in) throws IOException {
        return Frame.decode(in, r -> {
          Occurrence o = new Occurrence(r.rest());
          if (o.end != o.fields.length) {
            throw new IOException("an occurrence has " + (o.fields.length - o.end) + " bytes after its fields");
          }
          return o;
        });
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  /** Each parsed event's occurrence, in the bucket of its event_id's hash; failures have no event_id to repeat. */
  static class OccurrenceFn extends DoFn<ParseRaw.Parsed, KV<Integer, Occurrence>> {
    private final int buckets;

    OccurrenceFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element ParseRaw.Parsed p, OutputReceiver<KV<Integer, Occurrence>> out) {
      if (p.failure() != null) {
        return;
      }
      Occurrence o = Occurrence.of(p);
      out.output(KV.of(Math.floorMod(o.eventIdHash(), buckets), o));
    }
  }

  /**
   * The most verdicts one element of the side input holds: Flink's batch runner refuses a record
   * larger than its sort buffer (about 50 MB here), and a run that repeats every line has millions.
   */
  static final int CHUNK = 1 << 16;

  /**
   * A bucket's duplicated event_ids, judged: its kept and dropped positions, in chunks. The bucket's
   * occurrences are sorted by event_id and Raw position, so that each event_id's come together with
   * the kept one first; only that one is held while the others are judged against it. A bucket held
   * whole sorts only its occurrences that share a hash ({@link #sharingAHash}); a bucket larger than
   * {@code heldBytes} is sorted in runs on the worker's local disk ({@link SpillingSort}): the buckets
   * are sized by the Raw lines, but one event_id repeated in very many lines (a producer that resends
   * one event) puts all of them in one bucket.
   */
  static class SeenTwiceFn extends DoFn<KV<Integer, Iterable<Occurrence>>, Duplicates> {
    private static final Logger LOG = LoggerFactory.getLogger(SeenTwiceFn.class);

    private final long heldBytes;
    private transient long held;

    /** @param heldBytes estimated bytes of a bucket held before it is sorted on disk, or {@link SpillingSort#HELD_FROM_HEAP} */
    SeenTwiceFn(long heldBytes) {
      this.heldBytes = SpillingSort.checkHeld(heldBytes);
    }

    @Setup
    public void setup() {
      held = SpillingSort.held(heldBytes, HEAP_SHARE);
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Occurrence>> bucket, OutputReceiver<Duplicates> out)
        throws IOException {
      try (SpillingSort<Occurrence> sort = SpillingSort.onLocalDisk(Occurrence.BY_EVENT_ID, Occurrence.Coder.of(),
          Occurrence::heapBytes, held)) {
        long n = 0;
        for (Occurrence o : bucket.getValue()) {
          sort.add(o);
          n++;
        }
        List<Occurrence> whole = sort.heldWhole();
        if (whole != null) {
          List<Occurrence> candidates = sharingAHash(whole);
          candidates.sort(Occurrence.BY_EVENT_ID);
          judge(candidates.iterator(), out);
          return;
        }
        LOG.info("duplicates bucket {}: {} occurrences, {}", bucket.getKey(), n, sort.spillNote("it"));
        judge(sort.sorted(), out);
      }
    }

    /**
     * The occurrences of a bucket held whole whose event_id's hash comes more than once in it: an
     * event_id seen once has no verdict, and one seen twice shares its hash. Found by sorting the
     * hashes as numbers, so that only these few are sorted as occurrences (a bench run has no
     * duplicate at all, and sorting every occurrence was 7 % of Bronze's profile samples at 5 M events).
     */
    static List<Occurrence> sharingAHash(List<Occurrence> bucket) {
      int[] hashes = new int[bucket.size()];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = bucket.get(i).eventIdHash();
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
      List<Occurrence> out = new ArrayList<>();
      for (int i = 0; i < hashes.length && r > 0; i++) {
        if (Arrays.binarySearch(repeated, 0, r, hashes[i]) >= 0) {
          out.add(bucket.get(i));
        }
      }
      return out;
    }

    /**
     * Judges occurrences sorted by event_id and position. A chunk is cut wherever it is full, inside
     * an event_id too: the chunks are merged and sorted by position where they are read
     * ({@link Duplicates#merge}), so how verdicts fall into chunks reaches no output.
     */
    static void judge(Iterator<Occurrence> sorted, OutputReceiver<Duplicates> out) {
      Duplicates.Builder judged = new Duplicates.Builder();
      Occurrence kept = null;
      String keptFile = null;
      int dropped = 0;
      while (sorted.hasNext()) {
        Occurrence o = sorted.next();
        if (kept != null && kept.sameEventId(o)) {
          judged.dropped(o.sourceFile(), o.sourceLine(), keptFile, kept.sourceLine(), kept.sameLine(o));
          dropped++;
        } else {
          if (dropped > 0) {
            judged.kept(keptFile, kept.sourceLine(), dropped);
          }
          kept = o;
          keptFile = o.sourceFile();
          dropped = 0;
        }
        if (judged.size() >= CHUNK) {
          out.output(judged.build());
          judged = new Duplicates.Builder();
        }
      }
      if (dropped > 0) {
        judged.kept(keptFile, kept.sourceLine(), dropped);
      }
      if (judged.size() > 0) {
        out.output(judged.build());
      }
    }
  }
}
