package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.metrics.StepCounters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Makes parsed events Bronze rows: one row per event_id. When an event_id appears more than once,
 * the first occurrence in Raw order (file, line) survives and the others go to {@link #DUPLICATES}
 * as {@code duplicate_event_id}, saying whether their content differs from the survivor's.
 */
public class TypeBronze extends PTransform<PCollection<BronzeEvent>, PCollectionTuple> {
  public static final String STEP = "TypeBronze";
  public static final TupleTag<BronzeEvent> EVENTS = new TupleTag<>() {};
  public static final TupleTag<Failure> DUPLICATES = new TupleTag<>() {};

  static final Comparator<BronzeEvent> RAW_ORDER =
      Comparator.comparing(BronzeEvent::sourceFile).thenComparingLong(BronzeEvent::sourceLine);

  /**
   * Events are grouped into a fixed number of buckets by a hash of their event_id, and de-duplicated
   * inside each bucket. A GroupByKey over every event_id would be the textbook form, but the
   * DirectRunner tracks a watermark hold per key and slows to a crawl beyond ~10^5 keys. The count is
   * small on purpose: the DirectRunner emits one bundle per key, and the next grouping (by day) copies
   * its per-key state once per incoming bundle, so 512 buckets cost ~30x more than 16 there. 16
   * buckets still spread the work over a small cluster's slots.
   */
  public static final int BUCKETS = 16;

  static int bucketOf(String eventId) {
    return Math.floorMod(eventId.hashCode(), BUCKETS);
  }

  @Override
  public PCollectionTuple expand(PCollection<BronzeEvent> events) {
    PCollectionTuple out = events
        .apply("KeyByEventIdBucket",
            WithKeys.of((BronzeEvent e) -> bucketOf(e.eventId())).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), BronzeEvent.Coder.of()))
        .apply("GroupByBucket", GroupByKey.create())
        .apply("KeepFirstOccurrence",
            ParDo.of(new DedupFn()).withOutputTags(EVENTS, TupleTagList.of(DUPLICATES)));
    out.get(EVENTS).setCoder(BronzeEvent.Coder.of());
    out.get(DUPLICATES).setCoder(Failure.Coder.of());
    return out;
  }

  static class DedupFn extends DoFn<KV<Integer, Iterable<BronzeEvent>>, BronzeEvent> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<BronzeEvent>> bucket, MultiOutputReceiver out) {
      Map<String, List<BronzeEvent>> byId = new TreeMap<>();
      for (BronzeEvent e : bucket.getValue()) {
        byId.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(e);
      }
      for (List<BronzeEvent> all : byId.values()) {
        all.sort(RAW_ORDER);
        BronzeEvent keep = all.get(0);
        for (BronzeEvent dup : all.subList(1, all.size())) {
          String how = java.util.Arrays.equals(dup.lineUtf8(), keep.lineUtf8())
              ? "identical to the kept line"
              : "content differs from the kept line";
          StepCounters.quarantined(Failure.DUPLICATE_EVENT_ID).inc();
          out.get(DUPLICATES).output(new Failure(STEP, Failure.DUPLICATE_EVENT_ID,
              "event_id " + keep.eventId() + " already kept from " + keep.sourceFile() + ":" + keep.sourceLine()
                  + "; " + how,
              dup.sourceFile(), dup.sourceLine(), dup.line(), null));
        }
        out.get(EVENTS).output(keep.survivor(all.size() - 1));
      }
    }
  }
}
