package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.layout.DataLayout;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the serving store is: a JDBC URL (PostgreSQL, or the embedded DuckDB file inside the
 * lakehouse folder) and credentials. Credentials come from the environment ({@code PQRS_JDBC_USER},
 * {@code PQRS_JDBC_PASSWORD}) or the URL, never from code; they travel with the pipeline so workers
 * can write the control plane.
 */
public record StoreConfig(String jdbcUrl, String user, String password) implements Serializable {
  public static final String ENV_URL = "PQRS_JDBC_URL";
  public static final String ENV_USER = "PQRS_JDBC_USER";
  public static final String ENV_PASSWORD = "PQRS_JDBC_PASSWORD";
  /** The embedded store's file, relative to a local lakehouse root. */
  public static final String EMBEDDED_FILE = "serving/pqrs.duckdb";

  /**
   * The store a run uses: {@code jdbcUrl} when given, else {@code PQRS_JDBC_URL}, else the embedded
   * DuckDB file under a local lakehouse root. Null for an object-store root with no URL (nowhere
   * embedded to put it).
   */
  public static StoreConfig resolve(String jdbcUrl, DataLayout layout) {
    String url = givenUrl(jdbcUrl, System.getenv(ENV_URL));
    if (url != null) {
      return new StoreConfig(url, System.getenv(ENV_USER), System.getenv(ENV_PASSWORD));
    }
    if (!layout.isLocal()) {
      return null;
    }
    return embedded(Path.of(layout.root()));
  }

  /** The URL a user gave: {@code jdbcUrl}, else {@code envUrl} ({@code PQRS_JDBC_URL}); null when neither. */
  public static String givenUrl(String jdbcUrl, String envUrl) {
    String url = jdbcUrl != null && !jdbcUrl.isBlank() ? jdbcUrl : envUrl;
    return url != null && !url.isBlank() ? url : null;
  }

  public static StoreConfig embedded(Path root) {
    return new StoreConfig("jdbc:duckdb:" + root.toAbsolutePath().normalize().resolve(EMBEDDED_FILE), null, null);
  }

  public boolean isDuckDb() {
    return isDuckDb(jdbcUrl);
  }

  /** Whether a JDBC URL (a connection's, say) names a DuckDB store. */
  public static boolean isDuckDb(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:duckdb:");
  }

  /**
   * Registers the driver of the URL explicitly: on a Flink TaskManager the job's classes live in a
   * child class loader where DriverManager's automatic discovery does not see them.
   */
  private void loadDriver() {
    String driver = isDuckDb() ? "org.duckdb.DuckDBDriver"
        : jdbcUrl.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : null;
    if (driver != null) {
      try {
        Class.forName(driver);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the JDBC driver " + driver + " for " + describe() + " is not on the classpath"
            + (isDuckDb() ? " (the Flink job jar leaves DuckDB out: use PostgreSQL with --jdbcUrl on a cluster)" : ""), e);
      }
    }
  }

  /** Opens a connection; for the embedded store, creates its folder first and explains a lock. */
  public Connection connect() throws SQLException {
    loadDriver();
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    if (isDuckDb()) {
      String file = jdbcUrl.substring("jdbc:duckdb:".length());
      try {
        Files.createDirectories(Path.of(file).toAbsolutePath().getParent());
      } catch (java.io.IOException e) {
        throw new SQLException("cannot create the folder of the embedded store " + file + ": " + e.getMessage(), e);
      }
      try {
        return DriverManager.getConnection(jdbcUrl, p);
      } catch (SQLException e) {
        if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("lock")) {
          throw new SQLException("the embedded store " + file + " is open in another process (a DuckDB shell, "
              + "a notebook, the Streamlit app?): DuckDB lets one process at a time open it; close that one and "
              + "retry", e);
        }
        throw e;
      }
    }
    p.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(jdbcUrl, p);
  }

  /** The URL without credentials, for logs. */
  public String describe() {
    return jdbcUrl.replaceAll("password=[^&]*", "password=***");
  }

  @Override
  public String toString() {
    return "StoreConfig[" + describe() + (user == null ? "" : ", user=" + user) + "]";
  }
}
