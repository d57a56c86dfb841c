package co.pqrs.lakehouse.metrics;

import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a run's final figures ({@link RunMetrics}) to a Pushgateway when the run ends, from the step
 * that publishes it, so it works on every runner and however the job was submitted. A Pushgateway
 * that cannot be reached costs a warning, never the run: the figures are in the manifest and the
 * control plane anyway.
 */
public class PushgatewayRecorder implements RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(PushgatewayRecorder.class);

  private final Pushgateway gateway;
  private final String layer;
  private final String runId;
  private final String runner;
  private final long startedMillis;

  public PushgatewayRecorder(Pushgateway gateway, String layer, String runId, String runner, Instant started) {
    this.gateway = gateway;
    this.layer = layer;
    this.runId = runId;
    this.runner = runner;
    this.startedMillis = started.toEpochMilli();
  }

  @Override
  public void published(Manifest m, String manifestPath) {
    push(m.publishedStatus(), m);
  }

  @Override
  public void failed(Manifest m, String error) {
    push(Manifest.FAILED, m);
  }

  /** @return true when the Pushgateway took the figures */
  public boolean push(String status, Manifest m) {
    String body = RunMetrics.exposition(layer, runId, runner, status, m, Instant.ofEpochMilli(startedMillis),
        Instant.now());
    try {
      gateway.put(RunMetrics.JOB, Map.of("layer", layer), body);
      LOG.info("{} run {} ({}): final figures pushed to {}", layer, runId, status, gateway.url());
      return true;
    } catch (Exception e) {
      LOG.warn("{} run {}: final figures not pushed to the Pushgateway: {}", layer, runId, e.getMessage());
      return false;
    }
  }
}
