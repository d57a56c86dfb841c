package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.serving.RunFigures;
import co.pqrs.lakehouse.serving.StoreConfig;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving store as a user meets it after `pqrs run`: run records of every layer, Gold rows equal
 * to the Gold files, views on the latest successful run, reloads that change nothing, and a failing
 * Gold check that leaves the views alone. Runs against the embedded DuckDB store
 * ({@link EmbeddedServingTest}) and a real PostgreSQL ({@link PostgresServingIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServingScenarios {
  static final String A = "serve-a";
  static final String B = "serve-b";

  Path root;
  Path smallConfig;

  /** The --jdbc-url to pass, or null for the embedded default. */
  abstract String jdbcUrl();

  /** Runs before the chains, e.g. to forget earlier runs of the same ids. */
  void prepare() throws Exception {}

  StoreConfig store() {
    return StoreConfig.resolve(jdbcUrl(), DataLayout.at(root.toString()));
  }

  List<String> withStore(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--root", root.toString()));
    if (jdbcUrl() != null) {
      a.addAll(List.of("--jdbc-url", jdbcUrl()));
    }
    return a;
  }

  PqrsCliTest.Run pqrs(String... args) {
    PqrsCliTest.Run r = PqrsCliTest.pqrs(withStore(args).toArray(String[]::new));
    return r;
  }

  void ok(String... args) {
    PqrsCliTest.Run r = pqrs(args);
    assertEquals(0, r.code(), () -> String.join(" ", args) + " failed: " + r.err());
  }

  @BeforeAll
  void chains(@TempDir Path dir) throws Exception {
    root = dir.resolve("lakehouse");
    smallConfig = PqrsCliTest.writeSmallConfig(root.getParent());
    prepare();
    for (String[] run : new String[][] {{A, "11"}, {B, "12"}}) {
      ok("run", "--config", smallConfig.toString(), "--start", "2025-02-03", "--end", "2025-02-12",
          "--seed", run[1], "--run-id", run[0]);
    }
  }

  List<List<String>> query(String sql) throws Exception {
    try (Connection c = store().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> r = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          r.add(rs.getString(i));
        }
        rows.add(r);
      }
      return rows;
    }
  }

  long number(String sql) throws Exception {
    String v = query(sql).get(0).get(0);
    return v == null ? 0 : Math.round(Double.parseDouble(v));
  }

  Manifest manifest(String layer, String runId) throws Exception {
    return RunPublisher.readManifest(DataLayout.at(root.toString()).manifest(layer, runId));
  }

  Set<String> viewRunIds(GoldTable t) throws Exception {
    Set<String> ids = new java.util.TreeSet<>();
    query("SELECT DISTINCT run_id FROM gold.v_" + t.table).forEach(r -> ids.add(r.get(0)));
    return ids;
  }

  @Test
  void everyLayerRecordsItsRunChecksAndManifest() throws Exception {
    Map<String, List<String>> runs = new TreeMap<>();
    for (List<String> r : query("SELECT layer, status, rows_in, rows_out, rows_quarantined, seed, runner, "
        + "config_hash, code_version, started_at <= ended_at, as_of, error_message FROM meta.etl_runs "
        + "WHERE run_id = '" + A + "'")) {
      runs.put(r.get(0), r);
    }
    assertEquals(Set.copyOf(DataLayout.CHAIN), runs.keySet());
    for (String layer : DataLayout.CHAIN) {
      Manifest m = manifest(layer, A);
      List<String> r = runs.get(layer);
      RunFigures f = RunFigures.of(m);
      assertTrue(Set.of("SUCCESS", "DEGRADED").contains(r.get(1)), layer + " status " + r.get(1));
      assertEquals(List.of(String.valueOf(f.rowsIn()), String.valueOf(f.rowsOut()), String.valueOf(f.rowsQuarantined())),
          r.subList(2, 5), layer + " rows in, out, quarantined");
      assertEquals("11", r.get(5), layer + " seed");
      // A Gold run loaded again by `pqrs serve` (other tests here) says so.
      assertTrue(r.get(6).equals("DirectRunner") || layer.equals(DataLayout.GOLD) && r.get(6).equals("serve"), r.get(6));
      assertTrue(r.get(7).matches("[0-9a-f]{64}"), layer + " config hash " + r.get(7));
      assertNotNull(r.get(8));
      assertTrue(Set.of("true", "t", "1").contains(r.get(9)), layer + " ended before it started");
      assertEquals(null, r.get(11));
      if (m.checks() != null && !m.checks().isEmpty()) {
        assertEquals(m.checks().size(), number("SELECT count(*) FROM meta.data_quality WHERE run_id = '" + A
            + "' AND layer = '" + layer + "'"), layer + " checks");
        assertEquals(m.status(), r.get(1));
      }
      assertEquals(List.of(List.of(m.dataHash(), String.valueOf(m.files().size()))),
          query("SELECT data_hash, files FROM meta.manifest_index WHERE run_id = '" + A + "' AND layer = '" + layer + "'"));
    }
    assertNotNull(runs.get(DataLayout.GOLD).get(10), "gold records its as-of");
  }

  @Test
  void goldRowsAreTheGoldFilesAndReconcileWithSilver() throws Exception {
    Manifest gold = manifest(DataLayout.GOLD, A);
    for (GoldTable t : GoldTable.values()) {
      assertEquals((long) gold.counts().getOrDefault("rows." + t.table, 0L),
          number("SELECT count(*) FROM gold." + t.table + " WHERE run_id = '" + A + "'"), t.table);
    }
    Manifest silver = manifest(DataLayout.SILVER, A);
    assertEquals((long) silver.counts().get("rows.creations"),
        number("SELECT sum(tickets) FROM gold.kpi_volume_daily WHERE run_id = '" + A + "'"));
    assertEquals(number("SELECT count(*) FROM gold.ticket_snapshot WHERE run_id = '" + A + "' AND is_open "
            + "AND created_ts IS NOT NULL"),
        number("SELECT sum(open_tickets) FROM gold.kpi_backlog_daily WHERE run_id = '" + A + "' AND day = "
            + "(SELECT max(day) FROM gold.kpi_backlog_daily WHERE run_id = '" + A + "')"));
    assertTrue(number("SELECT count(*) FROM gold.ticket_snapshot WHERE run_id = '" + A + "'") > 100);
  }

  @Test
  void viewsShowTheLatestSuccessfulRunOnly() throws Exception {
    ok("serve", "--run-id", B);
    for (GoldTable t : GoldTable.values()) {
      if (manifest(DataLayout.GOLD, B).counts().getOrDefault("rows." + t.table, 0L) > 0) {
        assertEquals(Set.of(B), viewRunIds(t), "v_" + t.table);
      }
    }
    ok("serve", "--run-id", A);
    assertEquals(Set.of(A), viewRunIds(GoldTable.KPI_VOLUME_DAILY));
    assertEquals(List.of(List.of(A)), query("SELECT run_id FROM gold.v_latest_run"));
    // Each view has one row per grain: as many rows as the run's table.
    assertEquals(number("SELECT count(*) FROM gold.kpi_sla_daily WHERE run_id = '" + A + "'"),
        number("SELECT count(*) FROM gold.v_kpi_sla_daily"));
  }

  @Test
  void loadingARunAgainLeavesTheSameRows() throws Exception {
    String rows = "SELECT * FROM gold.kpi_backlog_daily WHERE run_id = '" + A + "' ORDER BY day, pqrs_type, department_code";
    String snapshot = "SELECT ticket_id, current_state, sla_status, age_business_days FROM gold.ticket_snapshot "
        + "WHERE run_id = '" + A + "' ORDER BY ticket_id";
    List<List<String>> before = query(rows);
    List<List<String>> snapBefore = query(snapshot);
    ok("serve", "--run-id", A);
    ok("serve", "--run-id", A);
    assertEquals(before, query(rows));
    assertEquals(snapBefore, query(snapshot));
    assertEquals(1, number("SELECT count(*) FROM meta.etl_runs WHERE run_id = '" + A + "' AND layer = 'gold'"));
  }

  @Test
  void aFailingGoldCheckRecordsFailedAndLeavesTheViews() throws Exception {
    ok("serve", "--run-id", B);
    long rowsOfA = number("SELECT count(*) FROM gold.kpi_volume_daily WHERE run_id = '" + A + "'");
    Path configDir = Files.createDirectories(root.getParent().resolve("strict-config"));
    // A reconciliation no honest run passes: every ticket created is also open at the end.
    String strict = Source.packaged(Source.Kind.CONFIG, QualityConfig.FILE).text()
        + "  - { name: gold.everything_open, layer: gold, kind: reconcile, rule: volume.tickets = snapshot.open, "
        + "severity: FAIL }\n";
    Files.writeString(configDir.resolve(QualityConfig.FILE), strict);
    for (String runId : List.of(A, B)) {
      PqrsCliTest.Run r = pqrs("gold", "--run-id", runId, "--config-dir", configDir.toString());
      assertNotEquals(0, r.code());
      assertTrue(r.err().contains("gold.everything_open"), r.err());
      List<List<String>> rec = query("SELECT status, error_message FROM meta.etl_runs WHERE run_id = '" + runId
          + "' AND layer = 'gold'");
      assertEquals("FAILED", rec.get(0).get(0));
      assertTrue(rec.get(0).get(1).contains("gold.everything_open"), rec.get(0).get(1));
      assertEquals(List.of(List.of("FAIL")), query("SELECT status FROM meta.data_quality WHERE run_id = '" + runId
          + "' AND layer = 'gold' AND check_name = 'gold.everything_open'"));
      assertEquals(Set.of(B), viewRunIds(GoldTable.KPI_VOLUME_DAILY), "the views still show the last good run");
    }
    assertEquals(rowsOfA, number("SELECT count(*) FROM gold.kpi_volume_daily WHERE run_id = '" + A + "'"));
    // Passing again restores the record.
    ok("gold", "--run-id", B);
    assertEquals(List.of(List.of("SUCCESS")), query("SELECT status FROM meta.etl_runs WHERE run_id = '" + B
        + "' AND layer = 'gold'"));
  }
}
