package co.pqrs.lakehouse.transforms.gold;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.io.ParquetWriters;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.simulate.TestConfigs;
import co.pqrs.lakehouse.transforms.simulate.TicketSimulator;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw → Bronze → Silver → Gold on a simulated run with every defect injected, Gold checked against
 * SQL a practitioner would write over the Silver files (DuckDB), and for determinism.
 */
class GoldRunTest {
  @TempDir static Path dir;
  static DataLayout layout;
  static Instant asOf;
  static Manifest gold;

  static Manifest gold(String runId, int parallelism) throws Exception {
    Manifest silver = RunPublisher.readManifest(layout.manifest(DataLayout.SILVER, runId));
    Pipeline p = co.pqrs.lakehouse.transforms.silver.SilverRunTest.pipeline(parallelism);
    p.apply(new GoldRun(layout, runId, asOf, QualityConfig.packaged().forLayer(DataLayout.GOLD), Map.of(),
        Map.of("silver.tickets", silver.counts().get("rows.tickets"),
            "silver.creations", silver.counts().get("rows.creations"))));
    p.run().waitUntilFinish();
    return RunPublisher.readManifest(layout.manifest(DataLayout.GOLD, runId));
  }

  @BeforeAll
  static void run() throws Exception {
    Map<String, String> m = TestConfigs.withDefects(TestConfigs.oneWindow("2025-05-01", "2025-05-21", 120, 200, 240, 3),
        "0.01");
    LakehouseConfig c = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")), m);
    layout = DataLayout.at(dir.resolve("lake").toString());
    asOf = TicketSimulator.asOf(c.simulation());
    co.pqrs.lakehouse.transforms.silver.SilverRunTest.chain(c, layout, "g", asOf, 2);
    gold = gold("g", 2);
  }

  static String file(GoldTable t) {
    return layout.table(DataLayout.GOLD, t.table, "g") + "part-00000.parquet";
  }

  static String silver(SilverTables t) {
    return layout.table(DataLayout.SILVER, t.table, "g") + "*.parquet";
  }

  static List<List<Object>> query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> r = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object v = rs.getObject(i);
          r.add(v instanceof Number n ? n.doubleValue() : String.valueOf(v));
        }
        rows.add(r);
      }
      return rows;
    }
  }

  @Test
  void everyCheckPassesOnDefectiveInput() {
    assertThat(gold.status(), equalTo(Manifest.SUCCESS));
    gold.checks().forEach(r -> assertThat(r.check(), r.status(), equalTo("PASS")));
    assertThat(gold.counts().get("rows.ticket_snapshot"), greaterThan(1000L));
  }

  @Test
  void volumeEqualsSqlOverSilverTickets() throws Exception {
    String ours = "SELECT day, channel, pqrs_type, priority, department_code, tickets FROM read_parquet('"
        + file(GoldTable.KPI_VOLUME_DAILY) + "') ORDER BY ALL";
    String sql = "SELECT created_day, channel, pqrs_type, priority, department_code, count(*) FROM read_parquet('"
        + silver(SilverTables.TICKETS) + "') WHERE created_ts IS NOT NULL GROUP BY ALL ORDER BY ALL";
    assertThat(query(ours), equalTo(query(sql)));
  }

  @Test
  void slaOutcomesEqualSqlOverSilverTickets() throws Exception {
    String ours = "SELECT day, pqrs_type, channel, closed, in_time, late FROM read_parquet('"
        + file(GoldTable.KPI_SLA_DAILY) + "') ORDER BY ALL";
    // Closing day in Bogota: UTC minus five hours, no daylight saving.
    String sql = "SELECT CAST(closed_ts - INTERVAL 5 HOUR AS DATE), pqrs_type, channel, count(*), "
        + "count(*) FILTER (WHERE sla_status = 'IN_TIME'), count(*) FILTER (WHERE sla_status = 'LATE') "
        + "FROM read_parquet('" + silver(SilverTables.TICKETS) + "') "
        + "WHERE NOT is_open AND created_ts IS NOT NULL GROUP BY ALL ORDER BY ALL";
    assertThat(query(ours), equalTo(query(sql)));
  }

  @Test
  void finalBacklogEqualsOpenSilverTicketsPerTypeAndDepartment() throws Exception {
    String ours = "SELECT pqrs_type, department_code, open_tickets FROM read_parquet('"
        + file(GoldTable.KPI_BACKLOG_DAILY) + "') WHERE day = (SELECT max(day) FROM read_parquet('"
        + file(GoldTable.KPI_BACKLOG_DAILY) + "')) AND open_tickets > 0 ORDER BY ALL";
    String sql = "SELECT pqrs_type, department_code, count(*) FROM read_parquet('" + silver(SilverTables.TICKETS)
        + "') WHERE is_open AND created_ts IS NOT NULL GROUP BY ALL ORDER BY ALL";
    assertThat(query(ours), equalTo(query(sql)));
  }

  @Test
  void theSameSilverGivesTheSameGoldBytesAtAnotherParallelism() throws Exception {
    Manifest again = gold("g", 1);
    assertThat(new String(again.toJson()), equalTo(new String(gold.toJson())));
  }

  /**
   * A column its table's contract marks {@code "parquet_dictionary": false} has no dictionary in any
   * file of any layer (Bronze, the five Silver tables, Gold's snapshot); the columns left unmarked can
   * keep one, and some do, which shows the check reads the files' encodings.
   */
  @Test
  void columnsMarkedWithoutADictionaryHaveNoneInAnyFile() throws Exception {
    Map<String, Schema> tables = new LinkedHashMap<>();
    tables.put(layout.table(DataLayout.BRONZE, BronzeSchema.TABLE, "g"), BronzeSchema.schema());
    for (SilverTables t : SilverTables.values()) {
      tables.put(layout.table(DataLayout.SILVER, t.table, "g"), t.schema());
    }
    tables.put(layout.table(DataLayout.GOLD, GoldTable.TICKET_SNAPSHOT.table, "g"), GoldTable.TICKET_SNAPSHOT.schema());
    for (Map.Entry<String, Schema> t : tables.entrySet()) {
      TreeSet<String> marked = new TreeSet<>();
      for (Schema.Field f : t.getValue().getFields()) {
        if (!ParquetWriters.dictionary(t.getValue(), f)) { // the mark as the writer reads it
          marked.add(f.name());
        }
      }
      TreeSet<String> withDictionary = new TreeSet<>();
      query("SELECT DISTINCT path_in_schema FROM parquet_metadata('" + t.getKey() + "**/*.parquet') "
          + "WHERE encodings LIKE '%DICTIONARY%'").forEach(r -> withDictionary.add((String) r.get(0)));
      assertThat(t.getKey() + " has unmarked columns with a dictionary", withDictionary, not(empty()));
      withDictionary.retainAll(marked);
      assertThat(t.getKey() + ": marked columns written with a dictionary", withDictionary, empty());
    }
    Schema snapshot = GoldTable.TICKET_SNAPSHOT.schema();
    assertThat(ParquetWriters.dictionary(snapshot, snapshot.getField("ticket_id")), equalTo(false));
    assertThat(ParquetWriters.dictionary(snapshot, snapshot.getField("channel")), equalTo(true));
  }
}
