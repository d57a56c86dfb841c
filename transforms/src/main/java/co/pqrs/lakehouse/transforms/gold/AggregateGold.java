package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.transforms.gold.kpi.Aging;
import co.pqrs.lakehouse.transforms.gold.kpi.BacklogDaily;
import co.pqrs.lakehouse.transforms.gold.kpi.ClassifierAgreement;
import co.pqrs.lakehouse.transforms.gold.kpi.DailySeries;
import co.pqrs.lakehouse.transforms.gold.kpi.Durations;
import co.pqrs.lakehouse.transforms.gold.kpi.ReopenRate;
import co.pqrs.lakehouse.transforms.gold.kpi.SlaDaily;
import co.pqrs.lakehouse.transforms.gold.kpi.TransitionMatrix;
import co.pqrs.lakehouse.transforms.gold.kpi.VolumeDaily;
import co.pqrs.lakehouse.transforms.io.AvroRecordCoder;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.WriteSortedTableFn;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Silver tickets, status events and pre-classification of one run → every Gold table, as of the
 * run's as-of instant. Each KPI is a map (contributions per grain) and a combine (cells merged per
 * grain, in any order) followed by one finishing step; see {@link Kpi}. Outputs one PCollection of
 * rows per KPI table under {@link #TAGS}, the snapshot's written files under {@link #SNAPSHOT_FILES},
 * and the figures the reconciliation checks compare under {@link #FACTS}.
 *
 * <p>Every KPI of an input is computed in <em>one pass</em> over it: each ticket is read once, gives
 * its snapshot row and its contributions to every ticket KPI, and the contributions are merged per
 * bundle before they leave the step. All KPIs then share one merge and one finishing step. (A branch
 * per KPI would hand each its own encoded copy of every ticket on Flink's batch translation.)
 *
 * <p>The tickets come as Silver's files, each read whole by one worker: Silver wrote a file's tickets
 * in ticket order, which is the snapshot's order too, so each file's snapshot rows are written as
 * they are made, to the snapshot file of the same name under the layer's staging folder. Handing the
 * rows to a writer after a shuffle and a sort cost 13–15 % of Gold's CPU (docs/benchmarks/changes.md,
 * forty-first change).
 */
public class AggregateGold extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** Silver's ticket files ({@code part-<n>.parquet}), each with its tickets in ticket order. */
  public static final TupleTag<FileIO.ReadableFile> TICKET_FILES = new TupleTag<>("silver_ticket_files") {};
  public static final TupleTag<GenericRecord> STATUS_EVENTS = new TupleTag<>("silver_status_events") {};
  public static final TupleTag<GenericRecord> PRECLASSIFICATION = new TupleTag<>("silver_preclassification") {};
  public static final TupleTag<KV<String, Long>> FACTS = new TupleTag<>("facts") {};
  /** The snapshot's files, one per Silver ticket file, written where Gold stages its tables. */
  public static final TupleTag<FileStat> SNAPSHOT_FILES = new TupleTag<>("snapshot_files") {};
  /** The rows of each KPI table (every Gold table but the snapshot, which is written as files). */
  public static final Map<GoldTable, TupleTag<GenericRecord>> TAGS = tags();
  /** Contributions merged per bundle, keyed by {@link Partials#key}. */
  static final TupleTag<KV<String, Cell>> PARTIALS = new TupleTag<>("partials") {};

  private final String runId;
  private final Instant asOf;
  private final String staging;
  private final WriteSortedTableFn.Target snapshot;

  /** Writes the snapshot's files under {@code layout}'s Gold staging folder for {@code runId}. */
  public AggregateGold(DataLayout layout, String runId, Instant asOf) {
    this.runId = DataLayout.checkRunId(runId);
    this.asOf = asOf;
    this.staging = layout.staging(DataLayout.GOLD, runId);
    this.snapshot = WriteSortedTableFn.Target.of(layout, DataLayout.GOLD, runId, GoldTable.TICKET_SNAPSHOT.table,
        GoldTable.TICKET_SNAPSHOT.schemaJson());
  }

  private static Map<GoldTable, TupleTag<GenericRecord>> tags() {
    Map<GoldTable, TupleTag<GenericRecord>> m = new EnumMap<>(GoldTable.class);
    for (GoldTable t : GoldTable.values()) {
      if (t != GoldTable.TICKET_SNAPSHOT) {
        m.put(t, new TupleTag<>(t.table) {});
      }
    }
    return m;
  }

  /** The KPIs over tickets, in table order. */
  static List<Kpi<GoldTicket>> ticketKpis() {
    return List.of(new VolumeDaily(), new BacklogDaily(), new SlaDaily(), Durations.firstResponse(),
        Durations.closeTime(), new Aging(), new ReopenRate(), DailySeries.national(), DailySeries.department());
  }

  /** Every KPI, in table order: the ticket KPIs, then those over status events and pre-classification. */
  static List<Kpi<?>> allKpis() {
    List<Kpi<?>> all = new ArrayList<>(ticketKpis());
    all.add(new TransitionMatrix());
    all.add(new ClassifierAgreement());
    return all;
  }

  /**
   * The columns of a Silver table Gold reads, as the schema its rows come in with: the ticket pass and
   * the KPIs over status events and pre-classification read these and no other (a row without one of
   * them fails on Avro's "not a valid schema field").
   */
  public static org.apache.avro.Schema input(SilverTables table) {
    List<String> columns = switch (table) {
      case TICKETS -> GoldTicket.SILVER_COLUMNS;
      case STATUS_EVENTS -> TransitionMatrix.SILVER_COLUMNS;
      case PRECLASSIFICATION -> ClassifierAgreement.SILVER_COLUMNS;
      default -> throw new IllegalArgumentException("Gold does not read silver_" + table.table);
    };
    return ParquetConfig.projection(table.schema(), columns);
  }

  /** The last calendar day of the run: the day of the as-of (the day before, at midnight exactly). */
  public static java.time.LocalDate lastDay(Instant asOf) {
    return BusinessCalendar.colombia().localDate(asOf.minusNanos(1));
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple silver) {
    KvCoder<String, Cell> partialCoder = KvCoder.of(StringUtf8Coder.of(), Cell.Coder.of());

    PCollectionTuple tickets = silver.get(TICKET_FILES).apply("TicketPass",
        ParDo.of(new TicketPassFn(runId, asOf, ticketKpis(), staging, snapshot))
            .withOutputTags(SNAPSHOT_FILES, TupleTagList.of(PARTIALS)));
    tickets.get(SNAPSHOT_FILES).setCoder(SerializableCoder.of(FileStat.class));
    PCollection<KV<String, Cell>> matrix = silver.get(STATUS_EVENTS)
        .apply("StatusEventPass", ParDo.of(new ContributeFn<>(List.of(new TransitionMatrix()))))
        .setCoder(partialCoder);
    PCollection<KV<String, Cell>> agreement = silver.get(PRECLASSIFICATION)
        .apply("PreclassificationPass", ParDo.of(new ContributeFn<>(List.of(new ClassifierAgreement()))))
        .setCoder(partialCoder);

    List<TupleTag<?>> kpiTags = new ArrayList<>();
    for (Kpi<?> kpi : allKpis()) {
      kpiTags.add(TAGS.get(kpi.table()));
    }
    PCollectionTuple finished = PCollectionList.of(tickets.get(PARTIALS).setCoder(partialCoder))
        .and(matrix).and(agreement)
        .apply("AllPartials", Flatten.pCollections())
        .apply("MergeCells", Combine.globally(new MergeCellsFn()))
        .apply("Finish", ParDo.of(new FinishFn(allKpis(), new Kpi.Context(runId, asOf, lastDay(asOf))))
            .withOutputTags(FACTS, TupleTagList.of(kpiTags)));
    finished.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));

    PCollectionTuple out = PCollectionTuple.of(FACTS, finished.get(FACTS))
        .and(SNAPSHOT_FILES, tickets.get(SNAPSHOT_FILES));
    for (Kpi<?> kpi : allKpis()) {
      TupleTag<GenericRecord> tag = TAGS.get(kpi.table());
      out = out.and(tag, finished.get(tag).setCoder(AvroRecordCoder.of(kpi.table().schema())));
    }
    return out;
  }

  /**
   * Contributions of one bundle, merged per (table, grain) before they are output: a bundle gives one
   * cell per grain it touched instead of one per input row and KPI. Figures that are not a table's
   * cells (the snapshot's counts) travel under the {@link #FACTS_TABLE} pseudo-table.
   */
  static final class Partials {
    static final String FACTS_TABLE = "_facts";
    // One map per table, looked up by the table's own (constant) name: a contribution's grain is
    // hashed once, and its key with the table built only when the bundle hands its cells over.
    private final Map<String, Map<String, Cell>> cells = new HashMap<>();

    /** The key of a grain of a table: the table's name, then the grain. */
    static String key(String table, String grain) {
      return Grain.of(table, grain);
    }

    /** The table of a key. */
    static String table(String key) {
      return Grain.parts(key).get(0);
    }

    /** The grain of a key, without its table. */
    static String grain(String key) {
      return key.substring(table(key).length() + 1);
    }

    void add(String table, String grain, Cell cell) {
      Map<String, Cell> grains = cells.computeIfAbsent(table, t -> new HashMap<>());
      Cell c = grains.get(grain);
      if (c == null) {
        grains.put(grain, cell.copy());
      } else {
        c.merge(cell);
      }
    }

    <T> void contribute(Kpi<T> kpi, T row) {
      String table = kpi.table().table;
      kpi.contribute(row, (grain, cell) -> add(table, grain, cell));
    }

    void count(String fact) {
      add(FACTS_TABLE, fact, Cell.of(1));
    }

    /**
     * Hands over every merged cell, in key order, and starts empty. Tables in name order, then their
     * grains, is the keys' order: the separator sorts before any character of a table's name.
     */
    void drain(java.util.function.Consumer<KV<String, Cell>> out) {
      new TreeMap<>(cells).forEach((table, grains) ->
          new TreeMap<>(grains).forEach((grain, c) -> out.accept(KV.of(key(table, grain), c))));
      cells.clear();
    }
  }

  /**
   * Each Silver ticket file, read whole and in order: each ticket's snapshot row, written as it is made
   * to the snapshot file named as the Silver file (Silver's ticket order is the snapshot's; a row out
   * of order fails the file), and its contributions to every ticket KPI and to the snapshot's counts,
   * merged per bundle ({@link #PARTIALS}). Outputs each written file.
   */
  static class TicketPassFn extends DoFn<FileIO.ReadableFile, FileStat> {
    private static final Pattern SILVER_FILE = Pattern.compile("part-(\\d{5,9})\\.parquet");
    private final String runId;
    private final Instant asOf;
    private final List<Kpi<GoldTicket>> kpis;
    private final String staging;
    private final WriteSortedTableFn.Target target;
    private transient BusinessCalendar calendar;
    private transient org.apache.avro.Schema schema;
    private transient org.apache.avro.Schema columns;
    private transient Partials partials;

    TicketPassFn(String runId, Instant asOf, List<Kpi<GoldTicket>> kpis, String staging,
        WriteSortedTableFn.Target target) {
      this.runId = runId;
      this.asOf = asOf;
      this.kpis = List.copyOf(kpis);
      this.staging = staging;
      this.target = target;
    }

    /** The shard of the snapshot file made from Silver's {@code part-<n>.parquet}: n. */
    static int shardOf(String fileName) {
      java.util.regex.Matcher m = SILVER_FILE.matcher(fileName);
      if (!m.matches()) {
        throw new IllegalArgumentException("gold: Silver ticket file " + fileName
            + " is not named part-<n>.parquet; each snapshot file is named after the Silver file it comes from");
      }
      return Integer.parseInt(m.group(1));
    }

    @Setup
    public void setup() {
      calendar = BusinessCalendar.colombia();
      schema = GoldTable.TICKET_SNAPSHOT.schema();
      columns = input(SilverTables.TICKETS);
    }

    @StartBundle
    public void startBundle() {
      partials = new Partials();
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws Exception {
      MatchResult.Metadata silver = file.getMetadata();
      WriteSortedTableFn.InOrder snapshot = new WriteSortedTableFn.InOrder(DataLayout.GOLD, staging, target, schema,
          shardOf(silver.resourceId().getFilename()));
      long row = 0;
      try (ParquetFiles.Rows rows = ParquetFiles.open(silver, columns)) {
        for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
          StepCounters.RECORDS_IN.inc();
          GoldTicket t = GoldTicket.fromSilver(r, calendar, asOf);
          snapshot.write(Snapshot.row(schema, runId, asOf, t));
          partials.count("snapshot.rows");
          if (t.openWithCreation()) {
            partials.count("snapshot.open");
          }
          if (t.closedWithCreation()) {
            partials.count("snapshot.closed");
          }
          for (Kpi<GoldTicket> kpi : kpis) {
            partials.contribute(kpi, t);
          }
          row++;
        }
      } catch (IllegalStateException | java.io.IOException e) {
        throw new IllegalStateException("gold: " + silver.resourceId() + ", ticket " + (row + 1) + ": " + e.getMessage(), e);
      }
      out.get(SNAPSHOT_FILES).output(snapshot.finish());
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      partials.drain(kv -> c.output(PARTIALS, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }
  }

  /** The contributions of every row of one input to its KPIs, merged per bundle. */
  static class ContributeFn<T> extends DoFn<T, KV<String, Cell>> {
    private final List<Kpi<T>> kpis;
    private transient Partials partials;

    ContributeFn(List<Kpi<T>> kpis) {
      this.kpis = List.copyOf(kpis);
    }

    @StartBundle
    public void startBundle() {
      partials = new Partials();
    }

    @ProcessElement
    public void process(@Element T row) {
      for (Kpi<T> kpi : kpis) {
        partials.contribute(kpi, row);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      partials.drain(kv -> c.output(kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE));
    }
  }

  /** Merges the cells of each key; the accumulator is every table being built. */
  static class MergeCellsFn extends Combine.CombineFn<KV<String, Cell>, Map<String, Cell>, Map<String, Cell>> {
    @Override
    public Map<String, Cell> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Cell> addInput(Map<String, Cell> acc, KV<String, Cell> in) {
      Cell c = acc.get(in.getKey());
      if (c == null) {
        acc.put(in.getKey(), in.getValue().copy());
      } else {
        c.merge(in.getValue());
      }
      return acc;
    }

    @Override
    public Map<String, Cell> mergeAccumulators(Iterable<Map<String, Cell>> accs) {
      Map<String, Cell> merged = createAccumulator();
      for (Map<String, Cell> a : accs) {
        a.forEach((k, v) -> addInput(merged, KV.of(k, v)));
      }
      return merged;
    }

    @Override
    public Map<String, Cell> extractOutput(Map<String, Cell> acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<String, Cell>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<KV<String, Cell>> input) {
      return MapCoder.of(StringUtf8Coder.of(), Cell.Coder.of());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<Map<String, Cell>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<KV<String, Cell>> input) {
      return MapCoder.of(StringUtf8Coder.of(), Cell.Coder.of());
    }
  }

  /** Every KPI's rows from its merged cells, and every figure for the checks. */
  static class FinishFn extends DoFn<Map<String, Cell>, KV<String, Long>> {
    private final List<Kpi<?>> kpis;
    private final Kpi.Context ctx;

    FinishFn(List<Kpi<?>> kpis, Kpi.Context ctx) {
      this.kpis = List.copyOf(kpis);
      this.ctx = ctx;
    }

    @ProcessElement
    public void process(@Element Map<String, Cell> merged, MultiOutputReceiver out) {
      Map<String, TreeMap<String, Cell>> byTable = new HashMap<>();
      merged.forEach((k, c) -> byTable.computeIfAbsent(Partials.table(k), t -> new TreeMap<>())
          .put(Partials.grain(k), c));
      byTable.getOrDefault(Partials.FACTS_TABLE, new TreeMap<>())
          .forEach((fact, c) -> out.get(FACTS).output(KV.of(fact, c.count(0))));
      for (Kpi<?> kpi : kpis) {
        Kpi.Result r = kpi.finish(byTable.getOrDefault(kpi.table().table, new TreeMap<>()), ctx);
        r.rows().forEach(out.get(TAGS.get(kpi.table()))::output);
        r.facts().forEach((k, v) -> out.get(FACTS).output(KV.of(k, v)));
      }
    }
  }
}
