package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.gold.kpi.Aging;
import co.pqrs.lakehouse.transforms.gold.kpi.BacklogDaily;
import co.pqrs.lakehouse.transforms.gold.kpi.ClassifierAgreement;
import co.pqrs.lakehouse.transforms.gold.kpi.DailySeries;
import co.pqrs.lakehouse.transforms.gold.kpi.Durations;
import co.pqrs.lakehouse.transforms.gold.kpi.ReopenRate;
import co.pqrs.lakehouse.transforms.gold.kpi.SlaDaily;
import co.pqrs.lakehouse.transforms.gold.kpi.TransitionMatrix;
import co.pqrs.lakehouse.transforms.gold.kpi.VolumeDaily;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Silver tickets, status events and pre-classification of one run → every Gold table, as of the
 * run's as-of instant. Each KPI is a map (contributions per grain) and a combine (cells merged per
 * grain, in any order) followed by one finishing step; see {@link Kpi}. Outputs one PCollection of
 * rows per {@link GoldTable} under {@link #TAGS}, and the figures the reconciliation checks compare
 * under {@link #FACTS}.
 */
public class AggregateGold extends PTransform<PCollectionTuple, PCollectionTuple> {
  public static final TupleTag<GenericRecord> TICKETS = new TupleTag<>("silver_tickets") {};
  public static final TupleTag<GenericRecord> STATUS_EVENTS = new TupleTag<>("silver_status_events") {};
  public static final TupleTag<GenericRecord> PRECLASSIFICATION = new TupleTag<>("silver_preclassification") {};
  public static final TupleTag<KV<String, Long>> FACTS = new TupleTag<>("facts") {};
  public static final Map<GoldTable, TupleTag<GenericRecord>> TAGS = tags();

  private final String runId;
  private final Instant asOf;

  public AggregateGold(String runId, Instant asOf) {
    this.runId = DataLayout.checkRunId(runId);
    this.asOf = asOf;
  }

  private static Map<GoldTable, TupleTag<GenericRecord>> tags() {
    Map<GoldTable, TupleTag<GenericRecord>> m = new EnumMap<>(GoldTable.class);
    for (GoldTable t : GoldTable.values()) {
      m.put(t, new TupleTag<>(t.table) {});
    }
    return m;
  }

  /** The KPIs over tickets, in table order. */
  static List<Kpi<GoldTicket>> ticketKpis() {
    return List.of(new VolumeDaily(), new BacklogDaily(), new SlaDaily(), Durations.firstResponse(),
        Durations.closeTime(), new Aging(), new ReopenRate(), DailySeries.national(), DailySeries.department());
  }

  /** The last calendar day of the run: the day of the as-of (the day before, at midnight exactly). */
  public static java.time.LocalDate lastDay(Instant asOf) {
    return BusinessCalendar.colombia().localDate(asOf.minusNanos(1));
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple silver) {
    Kpi.Context ctx = new Kpi.Context(runId, asOf, lastDay(asOf));
    PCollection<GoldTicket> tickets = silver.get(TICKETS)
        .apply("ToGoldTickets", ParDo.of(new ToGoldTicketFn(asOf)))
        .setCoder(SerializableCoder.of(GoldTicket.class));

    PCollectionTuple out = PCollectionTuple.empty(silver.getPipeline());
    java.util.List<PCollection<KV<String, Long>>> facts = new java.util.ArrayList<>();
    for (Kpi<GoldTicket> kpi : ticketKpis()) {
      out = add(out, facts, kpi, tickets.apply(kpi.table().table, new ComputeKpi<>(kpi, ctx)));
    }
    Kpi<GenericRecord> matrix = new TransitionMatrix();
    out = add(out, facts, matrix, silver.get(STATUS_EVENTS).apply(matrix.table().table, new ComputeKpi<>(matrix, ctx)));
    Kpi<GenericRecord> agreement = new ClassifierAgreement();
    out = add(out, facts, agreement,
        silver.get(PRECLASSIFICATION).apply(agreement.table().table, new ComputeKpi<>(agreement, ctx)));

    PCollectionTuple snapshot = tickets.apply(GoldTable.TICKET_SNAPSHOT.table,
        ParDo.of(new SnapshotFn(runId, asOf)).withOutputTags(TAGS.get(GoldTable.TICKET_SNAPSHOT), TupleTagList.of(FACTS)));
    out = out.and(TAGS.get(GoldTable.TICKET_SNAPSHOT),
        snapshot.get(TAGS.get(GoldTable.TICKET_SNAPSHOT)).setCoder(AvroCoder.of(GoldTable.TICKET_SNAPSHOT.schema())));
    facts.add(snapshot.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    return out.and(FACTS, org.apache.beam.sdk.values.PCollectionList.of(facts)
        .apply("AllFacts", org.apache.beam.sdk.transforms.Flatten.pCollections()));
  }

  private static PCollectionTuple add(PCollectionTuple out, List<PCollection<KV<String, Long>>> facts, Kpi<?> kpi,
      PCollectionTuple computed) {
    facts.add(computed.get(FACTS));
    return out.and(TAGS.get(kpi.table()), computed.get(TAGS.get(kpi.table())));
  }

  /** One KPI: contribute, merge cells, finish. */
  static class ComputeKpi<T> extends PTransform<PCollection<T>, PCollectionTuple> {
    private final Kpi<T> kpi;
    private final Kpi.Context ctx;

    ComputeKpi(Kpi<T> kpi, Kpi.Context ctx) {
      this.kpi = kpi;
      this.ctx = ctx;
    }

    @Override
    public PCollectionTuple expand(PCollection<T> input) {
      TupleTag<GenericRecord> rows = TAGS.get(kpi.table());
      PCollectionTuple done = input
          .apply("Contribute", ParDo.of(new ContributeFn<>(kpi)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), Cell.Coder.of()))
          .apply("MergeCells", Combine.globally(new MergeCellsFn()))
          .apply("Finish", ParDo.of(new FinishFn(kpi, ctx)).withOutputTags(rows, TupleTagList.of(FACTS)));
      done.get(rows).setCoder(AvroCoder.of(kpi.table().schema()));
      done.get(FACTS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
      return done;
    }
  }

  static class ToGoldTicketFn extends DoFn<GenericRecord, GoldTicket> {
    private final Instant asOf;
    private transient BusinessCalendar calendar;

    ToGoldTicketFn(Instant asOf) {
      this.asOf = asOf;
    }

    @Setup
    public void setup() {
      calendar = BusinessCalendar.colombia();
    }

    @ProcessElement
    public void process(@Element GenericRecord r, OutputReceiver<GoldTicket> out) {
      StepCounters.RECORDS_IN.inc();
      out.output(GoldTicket.fromSilver(r, calendar, asOf));
    }
  }

  static class ContributeFn<T> extends DoFn<T, KV<String, Cell>> {
    private final Kpi<T> kpi;

    ContributeFn(Kpi<T> kpi) {
      this.kpi = kpi;
    }

    @ProcessElement
    public void process(@Element T row, OutputReceiver<KV<String, Cell>> out) {
      kpi.contribute(row, (grain, cell) -> out.output(KV.of(grain, cell)));
    }
  }

  /** Merges the cells of each grain; the accumulator is the table being built. */
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

  static class FinishFn extends DoFn<Map<String, Cell>, GenericRecord> {
    private final Kpi<?> kpi;
    private final Kpi.Context ctx;

    FinishFn(Kpi<?> kpi, Kpi.Context ctx) {
      this.kpi = kpi;
      this.ctx = ctx;
    }

    @ProcessElement
    public void process(@Element Map<String, Cell> cells, MultiOutputReceiver out) {
      Kpi.Result r = kpi.finish(new TreeMap<>(cells), ctx);
      r.rows().forEach(out.get(TAGS.get(kpi.table()))::output);
      r.facts().forEach((k, v) -> out.get(FACTS).output(KV.of(k, v)));
    }
  }

  static class SnapshotFn extends DoFn<GoldTicket, GenericRecord> {
    private final String runId;
    private final Instant asOf;
    private transient org.apache.avro.Schema schema;

    SnapshotFn(String runId, Instant asOf) {
      this.runId = runId;
      this.asOf = asOf;
    }

    @Setup
    public void setup() {
      schema = GoldTable.TICKET_SNAPSHOT.schema();
    }

    @ProcessElement
    public void process(@Element GoldTicket t, MultiOutputReceiver out) {
      out.get(TAGS.get(GoldTable.TICKET_SNAPSHOT)).output(Snapshot.row(schema, runId, asOf, t));
      out.get(FACTS).output(KV.of("snapshot.rows", 1L));
      if (t.openWithCreation()) {
        out.get(FACTS).output(KV.of("snapshot.open", 1L));
      }
      if (t.closedWithCreation()) {
        out.get(FACTS).output(KV.of("snapshot.closed", 1L));
      }
    }
  }
}
