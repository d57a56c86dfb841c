package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import co.pqrs.lakehouse.transforms.simulate.SimulateRaw;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw layer: simulate a run of PQRS events into {@code raw/pqrs/run_id=.../day=.../}. Raw is
 * immutable: a run_id that exists is left alone when its parameters are the same, refused otherwise.
 */
public final class SimulateRawPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(SimulateRawPipeline.class);

  private SimulateRawPipeline() {}

  public interface Options extends ServingOptions {
    @Description("Run id; default sim-<seed>-<start>-<end>")
    String getRunId();

    void setRunId(String value);

    @Description("Seed; default the seed of the simulation config")
    Long getSeed();

    void setSeed(Long value);

    @Description("First simulated day, yyyy-MM-dd; default the config's date_range.start")
    String getStart();

    void setStart(String value);

    @Description("Last simulated day (inclusive), yyyy-MM-dd; default the config's date_range.end")
    String getEnd();

    void setEnd(String value);

    @Description("Folder with pqrs_simulation_v1.yaml, pqrs_status_v1.yaml, pqrs_preclass_rules_v1.yaml; "
        + "default the copies packaged from docs/07-config")
    String getConfigDir();

    void setConfigDir(String value);

    @Description("A simulation YAML that replaces pqrs_simulation_v1.yaml")
    String getSimulationConfig();

    void setSimulationConfig(String value);

    @Description("Megabytes of events a day's writer holds (estimated as objects) before it sorts the rest in "
        + "runs on the worker's local disk (java.io.tmpdir); the bytes written are the same either way. "
        + "Default: an eighth of the worker's heap")
    Long getSortHeldMb();

    void setSortHeldMb(Long value);
  }

  /** How a run ended. */
  public record Result(Manifest manifest, boolean alreadyExisted, String manifestPath) {}

  /** Loads and overrides the configuration as the options say. */
  public static LakehouseConfig config(Options o) {
    LakehouseConfig base = LakehouseConfig.load(
        o.getConfigDir() == null ? null : Path.of(o.getConfigDir()),
        o.getSimulationConfig() == null ? null : Path.of(o.getSimulationConfig()),
        null);
    SimulationConfig s = base.simulation().with(o.getSeed(), Args.date("start", o.getStart()), Args.date("end", o.getEnd()));
    return base.withSimulation(s);
  }

  public static String defaultRunId(SimulationConfig s) {
    return "sim-" + s.seed() + "-" + s.start() + "-" + s.end();
  }

  public static Result run(Options o) throws IOException {
    FileSystems.setDefaultPipelineOptions(o);
    LakehouseConfig cfg = config(o);
    String runId = DataLayout.checkRunId(o.getRunId() != null ? o.getRunId() : defaultRunId(cfg.simulation()));
    DataLayout layout = DataLayout.at(o.getRoot());
    long sortHeld = Args.megabytes("sortHeldMb", o.getSortHeldMb(), SpillingSort.HELD_FROM_HEAP);
    String manifestPath = layout.manifest(DataLayout.RAW, runId);
    LayerDriver.prepareStorage(o, layout);

    Manifest existing = RunPublisher.readManifest(manifestPath);
    if (existing != null) {
      String fp = Manifest.fingerprint(SimulateRaw.parameters(cfg));
      if (!existing.fingerprint().equals(fp)) {
        throw new RunPublisher.RunExistsException("raw run_id " + runId + " already exists at "
            + layout.rawRun(runId) + " with other parameters (seed, dates, config or code version); "
            + "raw is immutable: use another --run-id");
      }
      for (Manifest.FileEntry f : existing.files()) {
        if (!LakehouseFiles.exists(layout.resolve(f.path()))) {
          throw new RunPublisher.RunDamagedException("raw run_id " + runId + " is damaged: " + f.path()
              + " is missing; delete " + layout.rawRun(runId) + " and " + manifestPath + " to regenerate it");
        }
      }
      LOG.info("raw run {} already exists with the same parameters: nothing to do", runId);
      return new Result(existing, true, manifestPath);
    }

    int stale = LakehouseFiles.deleteTree(layout.staging(DataLayout.RAW, runId));
    if (stale > 0) {
      LOG.warn("removed {} staged files of an earlier, unfinished attempt", stale);
    }
    SimulationConfig s = cfg.simulation();
    LOG.info("simulating raw run {}: {} to {} ({} days), seed {}, into {}",
        runId, s.start(), s.end(), s.days(), s.seed(), layout.root());
    RunRecording rec = LayerDriver.recording(o, layout, DataLayout.RAW, runId, SimulateRaw.parameters(cfg), null);
    LayerDriver.nameJob(o, DataLayout.RAW, runId);
    Pipeline p = Pipeline.create(o);
    p.apply("SimulateRaw", new SimulateRaw(cfg, layout, runId).withRecorder(rec.recorder()).withSortHeldBytes(sortHeld));
    if (!LayerDriver.execute(p, rec)) {
      return new Result(null, false, manifestPath);
    }
    Manifest m = RunPublisher.readManifest(manifestPath);
    if (m == null) {
      throw new IllegalStateException("the pipeline finished but wrote no manifest at " + manifestPath);
    }
    return new Result(m, false, manifestPath);
  }

  public static void main(String[] args) throws IOException {
    PipelineOptionsFactory.register(Options.class);
    Options o = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Result r = run(o);
    System.out.println(Summary.raw(r));
  }
}
