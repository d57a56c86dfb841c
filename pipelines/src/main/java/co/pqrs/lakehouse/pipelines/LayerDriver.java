package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.BuildInfo;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.serving.ControlPlane;
import co.pqrs.lakehouse.serving.RunInfo;
import co.pqrs.lakehouse.serving.StoreConfig;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import java.io.IOException;
import java.sql.SQLException;
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
final class LayerDriver {
  private static final Logger LOG = LoggerFactory.getLogger(LayerDriver.class);

  private LayerDriver() {}

  /** The published manifest of {@code layer} for a run, or a one-line error saying how to make it. */
  static Manifest require(DataLayout layout, String layer, String runId, String howToMakeIt) throws IOException {
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

  static RunRecorder recorder(ControlPlane cp) {
    return cp == null ? RunRecorder.NONE : cp;
  }

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
  static boolean execute(Pipeline p, ControlPlane cp) throws IOException {
    if (cp != null) {
      try {
        cp.started();
      } catch (SQLException e) {
        throw new IllegalStateException("cannot write the control plane in " + cp.store().describe() + ": "
            + e.getMessage(), e);
      }
    }
    try {
      PipelineResult result = p.run();
      if (detached(p.getOptions())) {
        LOG.info("submitted as a detached Flink job: it records its own outcome (manifest, meta.etl_runs)");
        return false;
      }
      PipelineResult.State state = result.waitUntilFinish();
      LOG.debug("pipeline finished: {}", state);
      return true;
    } catch (RuntimeException e) {
      if (cp != null && !recordedInPipeline(e)) {
        cp.failedQuietly(e.getCause() != null ? e.getCause() : e);
      }
      throw e;
    }
  }

  /** Runs a layer; returns its manifest, or null when it was submitted detached and is still running. */
  static Manifest run(ServingOptions o, DataLayout layout, String layer, String runId, String name,
      PTransform<PBegin, PCollection<Manifest>> transform, ControlPlane cp) throws IOException {
    prepareStorage(o, layout);
    int stale = LakehouseFiles.deleteTree(layout.staging(layer, runId));
    if (stale > 0) {
      LOG.warn("removed {} staged files of an earlier, unfinished {} attempt", stale, layer);
    }
    Pipeline p = Pipeline.create(o);
    p.apply(name, transform);
    if (!execute(p, cp)) {
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
