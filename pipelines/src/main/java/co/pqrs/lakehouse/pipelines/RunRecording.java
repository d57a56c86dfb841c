package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.PushgatewayRecorder;
import co.pqrs.lakehouse.serving.ControlPlane;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import java.sql.SQLException;

/**
 * Where one run is recorded: the control plane (null without a store) and the Pushgateway (null
 * unless one is configured). The pipeline's publishing step tells both through {@link #recorder()};
 * the driver records the start and any crash the pipeline could not.
 */
record RunRecording(ControlPlane controlPlane, PushgatewayRecorder pushgateway) {

  RunRecorder recorder() {
    return RunRecorder.all(controlPlane, pushgateway);
  }

  void started() {
    if (controlPlane == null) {
      return;
    }
    try {
      controlPlane.started();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the control plane in " + controlPlane.store().describe() + ": "
          + e.getMessage(), e);
    }
  }

  /** A failure outside the publishing step (the driver's, or a crash before the pipeline could tell). */
  void crashed(Throwable e) {
    if (controlPlane != null) {
      controlPlane.failedQuietly(e);
    }
    if (pushgateway != null) {
      pushgateway.push(Manifest.FAILED, null);
    }
  }
}
