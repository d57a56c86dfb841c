package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.PreclassRules;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.silver.SilverRun;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silver layer: Bronze events of a run → tickets, messages, status_events, attachments and
 * preclassification, with the lifecycle checked, the SLA clock and the rules classifier, as of the
 * run's as-of instant. Re-running a run id replaces its Silver outputs.
 */
public final class SilverPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(SilverPipeline.class);

  private SilverPipeline() {}

  public interface Options extends LayerOptions {
    @Description("As-of instant (RFC 3339); default the end of the data: the day after the last Bronze day, 00:00 Bogota")
    String getAsOf();

    void setAsOf(String value);

    @Description("Folder with the pqrs_*_v1.yaml files; default the packaged docs/07-config")
    String getConfigDir();

    void setConfigDir(String value);
  }

  public record Result(Manifest manifest, String manifestPath) {}

  /** The end of the data: the start of the day after the last Bronze day partition, in Bogota. */
  static Instant endOfData(Manifest bronze) {
    LocalDate last = null;
    for (String p : bronze.partitionCounts().keySet()) {
      if (p.startsWith("day=")) {
        LocalDate d = LocalDate.parse(p.substring(4));
        last = last == null || d.isAfter(last) ? d : last;
      }
    }
    if (last == null) {
      throw new IllegalArgumentException("bronze run " + bronze.runId() + " has no rows: nothing to curate");
    }
    return last.plusDays(1).atStartOfDay(BusinessCalendar.ZONE).toInstant();
  }

  public static Result run(Options o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    String runId = DataLayout.checkRunId(o.getRunId());
    DataLayout layout = DataLayout.at(o.getRoot());
    Manifest bronze = LayerDriver.require(layout, DataLayout.BRONZE, runId, "run pqrs bronze first");
    Instant asOf = o.getAsOf() == null ? endOfData(bronze) : Args.instant("asOf", o.getAsOf());
    Path dir = o.getConfigDir() == null ? null : Path.of(o.getConfigDir());
    LakehouseConfig cfg = LakehouseConfig.load(dir, null, null);
    Source quality = Source.of(dir, Source.Kind.CONFIG, QualityConfig.FILE);
    QualityConfig qc = QualityConfig.parse(quality.name(), quality.text());
    String rulesVersion = "pqrs_preclass_rules_v1@" + cfg.hashes().get(PreclassRules.FILE).substring(0, 12);

    Map<String, Object> parameters = new TreeMap<>();
    parameters.put("layer_code", "SilverRun");
    parameters.put("bronze_data_hash", bronze.dataHash());
    parameters.put("as_of", asOf.toString());
    parameters.put("code_version", BuildInfo.codeVersion());
    parameters.put("rules_version", rulesVersion);
    Map<String, String> hashes = new TreeMap<>(cfg.hashes());
    hashes.put(quality.name(), quality.sha256());
    for (SilverTables t : SilverTables.values()) {
      hashes.put(t.file(), Source.packaged(Source.Kind.CONTRACTS, t.file()).sha256());
    }
    parameters.put("config_hashes", hashes);

    LOG.info("silver run {}: as of {}", runId, asOf);
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.SILVER, runId, parameters, asOf);
    Manifest m = LayerDriver.run(o, layout, DataLayout.SILVER, runId, "SilverRun",
        new SilverRun(cfg, layout, runId, asOf, rulesVersion, qc.forLayer(DataLayout.SILVER), parameters)
            .withExpectedRows(bronze.counts().getOrDefault("rows", 0L))
            .withRecorder(rec.recorder()), rec);
    String path = layout.manifest(DataLayout.SILVER, runId);
    return new Result(m, path);
  }

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(Options.class);
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    System.out.println(Summary.silver(run(o)));
  }
}
