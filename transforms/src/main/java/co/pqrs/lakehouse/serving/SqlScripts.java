package co.pqrs.lakehouse.serving;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged init scripts ({@code infra/local/init-scripts}, in name order) applied to a store.
 * They are idempotent, so a run applies them before it writes; PostgreSQL-only scripts (roles) are
 * left to the database's own initialisation ({@code make pg-up}, Compose).
 */
public final class SqlScripts {
  /** Scripts every store runs, in order. */
  public static final List<String> PORTABLE = List.of("00-schemas.sql", "10-meta.sql", ServingSql.DIMENSIONS,
      ServingSql.GOLD_TABLES, ServingSql.GOLD_VIEWS);
  /** Scripts only PostgreSQL runs, after the portable ones. */
  public static final List<String> POSTGRES_ONLY = List.of("90-bi-role.sql");

  private SqlScripts() {}

  public static String text(String script) {
    try (InputStream in = SqlScripts.class.getResourceAsStream("/pqrs/sql/" + script)) {
      if (in == null) {
        throw new IllegalStateException("init script " + script + " is not packaged (pqrs/sql/ on the classpath)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read init script " + script, e);
    }
  }

  /** The statements of a script without comment lines: split where a line ends with ';'. */
  public static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      if (line.strip().startsWith("--") || line.isBlank()) {
        continue;
      }
      current.append(line).append('\n');
      if (line.stripTrailing().endsWith(";")) {
        out.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }

  /** Applies the portable scripts; a failing statement is reported with its script. */
  public static void apply(Connection c) throws SQLException {
    boolean duckdb = StoreConfig.isDuckDb(c.getMetaData().getURL());
    for (String script : PORTABLE) {
      // DuckDB's Gold tables are made without their keys (ServingSql.goldTables(boolean) says why).
      String sql = duckdb && script.equals(ServingSql.GOLD_TABLES) ? ServingSql.goldTables(false) : text(script);
      try (Statement s = c.createStatement()) {
        for (String stmt : statements(sql)) {
          try {
            s.execute(stmt);
          } catch (SQLException e) {
            throw new SQLException(script + ": " + e.getMessage() + " in: " + stmt.lines().findFirst().orElse(""), e);
          }
        }
      }
    }
  }
}
