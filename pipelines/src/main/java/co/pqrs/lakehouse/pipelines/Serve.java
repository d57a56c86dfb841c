package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.serving.ControlPlane;
import co.pqrs.lakehouse.serving.RunInfo;
import co.pqrs.lakehouse.serving.StoreConfig;
import java.time.Instant;

/**
 * Loads a published Gold run into a serving store again, e.g. a run built on the embedded store into
 * PostgreSQL, or after the store was recreated. The same transaction as a Gold run's own load.
 */
public final class Serve {
  private Serve() {}

  public record Result(Manifest manifest, StoreConfig store) {}

  public static Result run(String root, String runId, String jdbcUrl) throws Exception {
    DataLayout layout = DataLayout.at(root);
    Manifest m = LayerDriver.require(layout, DataLayout.GOLD, DataLayout.checkRunId(runId), "run pqrs gold first");
    StoreConfig store = StoreConfig.resolve(jdbcUrl, layout);
    if (store == null) {
      throw new IllegalArgumentException("no serving store for " + root + ": pass --jdbc-url or set "
          + StoreConfig.ENV_URL);
    }
    RunInfo info = LayerDriver.runInfo(layout, DataLayout.GOLD, runId, m.parameters(),
        Instant.parse(String.valueOf(m.parameters().get("as_of"))), "serve");
    ControlPlane cp = new ControlPlane(store, info, layout);
    cp.started();
    try {
      cp.published(m, layout.manifest(DataLayout.GOLD, runId));
    } catch (Exception e) {
      cp.failedQuietly(e);
      throw e;
    }
    return new Result(m, store);
  }
}
