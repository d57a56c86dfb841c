package co.pqrs.lakehouse.pipelines;

import co.pqrs.lakehouse.manifest.Manifest;
import java.util.Locale;
import java.util.Map;

/** One-paragraph, human-readable summaries of a layer's run, from its manifest. */
public final class Summary {
  private Summary() {}

  private static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** "a=1, b=2" for the counts whose key starts with {@code prefix} (prefix removed), or "". */
  private static String under(Map<String, Long> counts, String prefix, String separator) {
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        sb.append(sb.length() == 0 ? "" : separator).append(k.substring(prefix.length())).append('=').append(n(v));
      }
    });
    return sb.toString();
  }

  /** What a detached Flink submission can say: the job is accepted, its outcome comes later. */
  static String submitted(String layer, String manifestPath) {
    return layer + " job submitted to Flink (detached): it writes " + manifestPath
        + " and its meta.etl_runs record when it ends; follow it in the Flink web UI";
  }

  public static String raw(SimulateRawPipeline.Result r) {
    if (r.manifest() == null) {
      return submitted("raw", r.manifestPath());
    }
    Manifest m = r.manifest();
    Map<String, Long> c = m.counts();
    long bytes = m.files().stream().mapToLong(Manifest.FileEntry::sizeBytes).sum();
    StringBuilder sb = new StringBuilder();
    sb.append(r.alreadyExisted() ? "raw run " + m.runId() + " already existed (identical parameters): nothing written\n"
        : "raw run " + m.runId() + " written\n");
    sb.append("  days (partitions): ").append(m.partitionCounts().size())
        .append("   files: ").append(m.files().size())
        .append("   size: ").append(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6)).append('\n');
    sb.append("  tickets created: ").append(n(c.getOrDefault("tickets", 0L)))
        .append("   events: ").append(n(c.getOrDefault("lines", 0L))).append('\n');
    sb.append("  by type: ").append(under(c, "events.", " ")).append('\n');
    String injected = under(c, "injected.", " ");
    sb.append("  injected defects: ").append(injected.isEmpty() ? "none" : injected).append('\n');
    sb.append("  data hash: ").append(m.dataHash()).append('\n');
    sb.append("  manifest: ").append(r.manifestPath());
    return sb.toString();
  }

  public static String ingest(IngestRaw.Result r) {
    Manifest m = r.manifest();
    Map<String, Long> c = m.counts();
    long bytes = m.files().stream().mapToLong(Manifest.FileEntry::sizeBytes).sum();
    return (r.alreadyExisted() ? "raw run " + m.runId() + " already held these files: nothing written\n"
            : "raw run " + m.runId() + " ingested\n")
        + "  source files: " + c.getOrDefault("source_files", 0L)
        + "   lines: " + n(c.getOrDefault("lines", 0L))
        + " (blank " + n(c.getOrDefault("blank_lines", 0L))
        + ", no readable day " + n(c.getOrDefault("unknown_day_lines", 0L)) + ")\n"
        + "  partitions: " + m.partitionCounts().size() + "   files: " + m.files().size()
        + "   size: " + n(bytes) + " bytes\n"
        + "  data hash: " + m.dataHash() + "\n"
        + "  manifest: " + r.manifestPath();
  }

  /** The closing lines of a checked layer: checks passed (naming the others), data hash, manifest. */
  private static String checksAndSeal(Manifest m, String manifestPath) {
    StringBuilder sb = new StringBuilder("  checks: ");
    sb.append(m.checks().stream().filter(x -> x.status().equals("PASS")).count())
        .append('/').append(m.checks().size()).append(" pass");
    m.checks().stream().filter(x -> !x.status().equals("PASS"))
        .forEach(x -> sb.append("; ").append(x.status()).append(' ').append(x.check()));
    return sb.append("\n  data hash: ").append(m.dataHash()).append("\n  manifest: ").append(manifestPath).toString();
  }

  /** The summary line of a Bronze run: in, out, quarantined by code, checks. */
  public static String bronze(BronzePipeline.Result r) {
    if (r.manifest() == null) {
      return submitted("bronze", r.manifestPath());
    }
    Manifest m = r.manifest();
    Map<String, Long> c = m.counts();
    String q = under(c, "quarantined.", ", ");
    return "bronze run " + m.runId() + " " + m.status() + "\n"
        + "  in " + n(c.getOrDefault("raw_lines", 0L)) + " raw lines -> out " + n(c.getOrDefault("rows", 0L))
        + " rows, quarantined " + n(c.getOrDefault("quarantined", 0L))
        + (q.isEmpty() ? "" : " (" + q + ")") + ", blank " + n(c.getOrDefault("blank_lines", 0L)) + "\n"
        + checksAndSeal(m, r.manifestPath());
  }

  /** The summary of a Silver run: rows per table, SLA and lifecycle figures, checks. */
  public static String silver(SilverPipeline.Result r) {
    if (r.manifest() == null) {
      return submitted("silver", r.manifestPath());
    }
    Manifest m = r.manifest();
    Map<String, Long> c = m.counts();
    Map<String, Long> tableRows = new java.util.TreeMap<>(c);
    tableRows.remove("rows.creations");
    String tables = under(tableRows, "rows.", ", ");
    long classified = c.getOrDefault("classifier.rows", 0L);
    return "silver run " + m.runId() + " " + m.status() + " (as of " + m.parameters().get("as_of") + ")\n"
        + "  in " + n(c.getOrDefault("bronze_rows", 0L)) + " bronze rows -> " + tables + "\n"
        + "  tickets with lifecycle violations: " + n(c.getOrDefault("violation.any", 0L))
        + "   classifier agreement: " + (classified == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%",
            100.0 * c.getOrDefault("classifier.agrees", 0L) / classified)) + "\n"
        + checksAndSeal(m, r.manifestPath());
  }

  /** In-time share of closed tickets, from a Gold manifest's figures, as "91.2%" or "n/a". */
  static String inTimePct(Map<String, Long> c) {
    long closed = c.getOrDefault("figure.sla.closed", 0L);
    return closed == 0 ? "n/a"
        : String.format(Locale.ROOT, "%.1f%%", 100.0 * c.getOrDefault("figure.sla.in_time", 0L) / closed);
  }

  /** The summary of a Gold run: tickets, SLA, backlog, rows per table, checks. */
  public static String gold(GoldPipeline.Result r) {
    if (r.manifest() == null) {
      return submitted("gold", r.manifestPath());
    }
    Manifest m = r.manifest();
    Map<String, Long> c = m.counts();
    return "gold run " + m.runId() + " " + m.status() + " (as of " + m.parameters().get("as_of") + ")\n"
        + "  in " + n(c.getOrDefault("silver_tickets", 0L)) + " silver tickets: closed "
        + n(c.getOrDefault("figure.sla.closed", 0L)) + " (in time " + inTimePct(c) + "), open at the end "
        + n(c.getOrDefault("figure.backlog.final", 0L)) + "\n"
        + "  tables: " + under(c, "rows.", ", ") + "\n"
        + checksAndSeal(m, r.manifestPath());
  }

  /**
   * The runner a pipeline ran on: its name and, for Flink, where (embedded in this JVM, the cluster
   * of Flink's CLI, or the master given) and the parallelism it ran at (Beam's Flink runner sets the
   * option to the one it used when none was given).
   */
  public static String runner(org.apache.beam.sdk.options.PipelineOptions o) {
    String name = o.getRunner().getSimpleName();
    if (!name.equals("FlinkRunner")) {
      return name;
    }
    org.apache.beam.runners.flink.FlinkPipelineOptions f = o.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
    String master = f.getFlinkMaster();
    // [auto], Beam's default, is the cluster of Flink's CLI when that started this JVM, else embedded.
    String where = !LayerDriver.onFlinkCluster(o) ? "embedded in this JVM"
        : master.equals("[auto]") ? "on the cluster of Flink's CLI" : "at " + master;
    Integer p = f.getParallelism();
    return "FlinkRunner, " + where + (p == null || p < 1 ? "" : ", parallelism " + p);
  }

  /** The closing summary of a whole chain: what came in, what it says, where to look. */
  public static String chain(String runId, Map<String, Manifest> layers, String root, String jdbcUrl, String runner,
      double seconds, Map<String, Double> layerSeconds) {
    Map<String, Long> raw = layers.get("raw").counts();
    Map<String, Long> bronze = layers.get("bronze").counts();
    Map<String, Long> gold = layers.get("gold").counts();
    StringBuilder status = new StringBuilder();
    layers.forEach((layer, m) -> status.append(status.length() == 0 ? "" : " | ").append(layer).append(' ')
        .append(m.status() == null ? Manifest.SUCCESS : m.status()));
    co.pqrs.lakehouse.serving.StoreConfig store =
        co.pqrs.lakehouse.serving.StoreConfig.resolve(jdbcUrl, co.pqrs.lakehouse.layout.DataLayout.at(root));
    String jar = "java -jar pipelines/target/pqrs-lakehouse.jar";
    String where = root.equals("lakehouse") ? "" : " --root " + root;
    StringBuilder laps = new StringBuilder();
    layerSeconds.forEach((layer, secs) -> laps.append(laps.length() == 0 ? "" : " | ").append(layer).append(' ')
        .append(String.format(Locale.ROOT, "%.1f s", secs)));
    return "run " + runId + " done in " + String.format(Locale.ROOT, "%.1f s", seconds) + "\n"
        + "  seconds:     " + laps + "\n"
        + "  events:      " + n(raw.getOrDefault("lines", 0L)) + " raw lines, " + n(bronze.getOrDefault("quarantined", 0L))
        + " quarantined in bronze\n"
        + "  tickets:     " + n(gold.getOrDefault("silver_tickets", 0L)) + ", closed "
        + n(gold.getOrDefault("figure.sla.closed", 0L)) + ", in time " + inTimePct(gold) + "\n"
        + "  backlog:     " + n(gold.getOrDefault("figure.backlog.final", 0L)) + " open tickets at "
        + layers.get("gold").parameters().get("as_of") + "\n"
        + "  run status:  " + status + "\n"
        + "  runner:      " + runner + "\n"
        + "  served in:   " + (store == null ? "nowhere (no --jdbc-url)" : store.describe()) + "\n"
        + "Look at the results:\n"
        + "  " + jar + " sql" + where + " \"SELECT * FROM gold.v_ts_national_daily ORDER BY day DESC LIMIT 7\"\n"
        + "  " + jar + " sql" + where + " \"SELECT layer, status, rows_in, rows_out, rows_quarantined FROM meta.etl_runs"
        + " WHERE run_id = '" + runId + "'\"\n"
        + "  Parquet: " + root + "/gold/<table>/run_id=" + runId + "/   manifests: " + root + "/manifests/<layer>/";
  }
}
