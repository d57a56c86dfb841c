package co.pqrs.lakehouse.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.serving.SqlScripts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The serving scenarios against a real PostgreSQL server, the one `make test` starts with
 * infra/local/postgres/pg-up.sh (PQRS_TEST_JDBC_URL, PQRS_TEST_JDBC_USER, PQRS_TEST_JDBC_PASSWORD).
 */
class PostgresServingIT extends ServingScenarios {
  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set: run the integration tests with `make test`, which "
          + "starts PostgreSQL (infra/local/postgres/pg-up.sh) and sets it");
    }
    return v;
  }

  @Override
  String jdbcUrl() {
    return env("PQRS_TEST_JDBC_URL") + "?user=" + env("PQRS_TEST_JDBC_USER") + "&password="
        + env("PQRS_TEST_JDBC_PASSWORD");
  }

  /** Forgets earlier runs of the same ids, so each `make test` starts from what it writes. */
  @Override
  void prepare() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl())) {
      co.pqrs.lakehouse.serving.SqlScripts.apply(c);
      try (Statement s = c.createStatement()) {
        for (String t : new String[] {"meta.etl_runs", "meta.data_quality", "meta.manifest_index"}) {
          s.execute("DELETE FROM " + t + " WHERE run_id IN ('" + A + "', '" + B + "')");
        }
      }
    }
  }

  @Test
  void theBiRoleReadsTheGoldViewsAndDimensionsAndNothingElse() throws Exception {
    String bi = env("PQRS_TEST_JDBC_URL") + "?user=pqrs_bi&password=pqrs_bi_dev";
    try (Connection c = DriverManager.getConnection(bi); Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM gold.v_kpi_sla_daily").close();
      s.executeQuery("SELECT count(*) FROM gold.v_ticket_snapshot").close();
      s.executeQuery("SELECT count(*) FROM gold.dim_department").close();
      for (String denied : new String[] {"SELECT * FROM gold.kpi_sla_daily", "SELECT * FROM meta.etl_runs",
          "DELETE FROM gold.v_kpi_sla_daily", "CREATE TABLE gold.x (a int)"}) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(denied), denied);
        assertEquals("42501", e.getSQLState(), denied + ": " + e.getMessage());
      }
    }
  }

  @Test
  void aStoreThatHasTheInitScriptsIsLeftAloneOnPostgresToo() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
      SqlScripts.applyIfChanged(c); // records them, if no command has yet
      assertFalse(SqlScripts.applyIfChanged(c), "the same scripts are not applied twice");
      assertEquals(1, number("SELECT count(*) FROM meta.init_scripts"));
      // A dimension row deleted by hand stays deleted while the store says it has the scripts...
      s.execute("DELETE FROM gold.dim_channel WHERE channel = 'chat'");
      assertFalse(SqlScripts.applyIfChanged(c));
      assertEquals(0, number("SELECT count(*) FROM gold.dim_channel WHERE channel = 'chat'"));
      // ...and comes back once the tables and views it records differ from what it has.
      s.execute("UPDATE meta.init_scripts SET relations = relations + 1");
      assertTrue(SqlScripts.applyIfChanged(c));
      assertEquals(1, number("SELECT count(*) FROM gold.dim_channel WHERE channel = 'chat'"));
      assertFalse(SqlScripts.applyIfChanged(c));
    }
  }

  @Test
  void goldTablesKeepTheirPrimaryKeysOnPostgres() throws Exception {
    // Only the embedded DuckDB store makes them without (ServingSql.goldTables(false)).
    assertEquals(number("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'gold' "
        + "AND table_type = 'BASE TABLE'"),
        number("SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = 'gold' "
            + "AND constraint_type = 'PRIMARY KEY'"));
  }

  @Test
  void initScriptsMadeEveryObjectWithAComment() throws Exception {
    assertTrue(number("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'gold' "
        + "AND table_type = 'BASE TABLE' AND obj_description(('gold.' || table_name)::regclass) IS NULL") == 0,
        "every gold table has a comment");
  }
}
