package co.pqrs.lakehouse.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one layer wrote for one run: its parameters, counts, every file with size and SHA-256, and a
 * data hash over all rows that does not depend on the file split. Serialised with sorted keys and no
 * wall-clock time, so the same run gives the same manifest bytes.
 *
 * @param parameters what determines the output (seed, dates, config hashes, code version); their hash
 *     is the {@code fingerprint} that decides whether a re-run is identical
 * @param counts named totals (lines, tickets, per event type, injected defects, ...)
 * @param partitionCounts rows per partition, e.g. {@code day=2025-01-02}
 * @param files every data file, path relative to the lakehouse root, sorted by path
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int manifestVersion,
    String layer,
    String runId,
    String fingerprint,
    Map<String, Object> parameters,
    Map<String, Long> counts,
    Map<String, Long> partitionCounts,
    List<FileEntry> files,
    String dataHash,
    String status,
    List<co.pqrs.lakehouse.quality.CheckResult> checks)
    implements Serializable {

  /** Run status as the quality checks left it: SUCCESS, DEGRADED or FAILED. */
  public static final String SUCCESS = "SUCCESS";
  public static final String DEGRADED = "DEGRADED";
  public static final String FAILED = "FAILED";

  public static final int VERSION = 1;

  public record FileEntry(String path, String partition, long rows, long sizeBytes, String sha256)
      implements Serializable {}

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.INDENT_OUTPUT, true)
          .build();

  /** Builds a manifest whose fingerprint is the SHA-256 of its parameters. */
  public static Manifest of(
      String layer,
      String runId,
      Map<String, Object> parameters,
      Map<String, Long> counts,
      List<FileEntry> files,
      DataHash dataHash) {
    Map<String, Long> partitions = new TreeMap<>();
    for (FileEntry f : files) {
      partitions.merge(f.partition(), f.rows(), Long::sum);
    }
    List<FileEntry> sorted =
        files.stream().sorted(java.util.Comparator.comparing(FileEntry::path)).toList();
    return new Manifest(VERSION, layer, runId, fingerprint(parameters), new TreeMap<>(parameters),
        new TreeMap<>(counts), partitions, sorted, dataHash.hex(), null, null);
  }

  /** The status of a published run: Raw manifests carry no checks and so no status, and succeeded. */
  public String publishedStatus() {
    return status == null ? SUCCESS : status;
  }

  /** The same manifest with the run's status and its check results (sorted by check name). */
  public Manifest withChecks(String runStatus, List<co.pqrs.lakehouse.quality.CheckResult> results) {
    List<co.pqrs.lakehouse.quality.CheckResult> sorted = results.stream()
        .sorted(java.util.Comparator.comparing(co.pqrs.lakehouse.quality.CheckResult::check)).toList();
    return new Manifest(manifestVersion, layer, runId, fingerprint, parameters, counts, partitionCounts,
        files, dataHash, runStatus, sorted);
  }

  public static String fingerprint(Map<String, Object> parameters) {
    try {
      return Sha256.hex(JSON.writeValueAsBytes(new TreeMap<>(parameters)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise manifest parameters", e);
    }
  }

  public byte[] toJson() {
    try {
      return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise manifest", e);
    }
  }

  public static Manifest fromJson(byte[] json) {
    try {
      return JSON.readValue(json, Manifest.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a manifest: " + e.getMessage(), e);
    }
  }
}
