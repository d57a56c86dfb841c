package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/** What every curated layer does with its outputs: write sorted Parquet files, then check and publish. */
public final class LayerOutputs {
  private LayerOutputs() {}

  /**
   * Writes rows, in the order given, as one Parquet file ({@link ParquetWriters}) under staging, and describes it.
   *
   * @param relative the file's path relative to the lakehouse root
   */
  public static FileStat writeParquet(String staging, String relative, String partition, Schema schema,
      Iterable<GenericRecord> rows, TreeMap<String, Long> counts) throws Exception {
    ParquetOut out = new ParquetOut(staging, relative, partition, schema);
    for (GenericRecord r : rows) {
      out.write(r);
    }
    return out.finish(counts);
  }

  /**
   * One Parquet file written row by row, in the order given ({@link #writeParquet}): for a writer
   * whose rows come in order as it makes them, so that it need not hold them.
   */
  public static final class ParquetOut {
    private final String staging;
    private final String relative;
    private final String partition;
    private final DataHash.Builder hash = DataHash.builder();
    // Written in memory first: the footer is made reproducible (ParquetFooter) before the file is stored.
    private final RowBytes file = new RowBytes();
    // A row's hash input is its Avro binary encoding: defined by the schema, and far cheaper than its JSON text.
    private final AvroRows avro;
    private final Frame.Writer row = new Frame.Writer();
    // Each text field is encoded to UTF-8 once, into a reused record that both writers read: given a
    // String, Parquet encodes it through a CharsetEncoder (a tenth of Silver's CPU), the hash again.
    private final GenericData.Record encoded;
    private final int fields;
    private final FlatParquetWriter parquet;
    private long n;

    public ParquetOut(String staging, String relative, String partition, Schema schema) throws java.io.IOException {
      this.staging = staging;
      this.relative = relative;
      this.partition = partition;
      this.avro = new AvroRows(schema);
      this.encoded = new GenericData.Record(schema);
      this.fields = schema.getFields().size();
      this.parquet = ParquetWriters.open(avro, file);
    }

    /** Appends a row; nothing of it is kept but its encoding. */
    public void write(GenericRecord r) throws java.io.IOException {
      for (int i = 0; i < fields; i++) {
        Object v = r.get(i);
        encoded.put(i, v instanceof String text ? new Utf8(text) : v);
      }
      parquet.write(encoded);
      avro.write(row.clear(), encoded);
      hash.add(row.array(), 0, row.size());
      n++;
    }

    /** Rows written so far. */
    public long rows() {
      return n;
    }

    /** Closes the file, stores it under staging and describes it, with {@code counts}. */
    public FileStat finish(TreeMap<String, Long> counts) throws Exception {
      parquet.close();
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
  }

  /** A reusable buffer whose bytes can be read without a copy. */
  private static final class RowBytes extends ByteArrayOutputStream {
    byte[] buffer() {
      return buf;
    }
  }

  /**
   * What a layer's publishing step knows besides its own facts: the run, its checks, its parameters
   * and who is told the outcome. Serializable, so that the one step that sees the whole run carries it.
   */
  public record Publication(DataLayout layout, String layer, String runId, List<QualityConfig.Check> checks,
      RunRecorder recorder, Map<String, Object> parameters) implements Serializable {
    public Publication {
      checks = List.copyOf(checks);
      parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    /** The folder of one of the layer's tables in this run. */
    public String table(String table) {
      return layout.table(layer, table, runId);
    }

    /** The folder of the layer's quarantine in this run. */
    public String quarantine() {
      return layout.quarantine(layer, runId);
    }

    /**
     * Evaluates the layer's checks on {@code facts}, builds the manifest, and publishes the run
     * (replacing {@code outputFolders}) or, when a FAIL check breaks, records the attempt and throws.
     * Either way the outcome goes to the recorder.
     */
    public Manifest checkAndPublish(QualityEvaluator.LayerFacts facts, Map<String, Long> counts, List<FileStat> files,
        List<String> outputFolders) throws Exception {
      List<CheckResult> results = QualityEvaluator.evaluate(runId, layer, checks, facts);
      String status = QualityEvaluator.runStatus(results);
      StepCounters.CHECKS_FAILED.inc(results.stream().filter(r -> r.status().equals(CheckResult.FAIL)).count());
      Manifest m = Manifest.of(layer, runId, parameters, counts, files.stream().map(FileStat::entry).toList(),
          FileStat.dataHash(files)).withChecks(status, results);
      if (status.equals(Manifest.FAILED)) {
        RunPublisher.refuse(m, layout);
        List<String> failed = results.stream().filter(r -> r.status().equals(CheckResult.FAIL))
            .map(r -> String.format(Locale.ROOT, "%s (observed %.4g, allowed %s)", r.check(), r.observed(),
                r.threshold()))
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
}
