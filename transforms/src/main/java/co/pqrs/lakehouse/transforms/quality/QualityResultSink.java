package co.pqrs.lakehouse.transforms.quality;

import co.pqrs.lakehouse.quality.CheckResult;
import java.io.Serializable;
import java.util.List;

/**
 * Where a layer's check results go besides its manifest (which always has them). Today nowhere
 * else; the control plane adds a sink that writes {@code meta.data_quality}, and a pipeline passes it
 * where it builds the layer.
 */
@FunctionalInterface
public interface QualityResultSink extends Serializable {
  QualityResultSink MANIFEST_ONLY = results -> { };

  void write(List<CheckResult> results) throws Exception;
}
