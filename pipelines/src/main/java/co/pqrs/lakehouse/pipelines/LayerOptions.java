package co.pqrs.lakehouse.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** The options of a layer that reads the previous layer of a run: Bronze, Silver, Gold. */
public interface LayerOptions extends ServingOptions {
  @Description("Run id: the run this layer reads from the previous layer and writes (one id through every layer)")
  @Validation.Required
  String getRunId();

  void setRunId(String value);
}
