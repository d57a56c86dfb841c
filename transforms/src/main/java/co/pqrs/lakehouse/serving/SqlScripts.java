package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.manifest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged init scripts ({@code infra/local/init-scripts}, in name order) applied to a store.
 * They are idempotent, so a run applies them before it writes, unless the store records that it has
 * them already ({@link #applyIfChanged}); PostgreSQL-only scripts (roles) are left to the database's
 * own initialisation ({@code make pg-up}, Compose).
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

  /**
   * Applies the portable scripts unless the store says it already has them: {@code meta.init_scripts}
   * holds the SHA-256 of the scripts last applied and how many tables and views {@code meta} and
   * {@code gold} had then. A store whose scripts are current is left alone, so a command pays one
   * query instead of ~300 statements (0.3 s on DuckDB); a table dropped by hand changes the
   * count and gets the scripts again. Returns whether they were applied.
   */
  public static boolean applyIfChanged(Connection c) throws SQLException {
    Map<String, String> scripts = portable(StoreConfig.isDuckDb(c.getMetaData().getURL()));
    String fingerprint = fingerprint(scripts);
    if (current(c, fingerprint)) {
      return false;
    }
    apply(c, scripts);
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + APPLIED + " WHERE sha256 <> ?");
        PreparedStatement ins = c.prepareStatement("INSERT INTO " + APPLIED
            + " (sha256, relations) VALUES (?, ?) ON CONFLICT (sha256) DO UPDATE SET relations = EXCLUDED.relations")) {
      del.setString(1, fingerprint);
      del.executeUpdate();
      ins.setString(1, fingerprint);
      ins.setInt(2, relations(c));
      ins.executeUpdate();
    }
    return true;
  }

  /** Applies the portable scripts, whatever the store has; a failing statement is reported with its script. */
  public static void apply(Connection c) throws SQLException {
    apply(c, portable(StoreConfig.isDuckDb(c.getMetaData().getURL())));
  }

  /** The table of {@link #applyIfChanged}'s record (10-meta.sql). */
  static final String APPLIED = "meta.init_scripts";

  /** The portable scripts' texts as this kind of store runs them, in order. */
  static Map<String, String> portable(boolean duckdb) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String script : PORTABLE) {
      // DuckDB's Gold tables are made without their keys (ServingSql.goldTables(boolean) says why).
      out.put(script, duckdb && script.equals(ServingSql.GOLD_TABLES) ? ServingSql.goldTables(false) : text(script));
    }
    return out;
  }

  static String fingerprint(Map<String, String> scripts) {
    StringBuilder all = new StringBuilder();
    scripts.forEach((name, sql) -> all.append("-- ").append(name).append('\n').append(sql).append('\n'));
    return Sha256.hex(all.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Tables and views in the two schemas the scripts make. */
  private static final String RELATIONS =
      "SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('meta', 'gold')";

  /**
   * Whether the store recorded these scripts and still has the tables and views it had then: one
   * query, the first a command sends.
   */
  private static boolean current(Connection c, String fingerprint) {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT relations = (" + RELATIONS + ") FROM " + APPLIED + " WHERE sha256 = ?")) {
      ps.setString(1, fingerprint);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    } catch (SQLException e) {
      // A new store (no meta.init_scripts yet) or one older than it: apply the scripts, which make it.
      return false;
    }
  }

  static int relations(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(RELATIONS)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void apply(Connection c, Map<String, String> scripts) throws SQLException {
    for (Map.Entry<String, String> script : scripts.entrySet()) {
      try (Statement s = c.createStatement()) {
        for (String stmt : statements(script.getValue())) {
          try {
            s.execute(stmt);
          } catch (SQLException e) {
            throw new SQLException(script.getKey() + ": " + e.getMessage() + " in: "
                + stmt.lines().findFirst().orElse(""), e);
          }
        }
      }
    }
  }
}
