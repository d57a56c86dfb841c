package co.pqrs.lakehouse.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A {@link GroupByKey} whose shuffle carries batches of values instead of single values: each task
 * gathers up to {@link #BATCH} values of a key before they cross, and the grouped batches are handed
 * on as one {@code Iterable} per key, as a plain grouping would.
 *
 * <p>Why: Flink's batch translation of a grouping sorts its records with Beam's encoded keys, which
 * offer Flink no normalized key, so every comparison of the sort decodes both records' keys, and
 * every record also carries its key twice and its window, timestamp and pane. Those costs are per
 * record; with a few hundred events a record they are paid a few hundred times less. A batch
 * crosses as the bytes of its values, encoded once where it is made and decoded once where it is
 * read: Beam's serializer for Flink copies a record by decoding and encoding it again, and the
 * sort copies every record as it takes it in and again as it spills, so values the runner sees as
 * objects were decoded and encoded two or three times more on their way through the grouping.
 * The order of a key's values is unspecified, as with any grouping.
 *
 * <p>Only for the global window (the layers' batch pipelines), with a key coder consistent with
 * {@code equals}, as the batches are gathered in a hash map.
 */
public class GroupInBatches<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, Iterable<V>>>> {
  /** Values a batch holds: enough that the per-record costs vanish, few enough to stay small. */
  public static final int BATCH = 256;
  /** Values a task holds across all its keys' open batches before it sends them all. */
  static final int MAX_HELD = 1 << 15;

  private final int batch;
  private final int maxHeld;

  private GroupInBatches(int batch, int maxHeld) {
    if (batch < 1 || maxHeld < batch) {
      throw new IllegalArgumentException("batch must be >= 1 and maxHeld >= batch, got " + batch + " and " + maxHeld);
    }
    this.batch = batch;
    this.maxHeld = maxHeld;
  }

  public static <K, V> GroupInBatches<K, V> create() {
    return new GroupInBatches<>(BATCH, MAX_HELD);
  }

  /** With other sizes (tests use small ones so that batches fill and overflow). */
  public static <K, V> GroupInBatches<K, V> of(int batch, int maxHeld) {
    return new GroupInBatches<>(batch, maxHeld);
  }

  @Override
  public PCollection<KV<K, Iterable<V>>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("GroupInBatches needs the global window, got "
          + input.getWindowingStrategy().getWindowFn());
    }
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException("GroupInBatches needs a KvCoder, got " + input.getCoder());
    }
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    Coder<K> keyCoder = coder.getKeyCoder();
    if (!keyCoder.consistentWithEquals()) {
      throw new IllegalArgumentException("GroupInBatches needs a key coder consistent with equals, got " + keyCoder);
    }
    ListCoder<V> batchCoder = ListCoder.of(coder.getValueCoder());
    return input
        .apply("BatchPerKey", ParDo.of(new BatchFn<K, V>(batch, maxHeld, batchCoder)))
        .setCoder(KvCoder.of(keyCoder, ByteArrayCoder.of()))
        .apply("GroupBatches", GroupByKey.create())
        .apply("Unbatch", ParDo.of(new UnbatchFn<K, V>(batchCoder)))
        .setCoder(KvCoder.of(keyCoder, IterableCoder.of(coder.getValueCoder())));
  }

  /**
   * Gathers values per key; a full batch leaves at once, the rest when the bundle ends, each as the
   * bytes of its list of values.
   */
  static class BatchFn<K, V> extends DoFn<KV<K, V>, KV<K, byte[]>> {
    private final int batch;
    private final int maxHeld;
    private final ListCoder<V> batchCoder;
    private transient Map<K, List<V>> open;
    private transient int held;
    private transient Frame.Writer bytes;

    BatchFn(int batch, int maxHeld, ListCoder<V> batchCoder) {
      this.batch = batch;
      this.maxHeld = maxHeld;
      this.batchCoder = batchCoder;
    }

    /** The bytes of {@code values} as {@code batchCoder} writes them. */
    private byte[] encode(List<V> values) {
      if (bytes == null) {
        bytes = new Frame.Writer();
      }
      try {
        batchCoder.encode(values, bytes.clear().stream());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode a batch of " + values.size() + " values", e);
      }
      return Arrays.copyOf(bytes.array(), bytes.size());
    }

    @StartBundle
    public void startBundle() {
      open = new LinkedHashMap<>();
      held = 0;
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<K, byte[]>> out) {
      List<V> values = open.computeIfAbsent(kv.getKey(), k -> new ArrayList<>(Math.min(batch, 16)));
      values.add(kv.getValue());
      held++;
      if (values.size() >= batch) {
        open.remove(kv.getKey());
        held -= values.size();
        out.output(KV.of(kv.getKey(), encode(values)));
      } else if (held >= maxHeld) {
        // Many keys with part-filled batches: send them all rather than hold more.
        open.forEach((k, v) -> out.output(KV.of(k, encode(v))));
        open.clear();
        held = 0;
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      open.forEach((k, v) -> c.output(KV.of(k, encode(v)), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      open.clear();
      held = 0;
    }
  }

  /**
   * A key's batches, handed on as one iterable of its values, read through once as they come: a
   * batch is decoded when the reader reaches it.
   */
  static class UnbatchFn<K, V> extends DoFn<KV<K, Iterable<byte[]>>, KV<K, Iterable<V>>> {
    private final ListCoder<V> batchCoder;

    UnbatchFn(ListCoder<V> batchCoder) {
      this.batchCoder = batchCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<byte[]>> group, OutputReceiver<KV<K, Iterable<V>>> out) {
      Iterable<byte[]> batches = group.getValue();
      out.output(KV.of(group.getKey(), () -> new Flattening<>(new Decoding<>(batches.iterator(), batchCoder))));
    }
  }

  /** Batches decoded one at a time, as they are reached. */
  static final class Decoding<V> implements Iterator<List<V>> {
    private final Iterator<byte[]> batches;
    private final ListCoder<V> batchCoder;

    Decoding(Iterator<byte[]> batches, ListCoder<V> batchCoder) {
      this.batches = batches;
      this.batchCoder = batchCoder;
    }

    @Override
    public boolean hasNext() {
      return batches.hasNext();
    }

    @Override
    public List<V> next() {
      byte[] b = batches.next();
      try {
        ByteArrayInputStream in = new ByteArrayInputStream(b);
        List<V> values = batchCoder.decode(in);
        if (in.available() != 0) {
          throw new IOException(in.available() + " of its " + b.length + " bytes left unread");
        }
        return values;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot decode a batch of " + b.length + " bytes", e);
      }
    }
  }

  /** The values of a sequence of lists, in order. */
  static final class Flattening<V> implements Iterator<V> {
    private final Iterator<List<V>> lists;
    private Iterator<V> current = Collections.emptyIterator();

    Flattening(Iterator<List<V>> lists) {
      this.lists = lists;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (!lists.hasNext()) {
          return false;
        }
        current = lists.next().iterator();
      }
      return true;
    }

    @Override
    public V next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }
}
