package co.pqrs.lakehouse.transforms.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/** GroupInBatches groups as GroupByKey does, whatever the batch sizes, and its batches follow their rules. */
public class GroupInBatchesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  /** Keys with no, one, exactly a batch of, and many values; repeated values; an empty string value. */
  private static List<KV<Integer, String>> fixture() {
    List<KV<Integer, String>> in = new ArrayList<>();
    in.add(KV.of(1, "only"));
    for (int i = 0; i < 3; i++) {
      in.add(KV.of(2, "full-" + i));
    }
    for (int i = 0; i < 40; i++) {
      in.add(KV.of(3, "many-" + (i % 17)));
    }
    in.add(KV.of(4, ""));
    in.add(KV.of(-7, "negative key"));
    return in;
  }

  /** Each key's values, sorted, joined: a grouping's result without its unspecified order. */
  private static PCollection<String> sortedGroups(PCollection<KV<Integer, Iterable<String>>> grouped, String name) {
    return grouped.apply(name, MapElements.into(TypeDescriptors.strings()).via(kv -> {
      List<String> values = new ArrayList<>();
      kv.getValue().forEach(values::add);
      values.sort(null);
      return kv.getKey() + "=" + String.join(",", values);
    }));
  }

  @Test
  public void groupsAsGroupByKeyDoesWithBatchesThatFillAndOverflow() {
    PCollection<KV<Integer, String>> in = pipeline.apply(Create.of(fixture())
        .withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())));
    PCollection<String> plain = sortedGroups(in.apply("Plain", GroupByKey.create()), "PlainSorted");
    // Batches that fill by count (3 values), and batches that fill by bytes (16) with a task holding
    // at most 40 bytes, so that in the test's bundles batches both fill and are sent before they do.
    PCollection<String> small = sortedGroups(in.apply("Small", GroupInBatches.of(3, 1 << 20, 1 << 20)), "SmallSorted");
    PCollection<String> bytes = sortedGroups(in.apply("Bytes", GroupInBatches.of(1000, 16, 40)), "BytesSorted");
    PCollection<String> defaults = sortedGroups(in.apply("Defaults", GroupInBatches.create()), "DefaultsSorted");

    List<String> expected = new ArrayList<>();
    Map<Integer, List<String>> byKey = new TreeMap<>();
    fixture().forEach(kv -> byKey.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue()));
    byKey.forEach((k, v) -> {
      v.sort(null);
      expected.add(k + "=" + String.join(",", v));
    });
    PAssert.that(plain).containsInAnyOrder(expected);
    PAssert.that(small).containsInAnyOrder(expected);
    PAssert.that(bytes).containsInAnyOrder(expected);
    PAssert.that(defaults).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  private static final VarIntCoder VALUES = VarIntCoder.of();

  /** Collects what a BatchFn sends, decoded, from its element calls and from its bundle's end alike. */
  private static final class Sent implements DoFn.OutputReceiver<KV<String, byte[]>> {
    final List<KV<String, List<Integer>>> batches = new ArrayList<>();

    private void add(KV<String, byte[]> kv) {
      batches.add(KV.of(kv.getKey(), GroupInBatches.decode(kv.getValue(), VALUES)));
    }

    @Override
    public void output(KV<String, byte[]> kv) {
      add(kv);
    }

    @Override
    public void outputWithTimestamp(KV<String, byte[]> kv, Instant ts) {
      add(kv);
    }

    DoFn<KV<String, Integer>, KV<String, byte[]>>.FinishBundleContext atEnd(
        GroupInBatches.BatchFn<String, Integer> fn) {
      return fn.new FinishBundleContext() {
        @Override
        public PipelineOptions getPipelineOptions() {
          return null;
        }

        @Override
        public void output(KV<String, byte[]> kv, Instant ts, BoundedWindow w) {
          add(kv);
        }

        @Override
        public <T> void output(TupleTag<T> tag, T out, Instant ts, BoundedWindow w) {
          throw new AssertionError("BatchFn has one output");
        }
      };
    }
  }

  @Test
  public void aFullBatchLeavesAtOnceTooManyHeldLeaveTogetherAndTheRestAtTheBundlesEnd() {
    // Values below 128 take one byte each: three make a batch by count, five held bytes send them all.
    GroupInBatches.BatchFn<String, Integer> fn = new GroupInBatches.BatchFn<>(3, 4, 5, VALUES);
    Sent sent = new Sent();
    fn.startBundle();
    fn.process(KV.of("a", 1), sent);
    fn.process(KV.of("a", 2), sent);
    assertTrue("a part-filled batch waits", sent.batches.isEmpty());
    fn.process(KV.of("a", 3), sent);
    assertEquals(List.of(KV.of("a", List.of(1, 2, 3))), sent.batches);

    // Five keys with one value (byte) each: the fifth held byte sends all five batches.
    for (String k : List.of("b", "c", "d", "e")) {
      fn.process(KV.of(k, 10), sent);
    }
    assertEquals(1, sent.batches.size());
    fn.process(KV.of("f", 10), sent);
    assertEquals(6, sent.batches.size());
    assertEquals(List.of("b", "c", "d", "e", "f"),
        sent.batches.subList(1, 6).stream().map(KV::getKey).toList());

    fn.process(KV.of("g", 7), sent);
    fn.process(KV.of("g", 8), sent);
    assertEquals(6, sent.batches.size());
    fn.finishBundle(sent.atEnd(fn));
    assertEquals(KV.of("g", List.of(7, 8)), sent.batches.get(6));
    assertEquals(7, sent.batches.size());

    // A new bundle starts empty: nothing of the last one is sent again.
    fn.startBundle();
    fn.finishBundle(sent.atEnd(fn));
    assertEquals(7, sent.batches.size());
  }

  @Test
  public void aBatchLeavesWhenItsBytesReachTheLimitHoweverFewItsValues() {
    GroupInBatches.BatchFn<String, Integer> fn = new GroupInBatches.BatchFn<>(100, 4, 100, VALUES);
    Sent sent = new Sent();
    fn.startBundle();
    fn.process(KV.of("a", 1), sent);
    assertTrue(sent.batches.isEmpty());
    fn.process(KV.of("a", -1), sent); // a negative int takes five bytes: six in the batch
    assertEquals(List.of(KV.of("a", List.of(1, -1))), sent.batches);
    fn.process(KV.of("a", Integer.MIN_VALUE), sent); // one value over the limit leaves alone
    assertEquals(KV.of("a", List.of(Integer.MIN_VALUE)), sent.batches.get(1));
    fn.finishBundle(sent.atEnd(fn));
    assertEquals(2, sent.batches.size());
  }

  @Test
  public void aBatchIsDecodedWhenReachedAndItsBytesMustBeWholeValues() throws Exception {
    // Empty batches (none is sent, but the reader does not rely on it) are skipped, wherever they are.
    List<byte[]> batches = List.of(new byte[0], concat(1, 2), new byte[0], new byte[0], concat(3), new byte[0]);
    Iterator<Integer> values = new GroupInBatches.Unbatched<>(batches.iterator(), VALUES);
    List<Integer> read = new ArrayList<>();
    while (values.hasNext()) {
      read.add(values.next());
    }
    assertEquals(List.of(1, 2, 3), read);
    assertFalse(values.hasNext());
    assertThrows(NoSuchElementException.class, values::next);

    byte[] cut = java.util.Arrays.copyOf(concat(7, -1), 3); // the second value cut short
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> GroupInBatches.decode(cut, VALUES));
    assertTrue(e.getMessage(), e.getMessage().contains("cannot decode a batch of 3 bytes (value 2)"));
  }

  /** Values encoded one after the other, as a batch holds them. */
  private static byte[] concat(int... values) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int v : values) {
      VALUES.encode(v, out);
    }
    return out.toByteArray();
  }

  /** Applying GroupInBatches to {@code in} fails at once, saying {@code why}. */
  private <K, V> void assertRefused(PCollection<KV<K, V>> in, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> in.apply(GroupInBatches.<K, V>create()));
    assertTrue(e.getMessage(), e.getMessage().contains(why));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void refusesWindowsOtherThanTheGlobalOne() {
    assertRefused(pipeline
        .apply(Create.of(KV.of(1, "x")).withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1)))), "needs the global window");
  }

  @Test
  public void refusesAKeyCoderInconsistentWithEquals() {
    assertRefused(pipeline.apply(Create.of(KV.of(new byte[] {1}, "x"))
        .withCoder(KvCoder.of(ByteArrayCoder.of(), StringUtf8Coder.of()))), "consistent with equals");
  }

  @Test
  public void refusesSizesThatCannotHoldABatch() {
    assertThrows(IllegalArgumentException.class, () -> GroupInBatches.of(0, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> GroupInBatches.of(10, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> GroupInBatches.of(10, 10, 9));
  }
}
