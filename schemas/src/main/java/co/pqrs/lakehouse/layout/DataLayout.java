package co.pqrs.lakehouse.layout;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one object-store layout (data/contracts/v1/DATA-LAYOUT.md) for a lakehouse root that is a local
 * folder or an {@code s3://bucket/prefix}. Paths are strings so that Beam's FileSystems resolves both.
 */
public final class DataLayout implements Serializable {
  public static final String RAW = "raw";
  public static final String BRONZE = "bronze";
  public static final String SILVER = "silver";
  public static final String GOLD = "gold";
  /** The layers in the order a run goes through them. */
  public static final List<String> CHAIN = List.of(RAW, BRONZE, SILVER, GOLD);
  public static final String QUARANTINE = "quarantine";
  public static final String MANIFESTS = "manifests";
  public static final String STAGING = "_staging";
  public static final String MANIFEST_FILE = "manifest.json";
  /** The source system's name under raw/; one source today. */
  public static final String RAW_SOURCE = "pqrs";

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String root;

  private DataLayout(String root) {
    this.root = root;
  }

  /** A local path (made absolute) or a URI such as {@code s3://bucket/prefix}. */
  public static DataLayout at(String root) {
    String r = root.trim();
    if (r.isEmpty()) {
      throw new IllegalArgumentException("lakehouse root is empty");
    }
    if (!isUri(r)) {
      r = Path.of(r).toAbsolutePath().normalize().toString();
    }
    while (r.endsWith("/") && !r.endsWith("://")) {
      r = r.substring(0, r.length() - 1);
    }
    return new DataLayout(r);
  }

  /** Whether a root is a URI ({@code s3://...}) rather than a local path: the one test every caller uses. */
  public static boolean isUri(String root) {
    return root.contains("://");
  }

  /** A root on the local disk, where the embedded store lives and DuckDB reads Parquet itself. */
  public boolean isLocal() {
    return !isUri(root);
  }

  public static String checkRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run_id \"" + runId
          + "\" must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return runId;
  }

  public String root() {
    return root;
  }

  /** An absolute path of this layout made relative to the root, as manifests list files. */
  public String relative(String absolute) {
    if (!absolute.startsWith(root + "/")) {
      throw new IllegalArgumentException(absolute + " is not below the lakehouse root " + root);
    }
    return absolute.substring(root.length() + 1);
  }

  /** The absolute path of a root-relative path. */
  public String resolve(String relative) {
    return root + "/" + relative;
  }

  private String join(String... parts) {
    return root + "/" + String.join("/", parts);
  }

  public static String runPartition(String runId) {
    return "run_id=" + checkRunId(runId);
  }

  public static String dayPartition(LocalDate day) {
    return "day=" + day;
  }

  /** The partition of Raw lines whose event day cannot be read, and of their quarantine. */
  public static final String UNKNOWN_DAY = "day=unknown";

  /** raw/pqrs/run_id=ID/ */
  public String rawRun(String runId) {
    return join(RAW, RAW_SOURCE, runPartition(runId)) + "/";
  }

  /** Relative path, under a run folder, of a day's raw JSONL file. */
  public static String rawDayFile(LocalDate day) {
    return dayPartition(day) + "/part-00000.jsonl";
  }

  /** LAYER/TABLE/run_id=ID/ for bronze, silver and gold tables. */
  public String table(String layer, String table, String runId) {
    return join(layer, table, runPartition(runId)) + "/";
  }

  /** quarantine/LAYER/run_id=ID/ */
  public String quarantine(String layer, String runId) {
    return join(QUARANTINE, layer, runPartition(runId)) + "/";
  }

  /** manifests/LAYER/run_id=ID/manifest.json */
  public String manifest(String layer, String runId) {
    return join(MANIFESTS, layer, runPartition(runId), MANIFEST_FILE);
  }

  /**
   * _staging/LAYER/run_id=ID/: a layer writes here and publishes only on success. Below it, files
   * keep their root-relative path, so publishing is a move from staging + path to root + path.
   */
  public String staging(String layer, String runId) {
    return join(STAGING, layer, runPartition(runId)) + "/";
  }

  @Override
  public String toString() {
    return root;
  }
}
