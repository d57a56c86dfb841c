package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.LakehouseFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.io.IOException;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The driver side every curated layer shares: clear stale staging, run the layer, read its manifest. */
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

  static Manifest run(PipelineOptions o, DataLayout layout, String layer, String runId, String name,
      PTransform<PBegin, PCollection<Manifest>> transform) throws IOException {
    int stale = LakehouseFiles.deleteTree(layout.staging(layer, runId));
    if (stale > 0) {
      LOG.warn("removed {} staged files of an earlier, unfinished {} attempt", stale, layer);
    }
    Pipeline p = Pipeline.create(o);
    p.apply(name, transform);
    p.run().waitUntilFinish();
    String path = layout.manifest(layer, runId);
    Manifest m = RunPublisher.readManifest(path);
    if (m == null) {
      throw new IllegalStateException("the pipeline finished but wrote no manifest at " + path);
    }
    return m;
  }
}
