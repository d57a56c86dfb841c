package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ReadWholeParquet;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The Silver story for one run: read Bronze events, curate them into the five Silver tables, written
 * as sorted Snappy Parquet shards (one per ticket bucket), check, publish (replacing an earlier run)
 * or refuse.
 */
public class SilverRun extends PTransform<PBegin, PCollection<Manifest>> {
  private final LakehouseConfig config;
  private final DataLayout layout;
  private final String runId;
  private final Instant asOf;
  private final String rulesVersion;
  private final List<QualityConfig.Check> checks;
  private final TreeMap<String, Object> parameters;
  private RunRecorder recorder = RunRecorder.NONE;
  private long expectedRows;

  /**
   * Sizes the ticket buckets, and so the tables' shards, for a Bronze run of {@code bronzeRows} rows
   * ({@link CurateSilver#bucketsFor}); without it a run has the fewest buckets.
   */
  public SilverRun withExpectedRows(long bronzeRows) {
    this.expectedRows = bronzeRows;
    return this;
  }

  /** Also tells the run's outcome and check results to {@code recorder} (e.g. the control plane). */
  public SilverRun withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  public SilverRun(LakehouseConfig config, DataLayout layout, String runId, Instant asOf, String rulesVersion,
      List<QualityConfig.Check> checks, Map<String, Object> parameters) {
    this.config = config;
    this.layout = layout;
    this.runId = DataLayout.checkRunId(runId);
    this.asOf = asOf;
    this.rulesVersion = rulesVersion;
    this.checks = List.copyOf(checks);
    this.parameters = new TreeMap<>(parameters);
  }

  @Override
  public PCollection<Manifest> expand(PBegin begin) {
    Schema bronze = BronzeSchema.schema();
    Schema columns = ParquetConfig.projection(bronze, CurateSilver.BRONZE_COLUMNS);
    // Each Bronze file read whole, column by column into a row the coding copies from (a copy of the
    // reader per worker thread).
    PCollection<BronzeEvent.Coded> events = begin
        .apply("ReadBronze", ReadWholeParquet.of(layout.table(DataLayout.BRONZE, BronzeSchema.TABLE, runId)
            + "day=*/*.parquet", columns, new BronzeSchema.CodedReader(), BronzeEvent.Coded.Coder.of())
            .countingRecordsIn().reusingRows());
    PCollectionTuple tables = events.apply("CurateSilver",
        new CurateSilver(config, layout, runId, asOf, rulesVersion, CurateSilver.bucketsFor(expectedRows)));

    PCollectionView<List<FileStat>> files = tables.get(CurateSilver.FILES).apply("TableFilesView", View.asList());
    // The Bronze rows read are counted by the curation step ("bronze_rows"): counting them apart would
    // be a second copy of every event on Flink's batch runner.
    PCollectionView<Map<String, Long>> facts = tables.get(CurateSilver.FACTS)
        .apply("SumFacts", Sum.longsPerKey())
        .apply("FactsView", View.asMap());
    return begin
        .apply("PublishTrigger", Create.of(runId))
        .apply("CheckAndPublish", ParDo.of(new PublishFn(
            new LayerOutputs.Publication(layout, DataLayout.SILVER, runId, checks, recorder, parameters), asOf, files,
            facts))
            .withSideInputs(files, facts))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  static class PublishFn extends DoFn<String, Manifest> {
    private final LayerOutputs.Publication publication;
    private final Instant asOf;
    private final PCollectionView<List<FileStat>> files;
    private final PCollectionView<Map<String, Long>> facts;

    PublishFn(LayerOutputs.Publication publication, Instant asOf, PCollectionView<List<FileStat>> files,
        PCollectionView<Map<String, Long>> facts) {
      this.publication = publication;
      this.asOf = asOf;
      this.files = files;
      this.facts = facts;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      List<FileStat> all = c.sideInput(files);
      Map<String, Long> f = new TreeMap<>(c.sideInput(facts));
      long in = f.getOrDefault("bronze_rows", 0L);
      Map<String, Long> counts = new TreeMap<>(FileStat.totals(all));
      counts.putAll(f);
      counts.put("bronze_rows", in);
      // Every Bronze row reaches one table, or is set aside for a stated reason.
      long out = f.getOrDefault("rows.creations", 0L)
          + counts.getOrDefault("rows." + SilverTables.MESSAGES.table, 0L)
          + counts.getOrDefault("rows." + SilverTables.STATUS_EVENTS.table, 0L)
          + counts.getOrDefault("rows." + SilverTables.ATTACHMENTS.table, 0L);
      long aside = f.getOrDefault("set_aside.after_as_of", 0L) + f.getOrDefault("set_aside.extra_creations", 0L);
      Map<String, Long> violations = new TreeMap<>();
      f.forEach((k, v) -> {
        if (k.startsWith("violation.")) {
          violations.put(k.substring("violation.".length()), v);
        }
      });
      long classified = f.getOrDefault("classifier.rows", 0L);
      Double accuracy = classified == 0 ? null : f.getOrDefault("classifier.agrees", 0L) / (double) classified;
      StringBuilder confusion = new StringBuilder("declared->predicted:");
      f.forEach((k, v) -> {
        if (k.startsWith("classifier.confusion.")) {
          confusion.append(' ').append(k.substring("classifier.confusion.".length())).append('=').append(v);
        }
      });
      QualityEvaluator.LayerFacts lf = new QualityEvaluator.LayerFacts(in, 0, out, aside, 0, 0, Map.of(), null,
          asOf, f.getOrDefault("tickets", 0L), violations, accuracy, confusion.toString());
      List<String> folders = new ArrayList<>();
      for (SilverTables t : SilverTables.values()) {
        folders.add(publication.table(t.table));
      }
      c.output(publication.checkAndPublish(lf, counts, all, folders));
    }
  }
}
