package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.gold.Column;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a published Gold run's Parquet files into the {@code gold.*} tables: for every table, the
 * run's rows are deleted and inserted again in batches, on a connection whose transaction the caller
 * commits (together with the run's SUCCESS record). Loading a run twice leaves the same rows.
 */
public final class GoldLoader {
  private static final Logger LOG = LoggerFactory.getLogger(GoldLoader.class);
  static final int BATCH = 5_000;

  private GoldLoader() {}

  /** Replaces the run's rows in every Gold table; returns rows loaded per table. */
  public static Map<String, Long> replace(Connection c, DataLayout layout, Manifest m) throws Exception {
    // DuckDB reads local Parquet itself, far faster than it takes JDBC batches; anything else gets batches.
    boolean duckReadsFiles = StoreConfig.isDuckDb(c.getMetaData().getURL()) && layout.isLocal();
    if (!m.layer().equals(DataLayout.GOLD)) {
      throw new IllegalArgumentException("only a gold manifest can be served, not " + m.layer());
    }
    Map<String, Long> loaded = new TreeMap<>();
    for (GoldTable t : GoldTable.values()) {
      try (PreparedStatement del = c.prepareStatement("DELETE FROM gold." + t.table + " WHERE run_id = ?")) {
        del.setString(1, m.runId());
        del.executeUpdate();
      }
      String prefix = DataLayout.GOLD + "/" + t.table + "/";
      List<Manifest.FileEntry> files = m.files().stream().filter(f -> f.path().startsWith(prefix)).toList();
      long n = 0;
      if (duckReadsFiles) {
        String cols = t.columns.stream().map(Column::name).collect(Collectors.joining(", "));
        for (Manifest.FileEntry f : files) {
          try (java.sql.Statement s = c.createStatement()) {
            n += s.executeUpdate("INSERT INTO gold." + t.table + " (" + cols + ") SELECT " + cols
                + " FROM read_parquet(" + ServingSql.quote(layout.resolve(f.path())) + ")");
          }
        }
        loaded.put(t.table, n);
        continue;
      }
      try (PreparedStatement ins = c.prepareStatement(insert(t))) {
        int pending = 0;
        for (Manifest.FileEntry f : files) {
          long[] count = {0};
          int[] batch = {pending};
          ParquetFiles.read(layout.resolve(f.path()), r -> {
            try {
              bind(ins, t, r);
              ins.addBatch();
              if (++batch[0] == BATCH) {
                ins.executeBatch();
                batch[0] = 0;
              }
              count[0]++;
            } catch (SQLException e) {
              throw new IllegalStateException("gold." + t.table + " from " + f.path() + ": " + e.getMessage(), e);
            }
          });
          pending = batch[0];
          n += count[0];
        }
        if (pending > 0) {
          ins.executeBatch();
        }
      }
      loaded.put(t.table, n);
    }
    LOG.info("served gold run {}: {}", m.runId(), loaded);
    return loaded;
  }

  static String insert(GoldTable t) {
    String cols = t.columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String marks = t.columns.stream().map(x -> "?").collect(Collectors.joining(", "));
    return "INSERT INTO gold." + t.table + " (" + cols + ") VALUES (" + marks + ")";
  }

  static void bind(PreparedStatement ps, GoldTable t, GenericRecord r) throws SQLException {
    for (int i = 0; i < t.columns.size(); i++) {
      Column col = t.columns.get(i);
      Object v = r.get(col.name());
      int p = i + 1;
      if (v == null) {
        ps.setNull(p, switch (col.type()) {
          case STRING -> Types.VARCHAR;
          case INT -> Types.INTEGER;
          case LONG -> Types.BIGINT;
          case DOUBLE -> Types.DOUBLE;
          case BOOLEAN -> Types.BOOLEAN;
          case DATE -> Types.DATE;
          case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
        });
        continue;
      }
      switch (col.type()) {
        case STRING -> ps.setString(p, v.toString());
        case INT -> ps.setInt(p, ((Number) v).intValue());
        case LONG -> ps.setLong(p, ((Number) v).longValue());
        case DOUBLE -> ps.setDouble(p, ((Number) v).doubleValue());
        case BOOLEAN -> ps.setBoolean(p, (Boolean) v);
        case DATE -> ps.setObject(p, LocalDate.ofEpochDay(((Number) v).longValue()));
        case TIMESTAMP -> ps.setObject(p,
            Instant.EPOCH.plus(((Number) v).longValue(), ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
      }
    }
  }
}
