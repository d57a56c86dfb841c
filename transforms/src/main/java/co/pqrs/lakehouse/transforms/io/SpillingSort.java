package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.metrics.StepCounters;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.coders.Coder;

/**
 * Sorts a group too large to hold on a worker: values are held until their estimated size reaches
 * {@code heldBytes}, then sorted and written to a temporary file as one sorted run; {@link #sorted}
 * merges the runs with the values still held. A group that fits never touches the disk, and the
 * order is the same either way: values the comparator calls equal may come in any order, so a
 * caller whose bytes must not depend on that gives a total order.
 *
 * <p>Why: a grouping hands its values on as they come, but a writer that must sort them held them
 * all, so its memory grew with the largest group (the generator's busiest Raw day).
 */
public final class SpillingSort<T> implements Closeable {
  private static final int BUFFER = 1 << 16;

  private final Comparator<? super T> order;
  private final Coder<T> coder;
  private final ToLongFunction<? super T> sizeOf;
  private final long heldBytes;
  private final Path dir;

  private final List<T> held = new ArrayList<>();
  private long heldSize;
  /** A sorted run on disk: its file and how many values it holds. */
  private record Run(Path file, long count) {}

  private final List<Run> runs = new ArrayList<>();
  private final List<InputStream> open = new ArrayList<>();
  private long spilled;
  private boolean merging;

  /**
   * @param sizeOf an estimate of the heap a value takes while held
   * @param heldBytes the estimated bytes held before a sorted run is written out (at least 1)
   * @param dir where the runs go: a local folder with room for the group
   */
  public SpillingSort(Comparator<? super T> order, Coder<T> coder, ToLongFunction<? super T> sizeOf,
      long heldBytes, Path dir) {
    if (heldBytes < 1) {
      throw new IllegalArgumentException("heldBytes must be >= 1, got " + heldBytes);
    }
    this.order = order;
    this.coder = coder;
    this.sizeOf = sizeOf;
    this.heldBytes = heldBytes;
    this.dir = dir;
  }

  /** Held bytes not given: a share of the heap of the JVM the sort runs in ({@link #held}). */
  public static final long HELD_FROM_HEAP = 0;

  /** {@code heldBytes} if it is {@link #HELD_FROM_HEAP} or a number of bytes. */
  public static long checkHeld(long heldBytes) {
    if (heldBytes < 0) {
      throw new IllegalArgumentException("heldBytes must be >= 0, got " + heldBytes);
    }
    return heldBytes;
  }

  /**
   * The bytes a sort holds: {@code heldBytes}, or for {@link #HELD_FROM_HEAP} one {@code heapShare}-th
   * of this JVM's heap (read where the sort runs: a worker's heap, not the launcher's).
   */
  public static long held(long heldBytes, int heapShare) {
    return heldBytes == HELD_FROM_HEAP ? Math.max(1, Runtime.getRuntime().maxMemory() / heapShare) : heldBytes;
  }

  /** A sort whose runs go to the worker's {@code java.io.tmpdir}. */
  public static <T> SpillingSort<T> onLocalDisk(Comparator<? super T> order, Coder<T> coder,
      ToLongFunction<? super T> sizeOf, long heldBytes) {
    return new SpillingSort<>(order, coder, sizeOf, heldBytes, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * What a log line says of a group that went through the disk, after its values were added: "more
   * than {@code holder} holds (80.0 MB): 1459931 of them sorted in 9 runs on local disk"; null when
   * every value was held. (The values spilled are counted in {@code records_spilled} as they go.)
   */
  public String spillNote(String holder) {
    if (runs.isEmpty()) {
      return null;
    }
    return String.format(java.util.Locale.ROOT, "more than %s holds (%.1f MB): %d of them sorted in %d runs on"
        + " local disk", holder, heldBytes / 1048576.0, spilled, runs.size());
  }

  /**
   * The values added, in the order they came, when none went to disk (a caller may then do better than
   * sort them all); null once a run was written. Read it before {@link #sorted}.
   */
  public List<T> heldWhole() {
    return runs.isEmpty() ? java.util.Collections.unmodifiableList(held) : null;
  }

  public void add(T value) {
    if (merging) {
      throw new IllegalStateException("add after sorted()");
    }
    held.add(value);
    heldSize += sizeOf.applyAsLong(value);
    if (heldSize >= heldBytes) {
      spill();
    }
  }

  private void spill() {
    held.sort(order);
    Path file = null;
    try {
      file = Files.createTempFile(dir, "pqrs-sort-", ".run");
      runs.add(new Run(file, held.size()));
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
        for (T v : held) {
          coder.encode(v, out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a sorted run of " + held.size() + " values to "
          + (file == null ? dir : file) + ": " + e.getMessage(), e);
    }
    spilled += held.size();
    StepCounters.RECORDS_SPILLED.inc(held.size());
    held.clear();
    heldSize = 0;
  }

  /** Every value added, in order; read it once, before {@link #close}. */
  public Iterator<T> sorted() {
    merging = true;
    held.sort(order);
    if (runs.isEmpty()) {
      return held.iterator();
    }
    List<Iterator<T>> sources = new ArrayList<>();
    for (Run r : runs) {
      sources.add(new RunReader(r.file(), r.count()));
    }
    sources.add(held.iterator());
    return new Merge<>(sources, order);
  }

  /** Sorted runs written to disk so far. */
  public int runs() {
    return runs.size();
  }

  /** Values that went through the disk. */
  public long spilled() {
    return spilled;
  }

  /** Deletes the runs; safe to call more than once. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (InputStream in : open) {
      try {
        in.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    open.clear();
    for (Run r : runs) {
      try {
        Files.deleteIfExists(r.file());
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    runs.clear();
    held.clear();
    if (first != null) {
      throw first;
    }
  }

  /** One run's values, decoded as they are read. */
  private final class RunReader implements Iterator<T> {
    private final Path file;
    private final InputStream in;
    private long left;

    RunReader(Path file, long count) {
      this.file = file;
      this.left = count;
      try {
        this.in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sorted run " + file + ": " + e.getMessage(), e);
      }
      open.add(in);
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public T next() {
      if (left == 0) {
        throw new NoSuchElementException();
      }
      left--;
      try {
        return coder.decode(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the sorted run " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** A k-way merge of sorted sources; on a tie the earlier source comes first. */
  static final class Merge<T> implements Iterator<T> {
    private record Head<T>(T value, int source) {}

    private final List<Iterator<T>> sources;
    private final PriorityQueue<Head<T>> heads;

    Merge(List<Iterator<T>> sources, Comparator<? super T> order) {
      this.sources = sources;
      Comparator<Head<T>> byValue = (a, b) -> order.compare(a.value(), b.value());
      this.heads = new PriorityQueue<>(Math.max(1, sources.size()),
          byValue.thenComparingInt(Head::source));
      for (int i = 0; i < sources.size(); i++) {
        advance(i);
      }
    }

    private void advance(int source) {
      Iterator<T> it = sources.get(source);
      if (it.hasNext()) {
        heads.add(new Head<>(it.next(), source));
      }
    }

    @Override
    public boolean hasNext() {
      return !heads.isEmpty();
    }

    @Override
    public T next() {
      Head<T> h = heads.poll();
      if (h == null) {
        throw new NoSuchElementException();
      }
      advance(h.source());
      return h.value();
    }
  }
}
