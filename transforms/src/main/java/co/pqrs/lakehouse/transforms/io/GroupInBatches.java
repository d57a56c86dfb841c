package co.pqrs.lakehouse.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
 * gathers up to {@link #BATCH} values of a key (or {@link #BATCH_BYTES} bytes of them) before they
 * cross, and the grouped batches are handed on as one {@code Iterable} per key, as a plain grouping
 * would.
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
  /**
   * Bytes after which a batch leaves however few values it has: a quarantined line can be 1 MiB,
   * and a batch of such lines must stay far below the largest record Flink's sort takes (about 50
   * MB here) and the heap of a small JVM.
   */
  static final int BATCH_BYTES = 1 << 20;
  /** Bytes a task holds across all its keys' open batches before it sends them all. */
  static final long HELD_BYTES = 32L << 20;

  private final int batch;
  private final int batchBytes;
  private final long heldBytes;

  private GroupInBatches(int batch, int batchBytes, long heldBytes) {
    if (batch < 1 || batchBytes < 1 || heldBytes < batchBytes) {
      throw new IllegalArgumentException("batch and batchBytes must be >= 1 and heldBytes >= batchBytes, got "
          + batch + ", " + batchBytes + " and " + heldBytes);
    }
    this.batch = batch;
    this.batchBytes = batchBytes;
    this.heldBytes = heldBytes;
  }

  public static <K, V> GroupInBatches<K, V> create() {
    return new GroupInBatches<>(BATCH, BATCH_BYTES, HELD_BYTES);
  }

  /** With other sizes: the tests' small ones, so that batches fill and overflow. */
  static <K, V> GroupInBatches<K, V> of(int batch, int batchBytes, long heldBytes) {
    return new GroupInBatches<>(batch, batchBytes, heldBytes);
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
    Coder<V> valueCoder = coder.getValueCoder();
    return input
        .apply("BatchPerKey", ParDo.of(new BatchFn<K, V>(batch, batchBytes, heldBytes, valueCoder)))
        .setCoder(KvCoder.of(keyCoder, ByteArrayCoder.of()))
        .apply("GroupBatches", GroupByKey.create())
        .apply("Unbatch", ParDo.of(new UnbatchFn<K, V>(valueCoder)))
        .setCoder(KvCoder.of(keyCoder, IterableCoder.of(valueCoder)));
  }

  /** The values of a batch's bytes: their encodings one after the other, as {@link BatchFn} writes them. */
  static <V> List<V> decode(byte[] batch, Coder<V> valueCoder) {
    ByteArrayInputStream in = new ByteArrayInputStream(batch);
    List<V> values = new ArrayList<>();
    try {
      while (in.available() > 0) {
        values.add(valueCoder.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a batch of " + batch.length + " bytes (value "
          + (values.size() + 1) + "): " + e.getMessage(), e);
    }
    return values;
  }

  /**
   * Encodes each value as it comes into its key's open batch; a batch leaves when it has
   * {@code batch} values or {@code batchBytes} bytes, all of them when the open batches hold
   * {@code heldBytes}, and the rest when the bundle ends. Values are held as bytes, not objects.
   */
  static class BatchFn<K, V> extends DoFn<KV<K, V>, KV<K, byte[]>> {
    private final int batch;
    private final int batchBytes;
    private final long heldBytes;
    private final Coder<V> valueCoder;
    private transient Map<K, Open> open;
    private transient long held;
    // The size of the last batch sent: a new batch starts with room for about as much, rather than
    // doubling its buffer up to it; at most MAX_START, as a key may get few values and a task may
    // have a thousand keys open (16 MB of room at most).
    private transient int lastBytes;
    private static final int MAX_START = 16 << 10;

    /** A key's open batch: its values' bytes so far. */
    private static final class Open {
      final Frame.Writer bytes;
      int values;

      Open(int capacity) {
        bytes = new Frame.Writer(capacity);
      }
    }

    BatchFn(int batch, int batchBytes, long heldBytes, Coder<V> valueCoder) {
      this.batch = batch;
      this.batchBytes = batchBytes;
      this.heldBytes = heldBytes;
      this.valueCoder = valueCoder;
    }

    @StartBundle
    public void startBundle() {
      open = new LinkedHashMap<>();
      held = 0;
    }

    @ProcessElement
    public void process(@Element KV<K, V> kv, OutputReceiver<KV<K, byte[]>> out) {
      Open b = open.computeIfAbsent(kv.getKey(), k -> new Open(Math.min(MAX_START, lastBytes + lastBytes / 8)));
      int before = b.bytes.size();
      try {
        valueCoder.encode(kv.getValue(), b.bytes.stream());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode a value of key " + kv.getKey(), e);
      }
      b.values++;
      held += b.bytes.size() - before;
      if (b.values >= batch || b.bytes.size() >= batchBytes) {
        open.remove(kv.getKey());
        held -= b.bytes.size();
        out.output(KV.of(kv.getKey(), bytesOf(b)));
      } else if (held >= heldBytes) {
        // Many keys with part-filled batches: send them all rather than hold more.
        open.forEach((k, v) -> out.output(KV.of(k, bytesOf(v))));
        open.clear();
        held = 0;
      }
    }

    private byte[] bytesOf(Open b) {
      lastBytes = b.bytes.size();
      return b.bytes.toByteArray();
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      open.forEach((k, v) -> c.output(KV.of(k, bytesOf(v)), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      open.clear();
      held = 0;
    }
  }

  /**
   * A key's batches, handed on as one iterable of its values, read through once as they come: a
   * batch is decoded when the reader reaches it.
   */
  static class UnbatchFn<K, V> extends DoFn<KV<K, Iterable<byte[]>>, KV<K, Iterable<V>>> {
    private final Coder<V> valueCoder;

    UnbatchFn(Coder<V> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @ProcessElement
    public void process(@Element KV<K, Iterable<byte[]>> group, OutputReceiver<KV<K, Iterable<V>>> out) {
      Iterable<byte[]> batches = group.getValue();
      out.output(KV.of(group.getKey(), () -> new Unbatched<>(batches.iterator(), valueCoder)));
    }
  }

  /** A group's values in order, each batch decoded when the reader reaches it. */
  static final class Unbatched<V> implements Iterator<V> {
    private final Iterator<byte[]> batches;
    private final Coder<V> valueCoder;
    private Iterator<V> current = Collections.emptyIterator();

    Unbatched(Iterator<byte[]> batches, Coder<V> valueCoder) {
      this.batches = batches;
      this.valueCoder = valueCoder;
    }

    @Override
    public boolean hasNext() {
      while (!current.hasNext()) {
        if (!batches.hasNext()) {
          return false;
        }
        current = decode(batches.next(), valueCoder).iterator();
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
