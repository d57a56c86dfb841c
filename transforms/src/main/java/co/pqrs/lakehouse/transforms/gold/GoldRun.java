package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.AvroRecordCoder;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ReadWholeParquet;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.io.WriteSortedTables;
import co.pqrs.lakehouse.transforms.quality.QualityEvaluator;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The Gold story for one run: read the Silver tables Gold needs, aggregate every KPI, write each KPI
 * table as one sorted Parquet file (the ticket snapshot as a file per Silver ticket file, written where
 * the tickets are read), reconcile against Silver, publish (replacing an earlier run) or refuse, and
 * tell the recorder — which serves the tables when it is the control plane.
 */
public class GoldRun extends PTransform<PBegin, PCollection<Manifest>> {
  private final DataLayout layout;
  private final String runId;
  private final Instant asOf;
  private final List<QualityConfig.Check> checks;
  private final TreeMap<String, Object> parameters;
  private final TreeMap<String, Long> silverFigures;
  private RunRecorder recorder = RunRecorder.NONE;

  /**
   * @param silverFigures figures of the Silver run the checks compare with ({@code silver.tickets},
   *     {@code silver.creations}), read from its manifest
   */
  public GoldRun(DataLayout layout, String runId, Instant asOf, List<QualityConfig.Check> checks,
      Map<String, Object> parameters, Map<String, Long> silverFigures) {
    this.layout = layout;
    this.runId = DataLayout.checkRunId(runId);
    this.asOf = asOf;
    this.checks = List.copyOf(checks);
    this.parameters = new TreeMap<>(parameters);
    this.silverFigures = new TreeMap<>(silverFigures);
  }

  /** Also tells the run's outcome to {@code recorder} (the control plane, which then serves Gold). */
  public GoldRun withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  private PCollection<GenericRecord> readSilver(PBegin begin, SilverTables t) {
    return readColumns(begin, t, layout.table(DataLayout.SILVER, t.table, runId) + "*.parquet");
  }

  /** The columns of {@code t} Gold reads from the files {@code pattern} matches; Parquet skips the others. */
  static PCollection<GenericRecord> readColumns(PBegin begin, SilverTables t, String pattern) {
    Schema columns = AggregateGold.input(t);
    // Each file read whole; the rows are Gold's input as they are (Gold counts the tickets it reads, not these).
    return begin.apply("Read" + t.name(), ReadWholeParquet.of(pattern, columns, r -> r, AvroRecordCoder.of(columns)));
  }

  /**
   * The Silver ticket files {@code pattern} matches, for {@link AggregateGold#TICKET_FILES}; none is an
   * empty run, not an error, when the pattern has a wildcard (as the read of the others).
   */
  static PCollection<FileIO.ReadableFile> ticketFiles(PBegin begin, String pattern) {
    return begin.apply("SilverTicketFiles", ReadWholeParquet.files(pattern));
  }

  @Override
  public PCollection<Manifest> expand(PBegin begin) {
    PCollectionTuple gold = PCollectionTuple
        .of(AggregateGold.TICKET_FILES, ticketFiles(begin,
            layout.table(DataLayout.SILVER, SilverTables.TICKETS.table, runId) + "*.parquet"))
        .and(AggregateGold.STATUS_EVENTS, readSilver(begin, SilverTables.STATUS_EVENTS))
        .and(AggregateGold.PRECLASSIFICATION, readSilver(begin, SilverTables.PRECLASSIFICATION))
        .apply("AggregateGold", new AggregateGold(layout, runId, asOf));

    // The snapshot is written by the ticket pass; the KPI tables are aggregates, one file each.
    List<WriteSortedTables.Table> outputs = new ArrayList<>();
    AggregateGold.TAGS.forEach((t, tag) -> outputs.add(new WriteSortedTables.Table(t.table, tag, t.schemaJson())));
    PCollectionView<List<FileStat>> files = PCollectionList
        .of(gold.get(AggregateGold.SNAPSHOT_FILES))
        .and(gold.apply("WriteTables", new WriteSortedTables(DataLayout.GOLD, layout, runId, outputs)))
        .apply("AllFiles", Flatten.pCollections())
        .apply("TableFilesView", View.asList());
    PCollectionView<Map<String, Long>> facts = gold.get(AggregateGold.FACTS)
        .apply("SumFacts", Sum.longsPerKey())
        .apply("FactsView", View.asMap());
    return begin
        .apply("PublishTrigger", Create.of(runId))
        .apply("CheckAndPublish", ParDo.of(new PublishFn(
                new LayerOutputs.Publication(layout, DataLayout.GOLD, runId, checks, recorder, parameters), asOf,
                silverFigures, files, facts))
            .withSideInputs(files, facts))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  static class PublishFn extends DoFn<String, Manifest> {
    private final LayerOutputs.Publication publication;
    private final Instant asOf;
    private final TreeMap<String, Long> silverFigures;
    private final PCollectionView<List<FileStat>> files;
    private final PCollectionView<Map<String, Long>> facts;

    PublishFn(LayerOutputs.Publication publication, Instant asOf, TreeMap<String, Long> silverFigures,
        PCollectionView<List<FileStat>> files, PCollectionView<Map<String, Long>> facts) {
      this.publication = publication;
      this.asOf = asOf;
      this.silverFigures = silverFigures;
      this.files = files;
      this.facts = facts;
    }

    @ProcessElement
    public void process(ProcessContext c) throws Exception {
      List<FileStat> all = c.sideInput(files);
      Map<String, Long> figures = new TreeMap<>(c.sideInput(facts));
      figures.putAll(silverFigures);
      Map<String, Long> counts = new TreeMap<>(FileStat.totals(all));
      long tickets = silverFigures.getOrDefault("silver.tickets", 0L);
      counts.put("silver_tickets", tickets);
      figures.forEach((k, v) -> counts.put("figure." + k, v));
      // Accounting: every Silver ticket is one snapshot row.
      long snapshot = figures.getOrDefault("snapshot.rows", 0L);
      QualityEvaluator.LayerFacts lf = new QualityEvaluator.LayerFacts(tickets, 0, snapshot, 0, 0, 0, Map.of(), null,
          asOf, figures.getOrDefault("silver.tickets", 0L), Map.of(), null, null, figures);
      List<String> folders = new ArrayList<>();
      for (GoldTable t : GoldTable.values()) {
        folders.add(publication.table(t.table));
      }
      c.output(publication.checkAndPublish(lf, counts, all, folders));
    }
  }
}
