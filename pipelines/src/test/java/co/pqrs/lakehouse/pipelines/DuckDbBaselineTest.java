package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's DuckDB baseline (bench/baseline/pqrs_kpis.sql) over the Raw JSONL of a small run,
 * against the Gold the pipelines made of the same run: the national daily created, closed and backlog,
 * and the SLA's closed and in-time per closing day, must be equal (a difference is a bug on one side).
 * The holidays and targets come from the project's calendar and config; bench/baseline.py runs the
 * same SQL with an independent holiday calendar.
 */
class DuckDbBaselineTest {
  static final Path SQL = Path.of("../bench/baseline/pqrs_kpis.sql");
  static final Path COMPARE = Path.of("../bench/baseline/compare_with_gold.sql");

  @TempDir Path dir;

  /** The baseline's SQL script with its placeholders filled (DuckDB runs its statements in one call). */
  static String script(String rawGlob, Instant asOf, String initialState) throws Exception {
    return Files.readString(SQL)
        .replace("{raw_glob}", "'" + rawGlob + "'")
        .replace("{as_of}", Long.toString(asOf.getEpochSecond()))
        .replace("{initial_state}", "'" + initialState + "'");
  }

  @Test
  void theBaselinesKpisEqualGolds() throws Exception {
    Path config = PqrsCliTest.writeSmallConfig(dir);
    Path root = dir.resolve("lake");
    PqrsCliTest.Run r = PqrsCliTest.pqrs("run", "--config", config.toString(), "--start", "2025-03-10", "--end",
        "2025-04-06", "--seed", "11", "--run-id", "baseline", "--root", root.toString());
    assertEquals(0, r.code(), r.err());
    DataLayout layout = DataLayout.at(root.toString());
    Manifest silver = RunPublisher.readManifest(layout.manifest(DataLayout.SILVER, "baseline"));
    Instant asOf = Instant.parse((String) silver.parameters().get("as_of"));
    LakehouseConfig cfg = LakehouseConfig.load(null, config, null);

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("CREATE TEMP TABLE holidays (day DATE)");
      s.execute("CREATE TEMP TABLE sla_targets (pqrs_type VARCHAR, days INTEGER)");
      s.execute("CREATE TEMP TABLE states (state VARCHAR, sla_behavior VARCHAR)");
      try (PreparedStatement h = c.prepareStatement("INSERT INTO holidays VALUES (?)")) {
        for (int year = 2024; year <= 2026; year++) {
          for (LocalDate d : BusinessCalendar.colombia().holidays(year)) {
            h.setObject(1, d);
            h.executeUpdate();
          }
        }
      }
      for (Map.Entry<String, Integer> t : cfg.simulation().slaBusinessDays().entrySet()) {
        s.execute("INSERT INTO sla_targets VALUES ('" + t.getKey() + "', " + t.getValue() + ")");
      }
      for (StatusModel.State st : cfg.status().states().values()) {
        s.execute("INSERT INTO states VALUES ('" + st.name() + "', '" + st.slaBehavior() + "')");
      }
      s.execute(script(layout.root() + "/raw/pqrs/run_id=baseline/day=*/*.jsonl", asOf, cfg.status().initialState()));
      String diff = Files.readString(COMPARE).replace("{gold}", layout.root() + "/gold").replace("{run}", "baseline");
      List<String> differences = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(diff)) {
        while (rs.next()) {
          differences.add(rs.getString(1) + " " + rs.getObject(2) + " created=" + rs.getLong(3) + " closed="
              + rs.getLong(4) + " backlog=" + rs.getLong(5) + " sla_closed=" + rs.getLong(6) + " in_time="
              + rs.getLong(7));
        }
      }
      assertEquals(List.of(), differences);
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(created), sum(sla_closed) - sum(sla_in_time), "
          + "max(backlog) FROM baseline_daily")) {
        rs.next();
        assertEquals(28, rs.getLong(1), "one row per day of the run");
        assertTrue(rs.getLong(2) > 1000, "tickets created: " + rs.getLong(2));
        assertTrue(rs.getLong(3) > 0, "some tickets closed late, so the SLA rule is exercised");
        assertTrue(rs.getLong(4) > 0, "a backlog");
      }
    }
  }
}
