package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.metrics.StepCounters;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The rows of the Parquet files a pattern matches, only {@code columns} of them (a projection of the
 * files' schema), each file read whole by one worker and each row made into a {@code T} as it is read.
 *
 * <p>Instead of ParquetIO's read and a step after it: ParquetIO reads through a splittable DoFn,
 * which on Flink's batch runner puts every row through Beam's per-element machinery twice more (the
 * split read's output, then the step that converts the row), for the layers' files, shards of a
 * bounded size that were one split each anyway (docs/benchmarks/changes.md, sixty-fourth and
 * sixty-fifth changes). A single very large file is read by one worker. A pattern with a wildcard
 * that matches nothing is an empty read, as with ParquetIO; a file that cannot be read fails the
 * step with its name and the row it was at.
 *
 * <p>{@link #reusingRows} reads flat files column by column into one record per worker
 * ({@link FlatParquetReader}), for a row function that copies what it keeps.
 */
public final class ReadWholeParquet<T> extends PTransform<PBegin, PCollection<T>> {
  private final String pattern;
  private final Schema columns;
  private final SerializableFunction<GenericRecord, T> row;
  private final Coder<T> coder;
  private final boolean countsIn;
  private final boolean reused;

  private ReadWholeParquet(String pattern, Schema columns, SerializableFunction<GenericRecord, T> row, Coder<T> coder,
      boolean countsIn, boolean reused) {
    this.pattern = pattern;
    this.columns = columns;
    this.row = row;
    this.coder = coder;
    this.countsIn = countsIn;
    this.reused = reused;
  }

  /** {@code row} gets each row of {@code columns}; it may keep state between rows (one copy per worker thread). */
  public static <T> ReadWholeParquet<T> of(String pattern, Schema columns, SerializableFunction<GenericRecord, T> row,
      Coder<T> coder) {
    return new ReadWholeParquet<>(pattern, columns, row, coder, false, false);
  }

  /** The same read, with the rows counted as the layer's records in ({@link StepCounters#RECORDS_IN}), a file at a time. */
  public ReadWholeParquet<T> countingRecordsIn() {
    return new ReadWholeParquet<>(pattern, columns, row, coder, true, reused);
  }

  /**
   * The same read, handing {@code row} one record reused from row to row, its texts as {@link
   * org.apache.avro.util.Utf8}s reused as well ({@link FlatParquetReader}): for a row function that
   * copies what it keeps, over flat columns (refused here otherwise, naming the field).
   */
  public ReadWholeParquet<T> reusingRows() {
    FlatParquetReader.flat(columns); // refused here, when the pipeline is built, not when a file is read
    return new ReadWholeParquet<>(pattern, columns, row, coder, countsIn, true);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", files(pattern))
        .apply("ReadRows", ParDo.of(new ReadFn<>(columns.toString(), row, countsIn, reused)))
        .setCoder(coder);
  }

  /**
   * The files {@code pattern} matches, to be read whole: a wildcard that matches nothing is none, a
   * plain path that matches nothing fails.
   */
  public static PTransform<PBegin, PCollection<FileIO.ReadableFile>> files(String pattern) {
    return new MatchedFiles(pattern);
  }

  private static final class MatchedFiles extends PTransform<PBegin, PCollection<FileIO.ReadableFile>> {
    private final String pattern;

    MatchedFiles(String pattern) {
      this.pattern = pattern;
    }

    @Override
    public PCollection<FileIO.ReadableFile> expand(PBegin begin) {
      return begin
          .apply("Match", FileIO.match().filepattern(pattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD))
          .apply("Files", FileIO.readMatches());
    }
  }

  static final class ReadFn<T> extends DoFn<FileIO.ReadableFile, T> {
    private final String columnsJson;
    private final SerializableFunction<GenericRecord, T> row;
    private final boolean countsIn;
    private final boolean reused;
    private transient Schema columns;

    ReadFn(String columnsJson, SerializableFunction<GenericRecord, T> row, boolean countsIn, boolean reused) {
      this.columnsJson = columnsJson;
      this.row = row;
      this.countsIn = countsIn;
      this.reused = reused;
    }

    @Setup
    public void setup() {
      columns = new Schema.Parser().parse(columnsJson);
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<T> out) throws IOException {
      MatchResult.Metadata meta = file.getMetadata();
      long n = 0;
      try (ParquetFiles.RowReader rows = reused ? FlatParquetReader.open(meta, columns)
          : ParquetFiles.open(meta, columns)) {
        for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
          out.output(row.apply(r));
          n++;
        }
      } catch (IOException | RuntimeException e) {
        throw new IOException("cannot read " + meta.resourceId() + " (row " + (n + 1) + "): " + e.getMessage(), e);
      } finally {
        // Counted per file: a counter's update per row was a lookup of the step's metrics per row.
        if (countsIn) {
          StepCounters.RECORDS_IN.inc(n);
        }
      }
    }
  }
}
