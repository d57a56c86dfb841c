package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.manifest.Manifest;
import java.io.Serializable;

/**
 * Where a layer tells the outcome of its run besides its manifest: the control plane
 * ({@code co.pqrs.lakehouse.serving.ControlPlane}) or nowhere. Called from inside the pipeline, by
 * the step that publishes, so a run records its outcome whatever the runner and however it was
 * submitted.
 */
public interface RunRecorder extends Serializable {
  RunRecorder NONE = new RunRecorder() {
    @Override
    public void published(Manifest m, String manifestPath) {}

    @Override
    public void failed(Manifest m, String error) {}
  };

  /** The run passed its FAIL checks and is published (status SUCCESS or DEGRADED). */
  void published(Manifest m, String manifestPath) throws Exception;

  /** The run FAILED; {@code m} holds its check results when they were evaluated, else null. */
  void failed(Manifest m, String error) throws Exception;
}
