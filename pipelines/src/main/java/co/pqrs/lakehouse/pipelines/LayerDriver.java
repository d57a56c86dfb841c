package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.Pushgateway;
import co.pqrs.lakehouse.metrics.PushgatewayRecorder;
import co.pqrs.lakehouse.serving.ControlPlane;
import co.pqrs.lakehouse.serving.RunInfo;
import co.pqrs.lakehouse.serving.StoreConfig;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side every layer shares: the control-plane record of the run, clearing stale staging,
 * running the pipeline, reading its manifest.
 */
public final class LayerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LayerDriver.class);

  private LayerDriver() {}

  /** The published manifest of {@code layer} for a run, or a one-line error saying how to make it. */
  public static Manifest require(DataLayout layout, String layer, String runId, String howToMakeIt)
      throws IOException {
    Manifest m = RunPublisher.readManifest(layout.manifest(layer, runId));
    if (m == null) {
      throw new IllegalArgumentException(layer + " run_id " + runId + " not found: no "
          + layout.manifest(layer, runId) + " (" + howToMakeIt + ")");
    }
    return m;
  }

  /**
   * The control plane of a layer's run, or null when there is no store to write to (an object-store
   * root without {@code --jdbcUrl}): the run then lives in its manifest only.
   */
  static ControlPlane controlPlane(ServingOptions o, DataLayout layout, String layer, String runId,
      Map<String, Object> parameters, Instant asOf) throws IOException {
    StoreConfig store = StoreConfig.resolve(o.getJdbcUrl(), layout);
    if (store == null) {
      LOG.warn("no serving store: the root {} is not a local folder and neither --jdbcUrl nor ${} is set; "
          + "the {} run is recorded in its manifest only", layout.root(), StoreConfig.ENV_URL, layer);
      return null;
    }
    RunInfo info = runInfo(layout, layer, runId, parameters, asOf, o.getRunner().getSimpleName());
    return new ControlPlane(store, info, layout);
  }

  /**
   * What the control plane records of a run besides its outcome: the seed (the parameters', or the
   * simulated Raw run's it descends from), one hash of its config files, code version, runner, as-of.
   */
  @SuppressWarnings("unchecked")
  static RunInfo runInfo(DataLayout layout, String layer, String runId, Map<String, Object> parameters, Instant asOf,
      String runner) throws IOException {
    Object seed = parameters.get("seed");
    if (seed == null) {
      Manifest raw = RunPublisher.readManifest(layout.manifest(DataLayout.RAW, runId));
      seed = raw == null ? null : raw.parameters().get("seed");
    }
    Object hashes = parameters.get("config_hashes");
    String configHash = hashes instanceof Map<?, ?> h ? RunInfo.configHash((Map<String, String>) h) : null;
    return new RunInfo(runId, layer, seed == null ? null : ((Number) seed).longValue(), configHash,
        BuildInfo.codeVersion(), runner, asOf);
  }

  /**
   * Where a layer's run is recorded: its control plane, and the Pushgateway of
   * {@code --pushgatewayUrl} (or {@code $PQRS_PUSHGATEWAY_URL}) when one is set.
   */
  static RunRecording recording(ServingOptions o, DataLayout layout, String layer, String runId,
      Map<String, Object> parameters, Instant asOf) throws IOException {
    Pushgateway gateway = Pushgateway.resolve(o.getPushgatewayUrl());
    return new RunRecording(controlPlane(o, layout, layer, runId, parameters, asOf), gateway == null ? null
        : new PushgatewayRecorder(gateway, layer, runId, o.getRunner().getSimpleName(), Instant.now()));
  }

  /** Names the job {@code pqrs-<layer>-<run_id>} unless --jobName says otherwise (Flink UI, metrics). */
  static void nameJob(PipelineOptions o, String layer, String runId) {
    if (o.getJobName() == null || BEAM_DEFAULT_JOB_NAME.matcher(o.getJobName()).matches()) {
      o.setJobName("pqrs-" + layer + "-" + runId);
    }
  }

  /** The name Beam makes up when none is given: {@code <app>-<user>-<MMddHHmmss>-<random hex>}. */
  private static final java.util.regex.Pattern BEAM_DEFAULT_JOB_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]+-[a-z0-9]*-\\d{10}-[0-9a-f]{1,8}");

  /** True when the failure is a FAIL check: the pipeline has recorded it already, with its checks. */
  static boolean recordedInPipeline(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RunPublisher.QualityFailedException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True for a Flink job submitted detached ({@code --attachedMode=false}, what the web UI and REST
   * need): {@code main()} returns once the job is accepted, and the job itself writes its manifest
   * and its run record when it ends.
   */
  static boolean detached(PipelineOptions o) {
    return o.getRunner().getSimpleName().equals("FlinkRunner")
        && !o.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getAttachedMode();
  }

  /**
   * True when the job goes to a Flink cluster rather than one embedded in this JVM: a master given,
   * or Beam's {@code [auto]} when Flink's CLI started this JVM.
   */
  static boolean onFlinkCluster(PipelineOptions o) {
    if (!o.getRunner().getSimpleName().equals("FlinkRunner")) {
      return false;
    }
    String master = o.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class).getFlinkMaster();
    return master.equals("[auto]") ? !org.apache.flink.api.java.ExecutionEnvironment.areExplicitEnvironmentsAllowed()
        : !master.equals("[local]");
  }

  /** Creates the bucket of an s3:// root when --createBucket says so. */
  static void prepareStorage(ServingOptions o, DataLayout layout) {
    if (o.getCreateBucket() && layout.root().startsWith("s3://")) {
      co.pqrs.lakehouse.pipelines.s3.S3Buckets.ensure(o, layout.root());
    }
  }

  /**
   * Records RUNNING, runs the pipeline to the end, and records a failure the pipeline could not.
   *
   * @return false when the job was submitted detached and is still running
   */
  static boolean execute(Pipeline p, RunRecording rec) throws IOException {
    if (onFlinkCluster(p.getOptions())) {
      SameCode.checkUploaded();
      p.apply("SameCodeAsThisCommand", SameCode.asThisJvm());
    }
    boolean watched = ClusterJobWait.appliesTo(p.getOptions());
    if (watched) {
      ClusterJobWait.detach(p.getOptions());
    }
    rec.started();
    try {
      PipelineResult result;
      try {
        result = p.run();
      } finally {
        if (watched) {
          ClusterJobWait.reattach(p.getOptions());
        }
      }
      if (watched) {
        ClusterJobWait.await(result);
        return true;
      }
      if (detached(p.getOptions())) {
        LOG.info("submitted as a detached Flink job: it records its own outcome (manifest, meta.etl_runs)");
        return false;
      }
      PipelineResult.State state = result.waitUntilFinish();
      LOG.debug("pipeline finished: {}", state);
      if (state != PipelineResult.State.DONE) {
        // The DirectRunner can report a failed job by its state alone (when an Error, such as running
        // out of memory, stopped it), having logged the error itself.
        throw new IllegalStateException("the pipeline ended " + state + " (the runner logged why, above)");
      }
      return true;
    } catch (RuntimeException e) {
      if (!recordedInPipeline(e)) {
        rec.crashed(e.getCause() != null ? e.getCause() : e);
      }
      throw e;
    }
  }

  /** Runs a layer; returns its manifest, or null when it was submitted detached and is still running. */
  static Manifest run(ServingOptions o, DataLayout layout, String layer, String runId, String name,
      PTransform<PBegin, PCollection<Manifest>> transform, RunRecording rec) throws IOException {
    prepareStorage(o, layout);
    int stale = LakehouseFiles.deleteTree(layout.staging(layer, runId));
    if (stale > 0) {
      LOG.warn("removed {} staged files of an earlier, unfinished {} attempt", stale, layer);
    }
    nameJob(o, layer, runId);
    Pipeline p = Pipeline.create(o);
    p.apply(name, transform);
    if (!execute(p, rec)) {
      return null;
    }
    String path = layout.manifest(layer, runId);
    Manifest m = RunPublisher.readManifest(path);
    if (m == null) {
      throw new IllegalStateException("the pipeline finished but wrote no manifest at " + path);
    }
    return m;
  }
}
