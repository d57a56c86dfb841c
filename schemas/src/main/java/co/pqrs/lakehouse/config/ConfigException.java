package co.pqrs.lakehouse.config;

/**
 * A configuration or reference file is not usable. The message is one line naming the file, the key
 * and the problem, e.g. {@code pqrs_simulation_v1.yaml: channel_probs: probabilities sum to 0.98, not 1}.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String source, String key, String problem) {
    super(source + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
