package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.Iterators;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** What every curated layer does with its outputs: write sorted Parquet files, then check and publish. */
public final class LayerOutputs {
  private LayerOutputs() {}

  /**
   * Writes rows, in the order given, as one Snappy Parquet file under staging, and describes it.
   *
   * @param relative the file's path relative to the lakehouse root
   */
  public static FileStat writeParquet(String staging, String relative, String partition, Schema schema,
      Iterable<GenericRecord> rows, TreeMap<String, Long> counts) throws Exception {
    DataHash.Builder hash = DataHash.builder();
    // Written in memory first: the footer is made reproducible (ParquetFooter) before the file is stored.
    RowBytes file = new RowBytes();
    Iterator<GenericRecord> it = rows.iterator();
    List<GenericRecord> sample = new ArrayList<>();
    while (sample.size() < DICTIONARY_SAMPLE && it.hasNext()) {
      sample.add(it.next());
    }
    AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(file))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withRowGroupSize(ROW_GROUP_BYTES);
    for (String column : nearlyUniqueStrings(schema, sample)) {
      builder.withDictionaryEncoding(column, false);
    }
    // A row's hash input is its Avro binary encoding: defined by the schema, and far cheaper than its JSON text.
    GenericDatumWriter<GenericRecord> avro = new GenericDatumWriter<>(schema);
    RowBytes row = new RowBytes();
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(row, null);
    long n = 0;
    try (ParquetWriter<GenericRecord> sink = builder.build()) {
      for (Iterator<GenericRecord> r = Iterators.concat(sample.iterator(), it); r.hasNext(); ) {
        GenericRecord next = r.next();
        sink.write(next);
        row.reset();
        avro.write(next, enc);
        hash.add(row.buffer(), 0, row.size());
        n++;
      }
    }
    ParquetFooter.sortEncodings(file.buffer(), file.size());
    DigestChannel ch = new DigestChannel(LakehouseFiles.create(staging + relative, "application/vnd.apache.parquet"));
    try (ch) {
      ByteBuffer bytes = ByteBuffer.wrap(file.buffer(), 0, file.size());
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
    }
    StepCounters.wrote(n, ch.bytes());
    return new FileStat(relative, partition, n, ch.bytes(), ch.sha256(), hash.build(), counts);
  }

  /** Rows looked at to decide which string columns are written without a dictionary. */
  static final int DICTIONARY_SAMPLE = 1000;
  /** Fewest values of a column in the sample to judge it by. */
  static final int MIN_SAMPLE = 100;
  /** Parquet's row group size, as Beam's ParquetIO sink sets it (128 MiB). */
  static final int ROW_GROUP_BYTES = 128 * 1024 * 1024;

  /**
   * The string columns whose values are nearly all distinct in {@code sample} (more than 90 % of at
   * least {@link #MIN_SAMPLE} values that are not null), such as keys and free text. Parquet's
   * dictionary encoding would hash every value of them into a dictionary as large as the column, or,
   * past its page size, fall back to plain encoding anyway; written plain from the start they cost
   * less. Decided from the rows themselves, so the same rows give the same file.
   */
  static List<String> nearlyUniqueStrings(Schema schema, List<GenericRecord> sample) {
    List<String> out = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!isString(f.schema())) {
        continue;
      }
      Set<String> distinct = new HashSet<>();
      long values = 0;
      for (GenericRecord r : sample) {
        Object v = r.get(f.pos());
        if (v != null) {
          distinct.add(v.toString());
          values++;
        }
      }
      if (values >= MIN_SAMPLE && distinct.size() * 10L > values * 9L) {
        out.add(f.name());
      }
    }
    return out;
  }

  private static boolean isString(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      return s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.STRING);
    }
    return s.getType() == Schema.Type.STRING;
  }

  /** Parquet's output file over a stream that is written from its start. */
  private static final class StreamOutputFile implements OutputFile {
    private final OutputStream out;

    StreamOutputFile(OutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** A reusable buffer whose bytes can be read without a copy. */
  private static final class RowBytes extends ByteArrayOutputStream {
    byte[] buffer() {
      return buf;
    }
  }

  /**
   * Evaluates the layer's checks on {@code facts}, builds the manifest, and publishes the run
   * (replacing {@code outputFolders}) or, when a FAIL check breaks, records the attempt and throws.
   * Either way the outcome goes to {@code recorder}.
   */
  public static Manifest checkAndPublish(DataLayout layout, String layer, String runId,
      List<co.pqrs.lakehouse.config.QualityConfig.Check> checks, QualityEvaluator.LayerFacts facts,
      RunRecorder recorder, Map<String, Object> parameters, Map<String, Long> counts, List<FileStat> files,
      List<String> outputFolders) throws Exception {
    List<CheckResult> results = QualityEvaluator.evaluate(runId, layer, checks, facts);
    String status = QualityEvaluator.runStatus(results);
    StepCounters.CHECKS_FAILED.inc(results.stream().filter(r -> r.status().equals(CheckResult.FAIL)).count());
    Manifest m = Manifest.of(layer, runId, parameters, counts, files.stream().map(FileStat::entry).toList(),
        FileStat.dataHash(files)).withChecks(status, results);
    if (status.equals(Manifest.FAILED)) {
      RunPublisher.refuse(m, layout);
      List<String> failed = results.stream().filter(r -> r.status().equals(CheckResult.FAIL))
          .map(r -> String.format(Locale.ROOT, "%s (observed %.4g, allowed %s)", r.check(), r.observed(), r.threshold()))
          .toList();
      String error = layer + " run " + runId + " FAILED its checks, nothing published: " + String.join("; ", failed)
          + "; see " + RunPublisher.failedPath(layout, m);
      recorder.failed(m, error);
      throw new RunPublisher.QualityFailedException(error);
    }
    Manifest published = RunPublisher.publishReplacing(m, layout, outputFolders);
    recorder.published(published, layout.manifest(layer, runId));
    return published;
  }
}
