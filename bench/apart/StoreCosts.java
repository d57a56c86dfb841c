import co.pqrs.lakehouse.serving.SqlScripts;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * What a layer command's control-plane record costs before it writes a row, timed in a fresh JVM:
 * loading DuckDB's JDBC driver, opening the embedded store (the driver unpacks its native library
 * into the temporary folder in every JVM), and applying the init scripts, twice (the second time is
 * what every command after the first pays: the scripts are idempotent and run each time).
 *
 *   for i in 1 2 3; do java -cp pipelines/target/pqrs-lakehouse.jar bench/apart/StoreCosts.java lakehouse/serving/pqrs.duckdb; done
 *
 * Prints CSV without header: driver_s,open_s,scripts_s,scripts_again_s.
 */
public class StoreCosts {
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: StoreCosts.java STORE.duckdb");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    Class.forName("org.duckdb.DuckDBDriver");
    long t1 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      long t2 = System.nanoTime();
      SqlScripts.apply(c);
      long t3 = System.nanoTime();
      SqlScripts.apply(c);
      long t4 = System.nanoTime();
      System.out.printf(java.util.Locale.ROOT, "%.3f,%.3f,%.3f,%.3f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          (t3 - t2) / 1e9, (t4 - t3) / 1e9);
    }
  }
}
