package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.bronze.BronzeRun;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bronze layer: Raw JSONL of a run → validated, typed, de-duplicated Parquet
 * ({@code bronze/events/run_id=.../day=.../}) and a quarantine with reasons. Re-running a run id
 * replaces its Bronze outputs.
 */
public final class BronzePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(BronzePipeline.class);

  private BronzePipeline() {}

  public interface Options extends LayerOptions {
    @Description("First Raw day to read, yyyy-MM-dd; default all days (day=unknown only when no range is given)")
    String getStart();

    void setStart(String value);

    @Description("Last Raw day to read (inclusive), yyyy-MM-dd")
    String getEnd();

    void setEnd(String value);

    @Description("As-of instant for the freshness check (RFC 3339); default the newest event")
    String getAsOf();

    void setAsOf(String value);

    @Description("Folder with pqrs_quality_v1.yaml; default the packaged docs/07-config")
    String getConfigDir();

    void setConfigDir(String value);

    @Description("Megabytes of a de-duplication group (estimated as objects) a worker holds before it sorts the "
        + "rest in runs on its local disk (java.io.tmpdir): one event_id in very many lines lands in one group. "
        + "The bytes written are the same either way. Default: a quarter of the worker's heap")
    Long getSortHeldMb();

    void setSortHeldMb(Long value);
  }

  public record Result(Manifest manifest, String manifestPath) {}

  /** Raw file patterns of a run: every day, or the days of a range. */
  static List<String> rawPatterns(DataLayout layout, String runId, LocalDate start, LocalDate end) {
    String run = layout.rawRun(runId);
    if (start == null && end == null) {
      return List.of(run + "day=*/*.jsonl");
    }
    if (start == null || end == null || end.isBefore(start)) {
      throw new IllegalArgumentException("--start and --end go together, start not after end");
    }
    List<String> out = new ArrayList<>();
    for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
      out.add(run + DataLayout.dayPartition(d) + "/*.jsonl");
    }
    return out;
  }

  public static Result run(Options o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    String runId = DataLayout.checkRunId(o.getRunId());
    DataLayout layout = DataLayout.at(o.getRoot());
    long sortHeld = Args.megabytes("sortHeldMb", o.getSortHeldMb(), SpillingSort.HELD_FROM_HEAP);
    Manifest raw = LayerDriver.require(layout, DataLayout.RAW, runId, "simulate or ingest it first");
    LocalDate start = Args.date("start", o.getStart());
    LocalDate end = Args.date("end", o.getEnd());
    Instant asOf = Args.instant("asOf", o.getAsOf());
    Source quality = Source.of(o.getConfigDir() == null ? null : Path.of(o.getConfigDir()),
        Source.Kind.CONFIG, QualityConfig.FILE);
    QualityConfig qc = QualityConfig.parse(quality.name(), quality.text());

    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("layer_code", "BronzeRun");
    parameters.put("raw_data_hash", raw.dataHash());
    parameters.put("start", start == null ? "all" : start.toString());
    parameters.put("end", end == null ? "all" : end.toString());
    parameters.put("as_of", asOf == null ? "newest event" : asOf.toString());
    parameters.put("code_version", BuildInfo.codeVersion());
    parameters.put("config_hashes", new TreeMap<>(Map.of(
        quality.name(), quality.sha256(),
        RawContract.FILE, Source.packaged(Source.Kind.CONTRACTS, RawContract.FILE).sha256(),
        BronzeSchema.FILE, Source.packaged(Source.Kind.CONTRACTS, BronzeSchema.FILE).sha256())));

    LOG.info("bronze run {}: reading {} into {}", runId, layout.rawRun(runId), layout.root());
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.BRONZE, runId, parameters, asOf);
    Manifest m = LayerDriver.run(o, layout, DataLayout.BRONZE, runId, "BronzeRun", new BronzeRun(layout, runId,
        rawPatterns(layout, runId, start, end), qc.forLayer(DataLayout.BRONZE), asOf, parameters)
        .withRecorder(rec.recorder()).withLinesPerRawDay(BronzeRun.linesPerRawDay(raw))
        .withSortHeldBytes(sortHeld), rec);
    String path = layout.manifest(DataLayout.BRONZE, runId);
    return new Result(m, path);
  }

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(Options.class);
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    System.out.println(Summary.bronze(run(o)));
  }
}
