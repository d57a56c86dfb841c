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

  /**
   * Tells every recorder in turn, skipping nulls; a recorder that throws does not stop the others, and
   * the first exception is rethrown once all were told.
   */
  static RunRecorder all(RunRecorder... recorders) {
    java.util.List<RunRecorder> rs = java.util.Arrays.stream(recorders).filter(java.util.Objects::nonNull).toList();
    if (rs.isEmpty()) {
      return NONE;
    }
    if (rs.size() == 1) {
      return rs.get(0);
    }
    return new RunRecorder() {
      @Override
      public void published(Manifest m, String manifestPath) throws Exception {
        tellAll(rs, r -> r.published(m, manifestPath));
      }

      @Override
      public void failed(Manifest m, String error) throws Exception {
        tellAll(rs, r -> r.failed(m, error));
      }
    };
  }

  /** One call to one recorder. */
  interface Call {
    void on(RunRecorder r) throws Exception;
  }

  private static void tellAll(java.util.List<RunRecorder> rs, Call call) throws Exception {
    Exception first = null;
    for (RunRecorder r : rs) {
      try {
        call.on(r);
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The run passed its FAIL checks and is published (status SUCCESS or DEGRADED). */
  void published(Manifest m, String manifestPath) throws Exception;

  /** The run FAILED; {@code m} holds its check results when they were evaluated, else null. */
  void failed(Manifest m, String error) throws Exception;
}
