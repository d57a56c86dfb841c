package co.pqrs.lakehouse.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.transforms.gold.Column;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init scripts: generated ones match config and code, and all of them build a working store. */
class ServingSqlTest {
  static final Path SCRIPTS = Path.of(System.getProperty("pqrs.root", "..")).resolve("infra/local/init-scripts");

  @Test
  void committedScriptsAreWhatTheGeneratorWrites() throws Exception {
    for (Map.Entry<String, String> e : ServingSql.generated(LakehouseConfig.packaged()).entrySet()) {
      assertEquals(e.getValue(), Files.readString(SCRIPTS.resolve(e.getKey())),
          e.getKey() + " is stale: run `make sql-scripts` and commit the result");
    }
  }

  @Test
  void scriptsBuildAnEmptyStoreAndRunAgainWithoutHarm(@TempDir Path dir) throws Exception {
    LakehouseConfig cfg = LakehouseConfig.packaged();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("s.duckdb"))) {
      SqlScripts.apply(c);
      SqlScripts.apply(c);
      try (Statement s = c.createStatement()) {
        for (GoldTable t : GoldTable.values()) {
          Set<String> columns = new HashSet<>();
          try (ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns WHERE "
              + "table_schema = 'gold' AND table_name = '" + t.table + "'")) {
            while (rs.next()) {
              columns.add(rs.getString(1));
            }
          }
          assertEquals(new HashSet<>(t.columns.stream().map(Column::name).toList()), columns, t.table);
          try (ResultSet rs = s.executeQuery("SELECT count(*) FROM gold.v_" + t.table)) {
            rs.next();
            assertEquals(0, rs.getLong(1), "an empty store shows no rows in v_" + t.table);
          }
        }
        // The Gold tables without keys on DuckDB (ServingSql.goldTables(false)); the dimensions keep
        // theirs, which their ON CONFLICT rows need.
        assertEquals(0, count(s, "duckdb_constraints() WHERE schema_name = 'gold' AND constraint_type = 'PRIMARY KEY' "
            + "AND table_name NOT LIKE 'dim_%'"));
        long dimensions = SqlScripts.statements(ServingSql.dimensions(cfg)).stream()
            .filter(x -> x.startsWith("CREATE TABLE")).count();
        assertEquals(dimensions, count(s, "duckdb_constraints() WHERE schema_name = 'gold' AND constraint_type = 'PRIMARY KEY' "
            + "AND table_name LIKE 'dim_%'"));
        assertEquals(cfg.simulation().channels().names().size(), count(s, "gold.dim_channel"));
        assertEquals(cfg.status().states().size(), count(s, "gold.dim_status"));
        assertEquals(cfg.divipola().departments().size(), count(s, "gold.dim_department"));
        assertEquals(cfg.divipola().municipalities().size(), count(s, "gold.dim_municipality"));
        // Codes keep their leading zeros: they join with the Gold tables' department_code.
        Set<String> departments = new HashSet<>();
        try (ResultSet rs = s.executeQuery("SELECT department_code FROM gold.dim_department")) {
          while (rs.next()) {
            departments.add(rs.getString(1));
          }
        }
        assertEquals(cfg.divipola().departments().keySet(), departments);
        try (ResultSet rs = s.executeQuery("SELECT sla_business_days FROM gold.dim_pqrs_type WHERE pqrs_type = 'P'")) {
          assertTrue(rs.next());
          assertEquals(cfg.simulation().slaBusinessDays().get("P").intValue(), rs.getInt(1));
        }
      }
    }
  }

  @Test
  void aStoreThatHasTheScriptsIsLeftAloneAndOneThatLostATableGetsThemAgain(@TempDir Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("s.duckdb"));
        Statement s = c.createStatement()) {
      assertTrue(SqlScripts.applyIfChanged(c), "a new store gets the scripts");
      assertEquals(1, count(s, SqlScripts.APPLIED));
      assertFalse(SqlScripts.applyIfChanged(c), "the same scripts are not applied twice");

      // A dimension row deleted by hand stays deleted while the scripts are current: they did not run.
      s.execute("DELETE FROM gold.dim_channel WHERE channel = 'chat'");
      assertFalse(SqlScripts.applyIfChanged(c));
      assertEquals(0, count(s, "gold.dim_channel WHERE channel = 'chat'"));

      // A view dropped by hand changes the count of tables and views: the scripts run and bring both back.
      String view = "v_" + GoldTable.values()[0].table;
      s.execute("DROP VIEW gold." + view);
      assertTrue(SqlScripts.applyIfChanged(c));
      assertEquals(0, count(s, "gold." + view));
      assertEquals(1, count(s, "gold.dim_channel WHERE channel = 'chat'"));

      // Other scripts recorded (an older jar's): these run and replace the record.
      s.execute("UPDATE " + SqlScripts.APPLIED + " SET sha256 = 'older'");
      assertTrue(SqlScripts.applyIfChanged(c));
      try (ResultSet rs = s.executeQuery("SELECT sha256, relations FROM " + SqlScripts.APPLIED)) {
        assertTrue(rs.next());
        assertEquals(SqlScripts.fingerprint(SqlScripts.portable(true)), rs.getString(1));
        assertEquals(SqlScripts.relations(c), rs.getInt(2));
        assertFalse(rs.next(), "one record");
      }
      assertFalse(SqlScripts.applyIfChanged(c));
    }
  }

  @Test
  void theFingerprintDiffersBetweenTheStoresAndWithTheScripts() {
    String duckdb = SqlScripts.fingerprint(SqlScripts.portable(true));
    assertEquals(duckdb, SqlScripts.fingerprint(SqlScripts.portable(true)));
    assertNotEquals(duckdb, SqlScripts.fingerprint(SqlScripts.portable(false)), "DuckDB's Gold tables have no keys");
    java.util.Map<String, String> edited = new java.util.LinkedHashMap<>(SqlScripts.portable(true));
    edited.put(ServingSql.GOLD_VIEWS, edited.get(ServingSql.GOLD_VIEWS) + "\n-- a comment\n");
    assertNotEquals(duckdb, SqlScripts.fingerprint(edited));
  }

  private static long count(Statement s, String table) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theKeylessGoldTablesDifferOnlyByTheirKeyClauses() {
    java.util.List<String> keyed = SqlScripts.statements(ServingSql.goldTables(true));
    java.util.List<String> bare = SqlScripts.statements(ServingSql.goldTables(false));
    assertEquals(keyed.size(), bare.size());
    int tables = 0;
    for (int i = 0; i < keyed.size(); i++) {
      String stmt = keyed.get(i);
      if (!stmt.startsWith("CREATE TABLE")) {
        assertEquals(stmt, bare.get(i));
        continue;
      }
      tables++;
      assertFalse(bare.get(i).contains("PRIMARY KEY"), bare.get(i));
      String key = stmt.substring(stmt.lastIndexOf(",\n  PRIMARY KEY ("), stmt.lastIndexOf("\n);"));
      assertEquals(stmt, bare.get(i).replace("\n);", key + "\n);"), "only the key clause goes");
    }
    assertEquals(GoldTable.values().length, tables);
  }

  @Test
  void statementsSplitAtLineEndsAndDropComments() {
    assertEquals(java.util.List.of("CREATE SCHEMA a;", "CREATE TABLE b (\n  x INT\n);"),
        SqlScripts.statements("-- note\nCREATE SCHEMA a;\n\nCREATE TABLE b (\n  x INT\n);\n"));
  }
}
