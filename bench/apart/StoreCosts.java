import co.pqrs.lakehouse.serving.SqlScripts;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a layer command's control-plane record costs before it writes a row, timed in a fresh JVM:
 * loading DuckDB's JDBC driver, opening the embedded store (the driver unpacks its native library
 * into the temporary folder in every JVM), and applying the init scripts, twice (the second time is
 * what every command after the first pays: the scripts are idempotent and run each time). Then the
 * scripts again on that store, the project's way (`SqlScripts.apply`: each statement committed on its
 * own) and in one transaction (written out below; tried on 2026-12-04 and not kept), alternating.
 *
 *   for i in 1 2 3; do java -cp pipelines/target/pqrs-lakehouse.jar bench/apart/StoreCosts.java lakehouse/serving/pqrs.duckdb; done
 *
 * Prints CSV without header: driver_s,open_s,scripts_s,scripts_again_s,then for each of 3 rounds
 * per_statement_s (the project's),one_transaction_s.
 *
 * With a second argument, {@code skip}, what a command pays since the store records its scripts
 * (`SqlScripts.applyIfChanged`, 2026-12-04): driver_s,open_s,first_s (`applyIfChanged` as the
 * connection's first statement, as in a command; it applies them only in the first JVM on a store),
 * then for each of 3 rounds applied_s (`SqlScripts.apply`, what every command paid before),skipped_s.
 */
public class StoreCosts {
  public static void main(String[] args) throws Exception {
    boolean skip = args.length == 2 && args[1].equals("skip");
    if (args.length != 1 && !skip) {
      System.err.println("usage: StoreCosts.java STORE.duckdb [skip]");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    Class.forName("org.duckdb.DuckDBDriver");
    long t1 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%.3f,%.3f", (t1 - t0) / 1e9,
          (System.nanoTime() - t1) / 1e9));
      // What the connection's first statements cost: the scripts twice (the project's way until
      // 2026-12-04), or the check that replaced them.
      for (int i = 0; i < (skip ? 1 : 2); i++) {
        long a = System.nanoTime();
        if (skip) {
          SqlScripts.applyIfChanged(c);
        } else {
          SqlScripts.apply(c);
        }
        out.append(String.format(java.util.Locale.ROOT, ",%.3f", (System.nanoTime() - a) / 1e9));
      }
      for (int i = 0; i < 3; i++) {
        long a = System.nanoTime();
        SqlScripts.apply(c);
        long b = System.nanoTime();
        if (!skip) {
          oneTransaction(c);
        } else if (SqlScripts.applyIfChanged(c)) {
          throw new IllegalStateException("the scripts were applied again on a store that records them");
        }
        long e = System.nanoTime();
        out.append(String.format(java.util.Locale.ROOT, ",%.3f,%.3f", (b - a) / 1e9, (e - b) / 1e9));
      }
      System.out.println(out);
    }
  }

  /**
   * The same statements in one transaction. On a store that has them, the Gold tables' keyed text
   * does what the keyless one does (CREATE TABLE IF NOT EXISTS).
   */
  static void oneTransaction(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String script : SqlScripts.PORTABLE) {
        for (String stmt : SqlScripts.statements(SqlScripts.text(script))) {
          s.execute(stmt);
        }
      }
      c.commit();
    } finally {
      c.setAutoCommit(true);
    }
  }
}
