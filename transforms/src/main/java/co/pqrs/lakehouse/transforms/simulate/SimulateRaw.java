package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.FileStat;
import co.pqrs.lakehouse.transforms.io.GroupInBatches;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Simulates a Raw run: plans each day's volume, simulates the tickets created on each day (days in
 * parallel, each from its own seed), groups events by the day they happen, writes one JSONL file per
 * day under staging (sorted on local disk when a day is larger than a writer holds), and publishes the run with its manifest. Outputs the published manifest.
 */
public class SimulateRaw extends PTransform<PBegin, PCollection<Manifest>> {
  private final LakehouseConfig config;
  private final DataLayout layout;
  private final String runId;

  private RunRecorder recorder = RunRecorder.NONE;
  private long sortHeldBytes = SpillingSort.HELD_FROM_HEAP;

  /** Also tells the published run to {@code recorder} (e.g. the control plane). */
  public SimulateRaw withRecorder(RunRecorder recorder) {
    this.recorder = recorder;
    return this;
  }

  /**
   * Estimated bytes of events a day's writer holds before it sorts the rest on local disk, or
   * {@link SpillingSort#HELD_FROM_HEAP} (the default: an eighth of the worker's heap). The bytes
   * written are the same either way.
   */
  public SimulateRaw withSortHeldBytes(long bytes) {
    this.sortHeldBytes = SpillingSort.checkHeld(bytes);
    return this;
  }

  public SimulateRaw(LakehouseConfig config, DataLayout layout, String runId) {
    this.config = config;
    this.layout = layout;
    this.runId = DataLayout.checkRunId(runId);
  }

  /** What determines the bytes of the run; its hash is the manifest's fingerprint. */
  public static Map<String, Object> parameters(LakehouseConfig c) {
    SimulationConfig s = c.simulation();
    Map<String, Object> p = new TreeMap<>();
    p.put("generator", "SimulateRaw");
    p.put("seed", s.seed());
    p.put("start", s.start().toString());
    p.put("end", s.end().toString());
    p.put("code_version", BuildInfo.codeVersion());
    p.put("config_hashes", new TreeMap<>(c.hashes()));
    return p;
  }

  @Override
  public PCollection<Manifest> expand(PBegin begin) {
    SimulationConfig sim = config.simulation();
    List<DayPlan> days = VolumePlanner.plan(sim, BusinessCalendar.colombia());
    TicketSimulator simulator = new TicketSimulator(config, TicketSimulator.asOf(sim));
    String staging = layout.staging(DataLayout.RAW, runId);

    PCollection<FileStat> files = begin
        .apply("PlanDays", Create.of(days).withCoder(SerializableCoder.of(DayPlan.class)))
        // Spread the days over workers before the heavy step (Create yields one bundle).
        .apply("SpreadDays", Reshuffle.viaRandomKey())
        .apply("SimulateTickets", ParDo.of(new GenerateTicketsFn(simulator)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), EventLine.Coder.of()))
        .apply("GroupByEventDay", GroupInBatches.create())
        .apply("WriteDayFiles", ParDo.of(new WriteDayFileFn(staging, layout.relative(layout.rawRun(runId)),
            sortHeldBytes)))
        .setCoder(SerializableCoder.of(FileStat.class));

    return files
        .apply("CollectFiles", Combine.globally(new ToListFn()))
        .apply("PublishRun", ParDo.of(new PublishFn(layout, runId, parameters(config), recorder)))
        .setCoder(SerializableCoder.of(Manifest.class));
  }

  /** Gathers the (few hundred) file stats of a run into one list. */
  static class ToListFn extends Combine.CombineFn<FileStat, ArrayList<FileStat>, ArrayList<FileStat>> {
    @Override
    public ArrayList<FileStat> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public ArrayList<FileStat> addInput(ArrayList<FileStat> acc, FileStat f) {
      acc.add(f);
      return acc;
    }

    @Override
    public ArrayList<FileStat> mergeAccumulators(Iterable<ArrayList<FileStat>> accs) {
      ArrayList<FileStat> out = new ArrayList<>();
      accs.forEach(out::addAll);
      return out;
    }

    @Override
    public ArrayList<FileStat> extractOutput(ArrayList<FileStat> acc) {
      return acc;
    }
  }

  static class PublishFn extends DoFn<ArrayList<FileStat>, Manifest> {
    private final DataLayout layout;
    private final String runId;
    private final TreeMap<String, Object> parameters;

    private final RunRecorder recorder;

    PublishFn(DataLayout layout, String runId, Map<String, Object> parameters, RunRecorder recorder) {
      this.layout = layout;
      this.runId = runId;
      this.parameters = new TreeMap<>(parameters);
      this.recorder = recorder;
    }

    @ProcessElement
    public void process(@Element ArrayList<FileStat> files, OutputReceiver<Manifest> out) throws Exception {
      Map<String, Long> counts = new TreeMap<>(FileStat.totals(files));
      long lines = files.stream().mapToLong(FileStat::rows).sum();
      counts.put("lines", lines);
      counts.put("tickets", counts.getOrDefault("events.TICKET_CREATED", 0L));
      counts.put("files", (long) files.size());
      Manifest m = Manifest.of(DataLayout.RAW, runId, parameters, counts,
          files.stream().map(FileStat::entry).toList(), FileStat.dataHash(files));
      Manifest published = RunPublisher.publishImmutable(m, layout, layout.rawRun(runId));
      recorder.published(published, layout.manifest(DataLayout.RAW, runId));
      out.output(published);
    }
  }
}
