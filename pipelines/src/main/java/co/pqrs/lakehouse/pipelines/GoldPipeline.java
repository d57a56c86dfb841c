package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.gold.GoldRun;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gold layer: the Silver tables of a run → the KPI tables, the daily series and the ticket snapshot,
 * reconciled against Silver, published, and served (loaded into {@code gold.*} with the run's
 * SUCCESS record) in the serving store. Re-running a run id replaces its Gold files and rows.
 */
public final class GoldPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(GoldPipeline.class);

  private GoldPipeline() {}

  public interface Options extends LayerOptions {
    @Description("As-of instant (RFC 3339); default the Silver run's as-of")
    String getAsOf();

    void setAsOf(String value);

    @Description("Folder with pqrs_quality_v1.yaml; default the packaged docs/07-config")
    String getConfigDir();

    void setConfigDir(String value);
  }

  public record Result(Manifest manifest, String manifestPath) {}

  public static Result run(Options o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    String runId = DataLayout.checkRunId(o.getRunId());
    DataLayout layout = DataLayout.at(o.getRoot());
    Manifest silver = LayerDriver.require(layout, DataLayout.SILVER, runId, "run pqrs silver first");
    // Gold describes the same instant as the Silver it reads, unless told otherwise.
    Instant asOf = o.getAsOf() != null ? Args.instant("asOf", o.getAsOf())
        : Instant.parse(String.valueOf(silver.parameters().get("as_of")));
    Source quality = Source.of(o.getConfigDir() == null ? null : Path.of(o.getConfigDir()),
        Source.Kind.CONFIG, QualityConfig.FILE);
    QualityConfig qc = QualityConfig.parse(quality.name(), quality.text());

    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("layer_code", "GoldRun");
    parameters.put("silver_data_hash", silver.dataHash());
    parameters.put("as_of", asOf.toString());
    parameters.put("code_version", BuildInfo.codeVersion());
    parameters.put("config_hashes", new TreeMap<>(Map.of(quality.name(), quality.sha256())));
    Map<String, Long> silverFigures = new TreeMap<>();
    silverFigures.put("silver.tickets", silver.counts().getOrDefault("rows." + SilverTables.TICKETS.table, 0L));
    silverFigures.put("silver.creations", silver.counts().getOrDefault("rows.creations", 0L));

    LOG.info("gold run {}: as of {}", runId, asOf);
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.GOLD, runId, parameters, asOf);
    Manifest m = LayerDriver.run(o, layout, DataLayout.GOLD, runId, "GoldRun",
        new GoldRun(layout, runId, asOf, qc.forLayer(DataLayout.GOLD), parameters, silverFigures)
            .withRecorder(rec.recorder()), rec);
    return new Result(m, layout.manifest(DataLayout.GOLD, runId));
  }

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(Options.class);
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    System.out.println(Summary.gold(run(o)));
  }
}
