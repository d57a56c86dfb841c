package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.manifest.Sha256;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the driver knows about a run before it starts, for its {@code meta.etl_runs} record.
 *
 * @param seed the simulation seed the data descends from, or null (ingested data)
 * @param configHash SHA-256 over the names and hashes of every config file the run read
 * @param asOf the run's as-of instant, or null for layers without one
 */
public record RunInfo(String runId, String layer, Long seed, String configHash, String codeVersion, String runner,
    Instant asOf) implements Serializable {

  /** One hash for a run's config files: SHA-256 of "name=sha256" lines in name order. */
  public static String configHash(Map<String, String> fileHashes) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(fileHashes).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return Sha256.hex(sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
