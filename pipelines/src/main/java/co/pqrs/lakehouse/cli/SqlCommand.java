package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.serving.StoreConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one query against the serving store and prints the result as a table: no SQL client needed. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Query the serving store (the embedded DuckDB file, or PostgreSQL with --jdbc-url).",
    footer = {"", "Example: pqrs sql \"SELECT * FROM gold.v_ts_national_daily ORDER BY day DESC LIMIT 7\""})
final class SqlCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "QUERY", description = "One SQL statement")
  String query;

  @Option(names = "--root", paramLabel = "PATH", defaultValue = "lakehouse",
      description = "Lakehouse root whose embedded store to open (default: ${DEFAULT-VALUE})")
  String root;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "Serving store (default: $PQRS_JDBC_URL, else embedded)")
  String jdbcUrl;

  @Option(names = "--max-rows", defaultValue = "50", description = "Rows to print at most (default: ${DEFAULT-VALUE})")
  int maxRows;

  @Override
  public Integer call() throws Exception {
    StoreConfig store = StoreConfig.resolve(jdbcUrl, DataLayout.at(root));
    if (store == null) {
      throw new IllegalArgumentException("no serving store for an object-store root: pass --jdbc-url");
    }
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      if (!s.execute(query)) {
        System.out.println(s.getUpdateCount() + " rows affected");
        return 0;
      }
      try (ResultSet rs = s.getResultSet()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        for (int i = 0; i < n; i++) {
          header[i] = md.getColumnLabel(i + 1);
        }
        rows.add(header);
        int total = 0;
        while (rs.next()) {
          if (++total > maxRows) {
            continue;
          }
          String[] r = new String[n];
          for (int i = 0; i < n; i++) {
            r[i] = String.valueOf(rs.getString(i + 1));
          }
          rows.add(r);
        }
        int[] width = new int[n];
        rows.forEach(r -> {
          for (int i = 0; i < n; i++) {
            width[i] = Math.max(width[i], r[i].length());
          }
        });
        for (int k = 0; k < rows.size(); k++) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", rows.get(k)[i]));
          }
          System.out.println(sb.toString().stripTrailing());
          if (k == 0) {
            System.out.println("-".repeat(sb.length()));
          }
        }
        System.out.println("(" + total + " rows" + (total > maxRows ? ", " + maxRows + " shown" : "") + ")");
      }
    }
    return 0;
  }
}
