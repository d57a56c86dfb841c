package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The Bronze story for one run: read the Raw lines, parse and validate them, keep one row per
 * event_id, write typed Parquet and the quarantine, check, publish. Every failure is consumed: parse
 * failures and duplicates (left out by the day writers) both end in quarantine.
 */
public class BronzeRun extends PTransform<PBegin, PCollection<Manifest>> {
  private final DataLayout layout;
  private final String runId;
  private final List<String> rawPatterns;
  private final List<QualityConfig.Check> checks;
  private final Instant asOf;
  private final TreeMap<String, Object> parameters;
  private RunRecorder recorder = RunRecorder.NONE;
  private long rowsPerFile = WriteBronze.ROWS_PER_FILE;
  private TreeMap<String, Long> linesPerRawDay; // null: counted from the files when the pipeline is built
  private int groups; // 0: sized by the Raw lines
  private long sortHeldBytes = SpillingSort.HELD_FROM_HEAP;

  /** Also tells the run's outcome and check results to {@code recorder} (e.g. the control plane). */
  public BronzeRun withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  /** Sizes Bronze's files for about {@code rows} rows each (tests use a small figure). */
  BronzeRun withRowsPerFile(long rows) {
    this.rowsPerFile = rows;
    return this;
  }

  /**
   * The Raw run's lines per Raw day partition ({@link #linesPerRawDay(Manifest)}): they size Bronze's
   * files per day and the de-duplication's groups ({@link TypeBronze#groupsFor}) before any line is
   * read. Without them they are counted from the Raw files as the pipeline is built (a Raw folder
   * without a manifest, as some tests write).
   */
  public BronzeRun withLinesPerRawDay(Map<String, Long> lines) {
    this.linesPerRawDay = new TreeMap<>(lines);
    return this;
  }

  /** De-duplicates in {@code groups} groups whatever the Raw lines (tests: the same bytes in any number). */
  BronzeRun withGroups(int groups) {
    this.groups = groups;
    return this;
  }

  /**
   * A Raw run's lines per Raw day partition, by its manifest's files (their rows, by the {@code day=}
   * folder of their path as {@link ReadRawLines#rawDay} reads it; "" for a file outside one).
   */
  public static TreeMap<String, Long> linesPerRawDay(Manifest raw) {
    TreeMap<String, Long> lines = new TreeMap<>();
    for (Manifest.FileEntry f : raw.files()) {
      lines.merge(ReadRawLines.rawDay("/" + f.path()), f.rows(), Long::sum);
    }
    return lines;
  }

  /**
   * Holds about {@code bytes} of a de-duplication group before sorting it on local disk; default: a
   * quarter of the heap.
   */
  public BronzeRun withSortHeldBytes(long bytes) {
    this.sortHeldBytes = bytes;
    return this;
  }

  public BronzeRun(DataLayout layout, String runId, List<String> rawPatterns, List<QualityConfig.Check> checks,
      Instant asOf, Map<String, Object> parameters) {
    this.layout = layout;
    this.runId = DataLayout.checkRunId(runId);
    this.rawPatterns = List.copyOf(rawPatterns);
    this.checks = List.copyOf(checks);
    this.asOf = asOf;
    this.parameters = new TreeMap<>(parameters);
  }

  @Override
  public PCollection<Manifest> expand(PBegin begin) {
    PCollection<RawLine> lines = begin.apply("ReadRawLines", new ReadRawLines(rawPatterns, layout));
    PCollection<ParseRaw.Parsed> parsed = lines.apply("ParseRaw", new ParseRaw());
    Map<String, Long> rawDays = linesPerRawDay != null ? linesPerRawDay : ReadRawLines.countPerRawDay(rawPatterns);
    int judgeGroups = groups > 0 ? groups
        : TypeBronze.groupsFor(rawDays.values().stream().mapToLong(Long::longValue).sum());
    PCollection<ParseRaw.Parsed> judged =
        parsed.apply("TypeBronze", new TypeBronze(judgeGroups).withSortHeldBytes(sortHeldBytes));
    PCollection<KV<String, ReadRawLines.Counts>> counted =
        begin.apply("CountRawLines", new ReadRawLines.CountLines(rawPatterns));
    return begin.apply("WriteBronze", new WriteBronze(counted, rawDays, judged, layout, runId, checks, asOf,
            parameters).withRecorder(recorder).withRowsPerFile(rowsPerFile));
  }
}
