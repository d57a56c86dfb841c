package co.pqrs.lakehouse.transforms.bronze;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Decides which parsed events become Bronze rows: one row per event_id. When an event_id appears
 * more than once, the first occurrence in Raw order (file, line) survives, recording how many were
 * dropped, and the others are quarantined as {@code duplicate_event_id}, saying whether their content
 * differs from the survivor's.
 *
 * <p>Only positions travel to decide it: each event's event_id, source position and a digest of its
 * line are grouped by a hash of the event_id, and the event_ids seen more than once, with their
 * occurrences in Raw order, become a side input ({@link Duplicated}) that {@link WriteBronze} applies
 * as it keys the events. The events themselves go through one shuffle (by day) instead of two,
 * and survivors drop their source line before it. The side input grows with the number of
 * duplicated event_ids (a few hundred bytes each on the heap): small for a real feed, as large as
 * the input's keys for a run that repeats every line.
 */
public class TypeBronze extends PTransform<PCollection<ParseRaw.Parsed>, PCollectionView<Map<String, List<TypeBronze.Occurrence>>>> {
  public static final String STEP = "TypeBronze";

  static final Comparator<Occurrence> RAW_ORDER =
      Comparator.comparing(Occurrence::sourceFile).thenComparingLong(Occurrence::sourceLine);

  /**
   * Occurrences are grouped into a fixed number of buckets by a hash of their event_id. A GroupByKey
   * over every event_id would be the textbook form, but the DirectRunner tracks a watermark hold per
   * key and slows to a crawl beyond ~10^5 keys. 16 buckets still spread the work over a small
   * cluster's slots.
   */
  public static final int BUCKETS = 16;

  static int bucketOf(String eventId) {
    return Math.floorMod(eventId.hashCode(), BUCKETS);
  }

  @Override
  public PCollectionView<Map<String, List<Occurrence>>> expand(PCollection<ParseRaw.Parsed> parsed) {
    return parsed
        .apply("OccurrenceOfEachEvent", ParDo.of(new OccurrenceFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), Occurrence.Coder.of())))
        .apply("GroupByEventIdBucket", GroupByKey.create())
        .apply("KeepEventIdsSeenTwice", ParDo.of(new SeenTwiceFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(Occurrence.Coder.of())))
        .apply("DuplicatedView", View.asMap());
  }

  /** Where an event_id occurred, and a SHA-256 of the line to tell identical repeats from conflicts. */
  public record Occurrence(String sourceFile, long sourceLine, byte[] lineSha256) {
    boolean isAt(BronzeEvent e) {
      return sourceLine == e.sourceLine() && sourceFile.equals(e.sourceFile());
    }

    public static final class Coder extends AtomicCoder<Occurrence> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Occurrence o, OutputStream out) throws IOException {
        StringUtf8Coder.of().encode(o.sourceFile(), out);
        VarLongCoder.of().encode(o.sourceLine(), out);
        ByteArrayCoder.of().encode(o.lineSha256(), out);
      }

      @Override
      public Occurrence decode(InputStream in) throws IOException {
        return new Occurrence(StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in),
            ByteArrayCoder.of().decode(in));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  /** Each parsed event's occurrence; failures have no event_id to repeat. */
  static class OccurrenceFn extends DoFn<ParseRaw.Parsed, KV<Integer, KV<String, Occurrence>>> {
    private transient MessageDigest sha256;

    @Setup
    public void setup() throws NoSuchAlgorithmException {
      sha256 = MessageDigest.getInstance("SHA-256");
    }

    @ProcessElement
    public void process(@Element ParseRaw.Parsed p, OutputReceiver<KV<Integer, KV<String, Occurrence>>> out) {
      BronzeEvent e = p.event();
      if (e == null) {
        return;
      }
      out.output(KV.of(bucketOf(e.eventId()),
          KV.of(e.eventId(), new Occurrence(e.sourceFile(), e.sourceLine(), sha256.digest(e.lineUtf8())))));
    }
  }

  static class SeenTwiceFn extends DoFn<KV<Integer, Iterable<KV<String, Occurrence>>>, KV<String, List<Occurrence>>> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, Occurrence>>> bucket,
        OutputReceiver<KV<String, List<Occurrence>>> out) {
      Map<String, List<Occurrence>> byId = new HashMap<>();
      for (KV<String, Occurrence> o : bucket.getValue()) {
        byId.computeIfAbsent(o.getKey(), k -> new ArrayList<>(1)).add(o.getValue());
      }
      // The view is a map: the order it is filled in does not reach any output.
      byId.forEach((id, all) -> {
        if (all.size() > 1) {
          all.sort(RAW_ORDER);
          out.output(KV.of(id, all));
        }
      });
    }
  }

  /** The event_ids seen more than once, as the side input gives them, and what that makes of an event. */
  public static final class Duplicated {
    private final Map<String, List<Occurrence>> byId;

    public Duplicated(Map<String, List<Occurrence>> byId) {
      this.byId = byId;
    }

    /**
     * The Bronze row of {@code e} (its duplicates counted, its line dropped), or null when it is an
     * occurrence of its event_id after the first, to quarantine with {@link #failure}.
     */
    public BronzeEvent rowOf(BronzeEvent e) {
      List<Occurrence> all = byId.isEmpty() ? null : byId.get(e.eventId());
      if (all == null) {
        return e.survivor(0);
      }
      return all.get(0).isAt(e) ? e.survivor(all.size() - 1) : null;
    }

    /** The quarantine record of a duplicate {@code e} (see {@link #rowOf}), which still carries its line. */
    public Failure failure(BronzeEvent e) {
      Occurrence kept = byId.get(e.eventId()).get(0);
      String how = Arrays.equals(kept.lineSha256(), sha256(e.lineUtf8()))
          ? "identical to the kept line"
          : "content differs from the kept line";
      return new Failure(STEP, Failure.DUPLICATE_EVENT_ID,
          "event_id " + e.eventId() + " already kept from " + kept.sourceFile() + ":" + kept.sourceLine() + "; " + how,
          e.sourceFile(), e.sourceLine(), e.line(), null);
    }

    private static byte[] sha256(byte[] bytes) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
      } catch (NoSuchAlgorithmException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }
}
