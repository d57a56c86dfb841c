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
  private long rawLines = RAW_LINES_NOT_KNOWN; // the fewest groups
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

  /** A Raw run's lines when its manifest does not count them: the de-duplication's fewest groups. */
  public static final long RAW_LINES_NOT_KNOWN = -1;

  /** The Raw run's lines, from its manifest: they size the de-duplication's groups ({@link TypeBronze#groupsFor}). */
  public BronzeRun withRawLines(long lines) {
    this.rawLines = lines;
    return this;
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
    int groups = rawLines == RAW_LINES_NOT_KNOWN ? TypeBronze.MIN_GROUPS : TypeBronze.groupsFor(rawLines);
    PCollection<ParseRaw.Parsed> judged =
        parsed.apply("TypeBronze", new TypeBronze(groups).withSortHeldBytes(sortHeldBytes));
    PCollection<KV<String, ReadRawLines.Counts>> rawLinesPerDay =
        begin.apply("CountRawLines", new ReadRawLines.CountLines(rawPatterns));
    return begin.apply("WriteBronze", new WriteBronze(rawLinesPerDay, judged, layout, runId, checks, asOf, parameters)
        .withRecorder(recorder).withRowsPerFile(rowsPerFile));
  }
}
