package co.pqrs.lakehouse.transforms.bronze;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * The de-duplication's verdicts on Raw positions ({@link TypeBronze}), as the Bronze writer's keying
 * reads them: each duplicated event_id's kept occurrence, with how many were dropped, and each dropped
 * occurrence, with where the kept one is and whether its line is the same. Positions are numbers
 * (file index, line) in sorted arrays, 20 bytes each on the heap, because every worker holds the whole
 * side input: a Raw run that repeats all its lines costs megabytes here, not gigabytes.
 */
public final class Duplicates {
  private static final int LINE_BITS = 40;
  private static final long MAX_LINE = (1L << LINE_BITS) - 1;
  private static final int MAX_FILES = 1 << (63 - LINE_BITS);

  public static final Duplicates NONE = new Duplicates(new String[0], new long[0], new long[0], new int[0]);

  private final String[] files; // sorted
  private final long[] positions; // sorted: file index << LINE_BITS | line
  private final long[] kept; // the kept occurrence's position (its own, for the kept one)
  private final int[] info; // kept: duplicates dropped; dropped: 1 when its line equals the kept line

  private Duplicates(String[] files, long[] positions, long[] kept, int[] info) {
    this.files = files;
    this.positions = positions;
    this.kept = kept;
    this.info = info;
  }

  /**
   * The verdicts of all chunks in one, sorted: the same whatever the chunks' order and split. Each
   * chunk is already sorted ({@link Builder#build}) and stays sorted in the run's numbering of files
   * (both number the files in name order), so the chunks are merged as sorted runs straight into
   * arrays of the exact size: a task holds the chunks and the result, nothing more, while it merges.
   */
  public static Duplicates merge(Iterable<Duplicates> chunks) {
    List<Duplicates> all = new ArrayList<>();
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    long total = 0;
    for (Duplicates chunk : chunks) {
      if (chunk.size() > 0) {
        all.add(chunk);
        names.addAll(Arrays.asList(chunk.files));
        total += chunk.size();
      }
    }
    if (all.isEmpty()) {
      return NONE;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(total + " verdicts on duplicated event_ids are more than one task can hold");
    }
    String[] files = names.toArray(String[]::new);
    int k = all.size();
    int[][] index = new int[k][];
    for (int c = 0; c < k; c++) {
      String[] own = all.get(c).files;
      index[c] = new int[own.length];
      for (int f = 0; f < own.length; f++) {
        index[c][f] = Arrays.binarySearch(files, own[f]);
      }
    }
    int n = (int) total;
    long[] positions = new long[n];
    long[] kept = new long[n];
    int[] info = new int[n];
    int[] cursor = new int[k];
    long[] head = new long[k];
    java.util.PriorityQueue<Integer> next = new java.util.PriorityQueue<>(k, (x, y) -> Long.compare(head[x], head[y]));
    for (int c = 0; c < k; c++) {
      head[c] = repack(index[c], all.get(c).positions[0]);
      next.add(c);
    }
    for (int i = 0; i < n; i++) {
      int c = next.poll();
      Duplicates chunk = all.get(c);
      positions[i] = head[c];
      kept[i] = repack(index[c], chunk.kept[cursor[c]]);
      info[i] = chunk.info[cursor[c]];
      if (i > 0 && positions[i] == positions[i - 1]) {
        throw new IllegalStateException("two verdicts on " + files[(int) (positions[i] >>> LINE_BITS)] + ":"
            + (positions[i] & MAX_LINE));
      }
      if (++cursor[c] < chunk.positions.length) {
        head[c] = repack(index[c], chunk.positions[cursor[c]]);
        next.add(c);
      }
    }
    return new Duplicates(files, positions, kept, info);
  }

  /** Positions judged: every occurrence of every duplicated event_id. */
  public int size() {
    return positions.length;
  }

  /**
   * The Bronze row of {@code e} (its duplicates counted, its line dropped), or null when it is an
   * occurrence of its event_id after the first, to quarantine with {@link #failure}.
   */
  public BronzeEvent rowOf(BronzeEvent e) {
    int dropped = keptWith(e.sourceFile(), e.sourceLine());
    return dropped < 0 ? null : e.survivor(dropped);
  }

  /**
   * For the occurrence at {@code file:line}: how many duplicates were dropped when it is the one kept
   * (0 when its event_id is seen once), or -1 when it is dropped itself.
   */
  public int keptWith(String file, long line) {
    int i = indexOf(file, line);
    if (i < 0) {
      return 0;
    }
    return kept[i] == positions[i] ? info[i] : -1;
  }

  /**
   * {@link #keptWith} for a parsed event, read from its fields; with no verdicts at all (a run without
   * duplicates) its position is not read.
   */
  int keptWith(ParseRaw.Parsed event) {
    return positions.length == 0 ? 0 : keptWith(event.sourceFile(), event.sourceLine());
  }

  /** The quarantine record of a duplicate {@code e} (see {@link #rowOf}), its payload still in Raw. */
  public Failure failure(BronzeEvent e) {
    int i = indexOf(e.sourceFile(), e.sourceLine());
    if (i < 0 || kept[i] == positions[i]) {
      throw new IllegalArgumentException(e.sourceFile() + ":" + e.sourceLine() + " is not a dropped duplicate");
    }
    return failure(e, files[(int) (kept[i] >>> LINE_BITS)], kept[i] & MAX_LINE, info[i] == 1);
  }

  /**
   * The quarantine record of {@code e}, an occurrence dropped for the one kept at {@code
   * keptFile:keptLine}: the same whether the verdict came from the side input or from the shuffle
   * that judges a run with too many duplicates to hold ({@link WriteBronze}). Its payload, the line,
   * is read back from Raw where the quarantine is written ({@link RawPayloads}).
   */
  static Failure failure(BronzeEvent e, String keptFile, long keptLine, boolean identical) {
    String how = identical ? "identical to the kept line" : "content differs from the kept line";
    return Failure.payloadInRaw(TypeBronze.STEP, Failure.DUPLICATE_EVENT_ID,
        "event_id " + e.eventId() + " already kept from " + keptFile + ":" + keptLine + "; " + how,
        e.sourceFile(), e.sourceLine(), e.lineSha256());
  }

  private int indexOf(String file, long line) {
    // A line past the bound cannot have been judged (the builder refuses it): an event seen once.
    if (positions.length == 0 || line < 0 || line > MAX_LINE) {
      return -1;
    }
    int f = Arrays.binarySearch(files, file);
    return f < 0 ? -1 : Arrays.binarySearch(positions, pack(f, line));
  }

  /** {@code position} with its file index renumbered by {@code index}. */
  private static long repack(int[] index, long position) {
    return (long) index[(int) (position >>> LINE_BITS)] << LINE_BITS | (position & MAX_LINE);
  }

  private static long pack(int file, long line) {
    if (line < 0 || line > MAX_LINE) {
      throw new IllegalArgumentException("line " + line + " is beyond the " + MAX_LINE + " lines a Raw file may have");
    }
    return (long) file << LINE_BITS | line;
  }

  /** Collects verdicts in any order (a bucket's, or several buckets'); {@link #build} sorts them. */
  public static final class Builder {
    private final Map<String, Integer> fileIndex = new HashMap<>();
    private final List<String> fileNames = new ArrayList<>();
    private long[] positions = new long[16];
    private long[] kept = new long[16];
    private int[] info = new int[16];
    private int size;

    public Builder kept(String file, long line, int dropped) {
      long at = pack(file(file), line);
      return add(at, at, dropped);
    }

    public Builder dropped(String file, long line, String keptFile, long keptLine, boolean identical) {
      return add(pack(file(file), line), pack(file(keptFile), keptLine), identical ? 1 : 0);
    }

    public int size() {
      return size;
    }

    /** Sorted by file name and line, so that equal verdicts give equal bytes however they arrived. */
    public Duplicates build() {
      String[] sortedFiles = fileNames.toArray(String[]::new);
      Arrays.sort(sortedFiles);
      int[] index = new int[sortedFiles.length];
      for (int f = 0; f < sortedFiles.length; f++) {
        index[fileIndex.get(sortedFiles[f])] = f;
      }
      long[] at = new long[size];
      for (int i = 0; i < size; i++) {
        at[i] = repack(index, positions[i]);
      }
      long[] sorted = at.clone();
      Arrays.sort(sorted);
      for (int i = 1; i < size; i++) {
        if (sorted[i] == sorted[i - 1]) {
          throw new IllegalStateException("two verdicts on " + sortedFiles[(int) (sorted[i] >>> LINE_BITS)] + ":"
              + (sorted[i] & MAX_LINE));
        }
      }
      // Positions are unique, so each one's place in the sorted array is where its verdict goes.
      long[] sortedKept = new long[size];
      int[] sortedInfo = new int[size];
      for (int i = 0; i < size; i++) {
        int to = Arrays.binarySearch(sorted, at[i]);
        sortedKept[to] = repack(index, kept[i]);
        sortedInfo[to] = info[i];
      }
      return new Duplicates(sortedFiles, sorted, sortedKept, sortedInfo);
    }

    private int file(String name) {
      Integer f = fileIndex.get(name);
      if (f == null) {
        if (fileNames.size() == MAX_FILES) {
          throw new IllegalArgumentException("more than " + MAX_FILES + " Raw files in one run");
        }
        f = fileNames.size();
        fileIndex.put(name, f);
        fileNames.add(name);
      }
      return f;
    }

    private Builder add(long position, long keptAt, int value) {
      if (size == positions.length) {
        int grown = size * 2;
        positions = Arrays.copyOf(positions, grown);
        kept = Arrays.copyOf(kept, grown);
        info = Arrays.copyOf(info, grown);
      }
      positions[size] = position;
      kept[size] = keptAt;
      info[size] = value;
      size++;
      return this;
    }
  }

  /** File names, then positions as ascending deltas, kept positions and values as variable-length numbers. */
  public static final class Coder extends AtomicCoder<Duplicates> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Duplicates d, OutputStream out) throws IOException {
      VarIntCoder.of().encode(d.files.length, out);
      for (String f : d.files) {
        StringUtf8Coder.of().encode(f, out);
      }
      VarIntCoder.of().encode(d.positions.length, out);
      long previous = 0;
      for (int i = 0; i < d.positions.length; i++) {
        VarLongCoder.of().encode(d.positions[i] - previous, out);
        previous = d.positions[i];
        VarLongCoder.of().encode(d.kept[i], out);
        VarIntCoder.of().encode(d.info[i], out);
      }
    }

    @Override
    public Duplicates decode(InputStream in) throws IOException {
      String[] files = new String[VarIntCoder.of().decode(in)];
      for (int f = 0; f < files.length; f++) {
        files[f] = StringUtf8Coder.of().decode(in);
      }
      int n = VarIntCoder.of().decode(in);
      long[] positions = new long[n];
      long[] kept = new long[n];
      int[] info = new int[n];
      long previous = 0;
      for (int i = 0; i < n; i++) {
        positions[i] = previous + VarLongCoder.of().decode(in);
        previous = positions[i];
        kept[i] = VarLongCoder.of().decode(in);
        info[i] = VarIntCoder.of().decode(in);
      }
      return new Duplicates(files, positions, kept, info);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
