package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.bronze.BronzeRun;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.simulate.RawRuns;
import co.pqrs.lakehouse.transforms.simulate.TestConfigs;
import co.pqrs.lakehouse.transforms.simulate.TicketSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Raw → Bronze → Silver on simulated runs, measured from the Silver tables. */
public class SilverRunTest {
  @TempDir static Path dir;
  static LakehouseConfig cfg;
  static DataLayout layout;
  static Manifest silver;

  public static Pipeline pipeline(int parallelism) {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(parallelism);
    // Large runs: the per-element re-encoding checks are kept by the PAssert tests of each transform.
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    return Pipeline.create(o);
  }

  public static Manifest chain(LakehouseConfig c, DataLayout l, String runId, Instant asOf, int parallelism) throws Exception {
    RawRuns.simulate(c, Path.of(l.root()), runId, parallelism);
    Pipeline b = pipeline(parallelism);
    b.apply(new BronzeRun(l, runId, List.of(l.rawRun(runId) + "day=*/*.jsonl"),
        QualityConfig.packaged().forLayer("bronze"), null, Map.of()));
    b.run().waitUntilFinish();
    return silver(c, l, runId, asOf, parallelism);
  }

  static Manifest silver(LakehouseConfig c, DataLayout l, String runId, Instant asOf, int parallelism) throws Exception {
    Pipeline s = pipeline(parallelism);
    s.apply(new SilverRun(c, l, runId, asOf, "rules-test", QualityConfig.packaged().forLayer("silver"), Map.of()));
    s.run().waitUntilFinish();
    return RunPublisher.readManifest(l.manifest(DataLayout.SILVER, runId));
  }

  @BeforeAll
  static void run() throws Exception {
    // 75 days so that the tickets of the first 10 have all closed: a late S ticket uses up to
    // 1.8 x 20 business days, plus pauses and a reopening.
    Map<String, String> m = TestConfigs.small("2025-02-01", "2025-04-16", 400, 600, 700);
    m.put("window_count", "0"); // spikes add nothing to what is measured here
    cfg = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")), m);
    layout = DataLayout.at(dir.resolve("lake").toString());
    silver = chain(cfg, layout, "s", TicketSimulator.asOf(cfg.simulation()), 2);
  }

  static String glob(String table, String runId) {
    return layout.table(DataLayout.SILVER, table, runId) + "*.parquet";
  }

  @Test
  void everySilverColumnCopiedFromBronzeHasTheBronzeRowsValue() throws Exception {
    // Silver asks Parquet for the Bronze columns it curates only (CurateSilver.BRONZE_COLUMNS): a
    // column it copies but does not ask for would come through empty. Each row is joined back to
    // the Bronze row it was taken from (tickets: their one creation).
    String bronze = "read_parquet('" + layout.table(DataLayout.BRONZE, "events", "s") + "day=*/*.parquet')";
    Map<String, String[]> copies = new java.util.LinkedHashMap<>();
    copies.put("tickets", new String[] {"(SELECT * FROM " + bronze + " WHERE event_type = 'TICKET_CREATED' "
        + "QUALIFY count(*) OVER (PARTITION BY ticket_id) = 1) b ON b.ticket_id = s.ticket_id",
        "s.external_id IS DISTINCT FROM b.external_id OR s.channel IS DISTINCT FROM b.channel "
            + "OR s.pqrs_type IS DISTINCT FROM b.pqrs_type OR s.priority IS DISTINCT FROM b.priority "
            + "OR s.municipality_code IS DISTINCT FROM b.municipality_code OR s.created_ts IS DISTINCT FROM b.event_ts"});
    copies.put("messages", new String[] {bronze + " b ON b.event_id = s.event_id",
        "s.author_role IS DISTINCT FROM b.author_role OR s.text IS DISTINCT FROM b.text "
            + "OR s.message_ts IS DISTINCT FROM b.event_ts"});
    copies.put("attachments", new String[] {bronze + " b ON b.event_id = s.event_id",
        "s.file_name IS DISTINCT FROM b.file_name OR s.mime_type IS DISTINCT FROM b.mime_type "
            + "OR s.size_bytes IS DISTINCT FROM b.size_bytes OR s.attachment_ts IS DISTINCT FROM b.event_ts"});
    copies.put("status_events", new String[] {bronze + " b ON b.event_id = s.event_id AND b.event_type = 'STATUS_CHANGED'",
        "s.to_status IS DISTINCT FROM b.to_status OR s.status_ts IS DISTINCT FROM b.event_ts"});
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:"); Statement st = conn.createStatement()) {
      for (Map.Entry<String, String[]> c : copies.entrySet()) {
        try (ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE " + c.getValue()[1] + ") FROM "
            + "read_parquet('" + glob(c.getKey(), "s") + "') s JOIN " + c.getValue()[0])) {
          rs.next();
          assertThat(c.getKey() + " rows joined to Bronze", rs.getLong(1), greaterThan(100L));
          assertEquals(0, rs.getLong(2), c.getKey() + " rows whose copied columns differ from Bronze's");
        }
      }
    }
  }

  @Test
  void moreBucketsHoldTheSameRowsInMoreFiles() throws Exception {
    // The same Bronze run again, sized as if it were six buckets' worth: every table is split into
    // one sorted part file per bucket, and the rows (the data hash, the counts) are the same.
    long asIfRows = 5 * CurateSilver.EVENTS_PER_BUCKET + 1;
    assertEquals(6, CurateSilver.bucketsFor(asIfRows));
    assertEquals(CurateSilver.MIN_BUCKETS, CurateSilver.bucketsFor(0));
    Pipeline s = pipeline(2);
    s.apply(new SilverRun(cfg, layout, "s", TicketSimulator.asOf(cfg.simulation()), "rules-test",
        QualityConfig.packaged().forLayer("silver"), Map.of()).withExpectedRows(asIfRows));
    s.run().waitUntilFinish();
    Manifest sharded = RunPublisher.readManifest(layout.manifest(DataLayout.SILVER, "s"));
    assertEquals(silver.dataHash(), sharded.dataHash());
    assertEquals(silver.counts(), sharded.counts());
    assertEquals(silver.partitionCounts(), sharded.partitionCounts());
    for (SilverTables t : SilverTables.values()) {
      List<String> files = sharded.files().stream().filter(f -> f.partition().equals(t.table))
          .map(f -> f.path().substring(f.path().lastIndexOf('/') + 1)).sorted().toList();
      assertEquals(List.of("part-00000.parquet", "part-00001.parquet", "part-00002.parquet", "part-00003.parquet",
          "part-00004.parquet", "part-00005.parquet"), files, t.table + " files");
      long fewer = silver.files().stream().filter(f -> f.partition().equals(t.table)).count();
      assertEquals(CurateSilver.MIN_BUCKETS, fewer, t.table + " files of the run sized by default");
    }
    // Each file is sorted: its rows read back in the order of the table's schema.
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT ticket_id FROM read_parquet('"
            + layout.table(DataLayout.SILVER, "tickets", "s") + "part-00003.parquet')")) {
      String previous = "";
      int n = 0;
      while (rs.next()) {
        assertThat(rs.getString(1).compareTo(previous), greaterThan(0));
        previous = rs.getString(1);
        n++;
      }
      assertThat(n, greaterThan(1000));
    }
    // A ticket's rows of every table sit in the files of one number: its bucket's.
    String rowsByFile = java.util.Arrays.stream(SilverTables.values())
        .map(t -> "SELECT ticket_id, regexp_extract(filename, 'part-(\\d+)', 1) AS part FROM read_parquet('"
            + glob(t.table, "s") + "', filename = true)")
        .collect(java.util.stream.Collectors.joining(" UNION ALL "));
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("WITH r AS (" + rowsByFile + "), t AS (SELECT ticket_id, "
            + "count(DISTINCT part) AS parts FROM r GROUP BY ticket_id) SELECT (SELECT count(*) FROM t), "
            + "(SELECT count(*) FROM t WHERE parts > 1), (SELECT count(DISTINCT part) FROM r)")) {
      rs.next();
      assertThat(rs.getLong(1), greaterThan(1000L));
      assertEquals(0, rs.getLong(2), "tickets whose rows are in files of more than one number");
      assertEquals(6, rs.getLong(3));
    }
  }

  @Test
  void lateShareOfClosedTicketsIsTheConfiguredBreachRate() throws Exception {
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE sla_status = 'LATE'), "
            + "count(*) FILTER (WHERE sla_status IN ('LATE', 'IN_TIME')), count(*) "
            + "FROM read_parquet('" + glob("tickets", "s") + "') "
            + "WHERE created_day < DATE '2025-02-11'")) {
      rs.next();
      long late = rs.getLong(1);
      long closed = rs.getLong(2);
      long cohort = rs.getLong(3);
      assertThat(closed, greaterThan(3000L));
      assertThat((double) closed / cohort, greaterThan(0.99));
      assertThat((double) late / closed, closeTo(cfg.simulation().slaBreachRate(), 0.015));
    }
  }

  @Test
  void everyBronzeRowIsAccountedForAndTheLifecycleIsClean() throws Exception {
    Map<String, Long> c = silver.counts();
    long out = c.get("rows.creations") + c.get("rows.messages") + c.get("rows.status_events") + c.get("rows.attachments");
    assertThat(c.get("bronze_rows"), is(out + c.get("set_aside.after_as_of") + c.get("set_aside.extra_creations")));
    // Counted while curating, it must still be every row Bronze published.
    assertThat(c.get("bronze_rows"), is(RunPublisher.readManifest(layout.manifest(DataLayout.BRONZE, "s")).counts().get("rows")));
    assertThat(c.get("rows.tickets"), is(c.get("tickets")));
    assertThat(c.getOrDefault("violation.any", 0L), is(0L));
    assertThat(silver.status(), equalTo(Manifest.SUCCESS));
    // The classifier finds the planted keywords most of the time, not always (noise, no keyword).
    double agreement = c.get("classifier.agrees") / (double) c.get("classifier.rows");
    assertThat(agreement, allOf(greaterThan(0.7), lessThanOrEqualTo(0.95)));
  }


  @Test
  void tablesJoinUpAndGeographyComesFromDivipola() throws Exception {
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + glob("tickets", "s") + "') "
          + "WHERE department_name IS NULL OR natural_region IS NULL")) {
        rs.next();
        assertThat(rs.getLong(1), is(0L));
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + glob("tickets", "s") + "') t "
          + "JOIN (SELECT ticket_id, count(*) n FROM read_parquet('" + glob("messages", "s") + "') GROUP BY 1) m "
          + "USING (ticket_id) WHERE m.n <> t.message_count")) {
        rs.next();
        assertThat(rs.getLong(1), is(0L));
      }
      try (ResultSet rs = st.executeQuery("SELECT max(sequence) = count(*) FROM read_parquet('"
          + glob("status_events", "s") + "') GROUP BY ticket_id HAVING NOT (max(sequence) = count(*))")) {
        assertThat(rs.next(), is(false));
      }
    }
  }

  @Test
  void injectedLifecycleDefectsAreFlagged() throws Exception {
    Map<String, String> m = TestConfigs.withDefects(TestConfigs.oneWindow("2025-05-01", "2025-05-14", 80, 200, 240, 3),
        "0.02");
    LakehouseConfig c = TestConfigs.with(Files.createDirectories(dir.resolve("cfg-defects")), m);
    DataLayout l = DataLayout.at(dir.resolve("lake-defects").toString());
    Manifest s = chain(c, l, "d", TicketSimulator.asOf(c.simulation()), 2);
    Manifest raw = RunPublisher.readManifest(l.manifest(DataLayout.RAW, "d"));
    Map<String, Long> inj = raw.counts();
    Map<String, Long> got = s.counts();
    assertThat(got.get("violation.invalid_transition"), is(inj.get("injected.invalid_transition")));
    // A ticket whose TICKET_CREATED Bronze quarantined (wrong enum) is an orphan in Silver too.
    assertThat(got.get("violation.orphan_events"), is(inj.get("injected.orphan_event") + inj.get("injected.wrong_enum")));
    // An invalid transition can also break the chain after it.
    assertThat(got.get("violation.out_of_order"), allOf(greaterThanOrEqualTo(inj.get("injected.out_of_order")),
        lessThanOrEqualTo(inj.get("injected.out_of_order") + inj.get("injected.invalid_transition"))));
    assertThat(s.status(), equalTo(Manifest.DEGRADED));

    // Determinism of every table: the same Bronze run curated again, at another parallelism, gives
    // the same files (the manifest lists each file's SHA-256) and the same data hash.
    Manifest again = silver(c, l, "d", TicketSimulator.asOf(c.simulation()), 1);
    assertThat(new String(again.toJson()), equalTo(new String(s.toJson())));
  }
}
