package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.layout.DataLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Raw JSONL files as lines of bytes with their file and line number. TextIO would decode and
 * lose both; Bronze needs the exact bytes (to report invalid UTF-8) and the position of every line.
 */
public class ReadRawLines extends PTransform<PBegin, PCollection<RawLine>> {
  private final List<String> patterns;
  private final DataLayout layout;

  /** @param patterns absolute file patterns (globs allowed) below the layout's root */
  public ReadRawLines(List<String> patterns, DataLayout layout) {
    this.patterns = patterns;
    this.layout = layout;
  }

  @Override
  public PCollection<RawLine> expand(PBegin begin) {
    return begin
        .apply("OpenRawFiles", new OpenFiles(patterns))
        .apply("SplitLines", ParDo.of(new SplitLinesFn(layout)))
        .setCoder(RawLine.Coder.of());
  }

  /**
   * How many lines, and how many blank lines ({@link RawLine#isBlank}), the Raw files hold per Raw
   * day partition (the {@code yyyy-MM-dd} of a {@code day=} folder in the file's path; "" for a file
   * outside one), counted from the files themselves rather than from the lines read: an independent
   * figure for the accounting check, and on Flink's batch runner a branch over a few file handles
   * instead of a second copy of every line.
   */
  public static class CountLines extends PTransform<PBegin, PCollection<KV<String, Counts>>> {
    private final List<String> patterns;

    public CountLines(List<String> patterns) {
      this.patterns = patterns;
    }

    @Override
    public PCollection<KV<String, Counts>> expand(PBegin begin) {
      return begin
          .apply("OpenRawFiles", new OpenFiles(patterns))
          .apply("CountFileLines", ParDo.of(new CountLinesFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), Counts.Coder.of()))
          .apply("SumLinesPerDay", Combine.perKey(new SumCounts()));
    }
  }

  /**
   * The lines of the Raw files {@code patterns} match, per Raw day partition as {@link CountLines}
   * keys them, counted where the pipeline is built: what sizes Bronze's files and groups when the Raw
   * run's manifest is not at hand (a Raw folder written by hand, as in tests).
   */
  static TreeMap<String, Long> countPerRawDay(List<String> patterns) {
    TreeMap<String, Long> lines = new TreeMap<>();
    try {
      for (MatchResult m : FileSystems.match(patterns, EmptyMatchTreatment.ALLOW)) {
        for (MatchResult.Metadata f : m.metadata()) {
          try (InputStream in = Channels.newInputStream(FileSystems.open(f.resourceId()))) {
            lines.merge(rawDay(f.resourceId().toString()), scanLines(in, null), Long::sum);
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot count the Raw lines of " + patterns + ": " + e.getMessage(), e);
    }
    return lines;
  }

  /** The lines of some Raw files, and how many of them are blank. */
  public record Counts(long lines, long blank) implements java.io.Serializable {
    public static long lines(Map<String, Counts> perDay) {
      return perDay.values().stream().mapToLong(Counts::lines).sum();
    }

    public static long blank(Map<String, Counts> perDay) {
      return perDay.values().stream().mapToLong(Counts::blank).sum();
    }

    public static final class Coder extends AtomicCoder<Counts> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Counts c, OutputStream out) throws IOException {
        VarLongCoder.of().encode(c.lines(), out);
        VarLongCoder.of().encode(c.blank(), out);
      }

      @Override
      public Counts decode(InputStream in) throws IOException {
        return new Counts(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  static class SumCounts implements SerializableFunction<Iterable<Counts>, Counts> {
    @Override
    public Counts apply(Iterable<Counts> all) {
      long lines = 0;
      long blank = 0;
      for (Counts c : all) {
        lines += c.lines();
        blank += c.blank();
      }
      return new Counts(lines, blank);
    }
  }

  private static class OpenFiles extends PTransform<PBegin, PCollection<FileIO.ReadableFile>> {
    private final List<String> patterns;

    OpenFiles(List<String> patterns) {
      this.patterns = patterns;
    }

    @Override
    public PCollection<FileIO.ReadableFile> expand(PBegin begin) {
      return begin
          .apply("RawFilePatterns", Create.of(patterns))
          .apply("MatchRawFiles", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
          .apply("ReadMatches", FileIO.readMatches().withCompression(Compression.UNCOMPRESSED));
    }
  }

  /** Receives each line as a range of a buffer that is reused once it returns. */
  interface LineSink {
    /**
     * @param length the line's length in bytes: {@code to - from}, unless the line is longer than
     *     {@link RawLine#MAX_BYTES}, of which {@code [from, to)} then holds the first {@code MAX_BYTES}
     */
    void line(byte[] buf, int from, int to, long length);
  }

  /**
   * The Raw line rule, in one place for the reader and the counter: a line ends at each {@code \n}
   * (removed), and bytes after the last one are a last line. Scans a buffer rather than reading byte
   * by byte: this loop sees every Raw byte. A line keeps at most {@link RawLine#MAX_BYTES} in memory,
   * however long it is (a file that is one JSON array is one line).
   *
   * @param lines receives each line; null to count only
   * @return the number of lines
   */
  static long scanLines(InputStream in, LineSink lines) throws java.io.IOException {
    long n = 0;
    byte[] buf = new byte[1 << 16];
    byte[] carry = new byte[1024]; // a line split across reads, handed on in place
    int carried = 0; // bytes of the open line in carry: at most MAX_BYTES
    long open = 0; // bytes of the open line (since the last newline), kept or not
    int len;
    while ((len = in.read(buf)) != -1) {
      int from = 0;
      for (int i = newline(buf, 0, len); i < len; i = newline(buf, i + 1, len)) {
        n++;
        if (lines != null) {
          if (open == 0) {
            lines.line(buf, from, i, i - from);
          } else {
            carry = append(carry, carried, buf, from, i);
            lines.line(carry, 0, kept(carried, i - from), open + i - from);
            carried = 0;
          }
        }
        from = i + 1;
        open = 0;
      }
      if (from < len) {
        if (lines != null) {
          carry = append(carry, carried, buf, from, len);
          carried = kept(carried, len - from);
        }
        open += len - from;
      }
    }
    if (open > 0) {
      n++;
      if (lines != null) {
        lines.line(carry, 0, carried, open);
      }
    }
    return n;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /**
   * The index of the first {@code \n} in {@code b[from, to)}, or {@code to}. Eight bytes at a time: a
   * byte of {@code word ^ NEWLINES} is zero where a newline is, and {@code (x - ONES) & ~x & HIGHS}
   * marks the lowest zero byte exactly (a borrow can only mark bytes above it). Every Raw byte passes
   * here twice, once for the counter and once for the reader: byte by byte, the counter's thread alone
   * had 3 % of Bronze's profile samples at 5 M events.
   */
  static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long zeros = (x - ONES) & ~x & HIGHS;
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }

  /** How much of a line carry holds once {@code more} bytes are appended to its {@code carried}. */
  private static int kept(int carried, int more) {
    return (int) Math.min(RawLine.MAX_BYTES, (long) carried + more);
  }

  /**
   * {@code carry} with {@code src[from, to)} written after its first {@code carried} bytes, as far as
   * {@link RawLine#MAX_BYTES}; grown if needed.
   */
  private static byte[] append(byte[] carry, int carried, byte[] src, int from, int to) {
    int need = kept(carried, to - from);
    if (need > carry.length) {
      carry = Arrays.copyOf(carry, Math.min(RawLine.MAX_BYTES, Math.max(need, 2 * carry.length)));
    }
    System.arraycopy(src, from, carry, carried, need - carried);
    return carry;
  }

  private static final java.util.regex.Pattern DAY_FOLDER = java.util.regex.Pattern.compile("/day=([^/]*)/");
  private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /**
   * The day of a Raw file's {@code day=} folder, or "" when its path has none or its folder is not a
   * date ({@code day=unknown}). The last such folder counts, so that an absolute path and the same
   * file's path relative to the root agree even when the root itself has a {@code day=} folder in it.
   */
  static String rawDay(String path) {
    java.util.regex.Matcher m = DAY_FOLDER.matcher(path);
    String day = "";
    int from = 0;
    while (m.find(from)) {
      day = m.group(1);
      from = m.end() - 1; // folders share their slash
    }
    return DATE.matcher(day).matches() ? day : "";
  }

  /** The lines of each file, as {@link #scanLines} cuts them (without keeping them), by its day. */
  static class CountLinesFn extends DoFn<FileIO.ReadableFile, KV<String, Counts>> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile f, OutputReceiver<KV<String, Counts>> out) throws Exception {
      long[] blank = {0};
      try (InputStream in = Channels.newInputStream(f.open())) {
        long lines = scanLines(in, (b, from, to, length) -> {
          if (RawLine.isBlank(b, from, to, length)) {
            blank[0]++;
          }
        });
        out.output(KV.of(rawDay(f.getMetadata().resourceId().toString()), new Counts(lines, blank[0])));
      }
    }
  }

  static class SplitLinesFn extends DoFn<FileIO.ReadableFile, RawLine> {
    private static final Logger LOG = LoggerFactory.getLogger(SplitLinesFn.class);
    private final DataLayout layout;

    SplitLinesFn(DataLayout layout) {
      this.layout = layout;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile f, OutputReceiver<RawLine> out) throws Exception {
      String file = layout.relative(f.getMetadata().resourceId().toString());
      long[] n = {0};
      try (InputStream in = Channels.newInputStream(f.open())) {
        scanLines(in, (b, from, to, length) ->
            out.output(new RawLine(file, ++n[0], Arrays.copyOfRange(b, from, to), length)));
      }
      StepCounters.RECORDS_IN.inc(n[0]);
      LOG.info("read {}: {} lines", file, n[0]);
    }
  }
}
