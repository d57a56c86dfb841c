package co.pqrs.lakehouse.transforms.gold;

import static co.pqrs.lakehouse.transforms.gold.SilverFixtures.bogota;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.io.AvroRecordCoder;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Every Gold table on five hand-built Silver tickets (one of them an orphan without TICKET_CREATED),
 * as of Saturday 2025-03-08 00:00 Bogota. The expected rows are worked out by hand in the comments.
 */
@RunWith(JUnit4.class)
public class AggregateGoldTest {
  static final Instant AS_OF = bogota("2025-03-08T00:00");
  static final String RUN = "r1";

  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder dir = new TemporaryFolder();

  private DataLayout layout() {
    return DataLayout.at(dir.getRoot().getPath());
  }

  private static Map<String, Object> kv(Object... pairs) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /**
   * T1 P/email/alta/11: Mon 03-03 09:00 → first answer Tue 09:00 (24 h) → closed Wed 09:00 (48 h), in time.
   * T2 Q/webform/media/05: Mon 03-03 15:00 → answer Wed 15:00 (48 h) → closed Thu 15:00 (72 h), late by
   * 1 business day, reopened once. T3 P/email/baja/11: Tue 03-04 10:00, open, 86 business hours old (3
   * days). T4 Q/call/alta/05: Sat 03-01 08:00, open, 5 business days old. T5: events without creation.
   */
  static List<GenericRecord> tickets() {
    List<GenericRecord> t = new ArrayList<>();
    t.add(SilverFixtures.ticket(kv("ticket_id", "T1", "channel", "email", "pqrs_type", "P", "priority", "alta",
        "department_code", "11", "created_ts", bogota("2025-03-03T09:00"),
        "first_agent_response_ts", bogota("2025-03-04T09:00"), "closed_ts", bogota("2025-03-05T09:00"),
        "current_state", "CLOSED", "is_open", false, "sla_status", "IN_TIME", "sla_target_business_days", 15,
        "sla_elapsed_business_days", 2.0)));
    t.add(SilverFixtures.ticket(kv("ticket_id", "T2", "channel", "webform", "pqrs_type", "Q", "priority", "media",
        "department_code", "05", "created_ts", bogota("2025-03-03T15:00"),
        "first_agent_response_ts", bogota("2025-03-05T15:00"), "closed_ts", bogota("2025-03-06T15:00"),
        "current_state", "CLOSED", "is_open", false, "sla_status", "LATE", "sla_target_business_days", 2,
        "sla_elapsed_business_days", 3.0, "reopen_count", 1)));
    t.add(SilverFixtures.ticket(kv("ticket_id", "T3", "channel", "email", "pqrs_type", "P", "priority", "baja",
        "department_code", "11", "created_ts", bogota("2025-03-04T10:00"), "current_state", "IN_PROGRESS",
        "is_open", true, "sla_status", "HEALTHY", "sla_target_business_days", 15, "sla_elapsed_business_days", 3.58)));
    t.add(SilverFixtures.ticket(kv("ticket_id", "T4", "channel", "call", "pqrs_type", "Q", "priority", "alta",
        "department_code", "05", "created_ts", bogota("2025-03-01T08:00"), "current_state", "ON_HOLD",
        "is_open", true, "sla_status", "HEALTHY", "sla_target_business_days", 15, "sla_elapsed_business_days", 5.0)));
    t.add(SilverFixtures.ticket(kv("ticket_id", "T5", "current_state", "IN_PROGRESS", "is_open", true)));
    return t;
  }

  /** Rows of {@code t} as Gold reads them from Silver's files: only the columns it asks Parquet for. */
  private PCollection<GenericRecord> asRead(String name, SilverTables t, GenericRecord... rows) {
    Schema columns = AggregateGold.input(t);
    List<GenericRecord> read = new ArrayList<>();
    for (GenericRecord r : rows) {
      read.add(Rows.project(r, columns));
    }
    return p.apply(name, Create.of(read).withCoder(AvroRecordCoder.of(columns)));
  }

  /**
   * {@code tickets} written as Silver writes its ticket files: ticket i in {@code part-<i mod files>},
   * each file in ticket order; the files as Gold matches them.
   */
  private PCollection<FileIO.ReadableFile> ticketFiles(List<GenericRecord> tickets, int files) {
    String folder = layout().table(DataLayout.SILVER, SilverTables.TICKETS.table, RUN);
    for (int f = 0; f < files; f++) {
      List<GenericRecord> part = new ArrayList<>();
      for (int i = f; i < tickets.size(); i += files) {
        part.add(tickets.get(i));
      }
      part.sort(java.util.Comparator.comparing(r -> Rows.string(r, "ticket_id")));
      writeSilverFile(folder + String.format(java.util.Locale.ROOT, "part-%05d.parquet", f), part);
    }
    return GoldRun.ticketFiles(p.begin(), folder + "*.parquet");
  }

  private static void writeSilverFile(String path, List<GenericRecord> rows) {
    try {
      LayerOutputs.writeParquet("", path, "p", SilverTables.TICKETS.schema(), rows, new TreeMap<>());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The snapshot files the run wrote, by name, each file's rows in file order. */
  private Map<String, List<GenericRecord>> snapshotFiles() throws Exception {
    java.nio.file.Path folder = java.nio.file.Path.of(layout().staging(DataLayout.GOLD, RUN),
        layout().relative(layout().table(DataLayout.GOLD, GoldTable.TICKET_SNAPSHOT.table, RUN)));
    Map<String, List<GenericRecord>> files = new TreeMap<>();
    if (!java.nio.file.Files.isDirectory(folder)) {
      return files;
    }
    try (var paths = java.nio.file.Files.list(folder)) {
      for (java.nio.file.Path f : paths.sorted().toList()) {
        List<GenericRecord> rows = new ArrayList<>();
        ParquetFiles.read(f.toString(), rows::add);
        files.put(f.getFileName().toString(), rows);
      }
    }
    return files;
  }

  PCollectionTuple run() {
    PCollectionTuple silver = PCollectionTuple
        .of(AggregateGold.TICKET_FILES, ticketFiles(tickets(), 1))
        .and(AggregateGold.STATUS_EVENTS, asRead("Events", SilverTables.STATUS_EVENTS,
            SilverFixtures.statusEvent("T1", 1, "RECEIVED", "RADICATED", 3600, true),
            SilverFixtures.statusEvent("T2", 1, "RECEIVED", "RADICATED", 7200, true),
            SilverFixtures.statusEvent("T2", 2, "RADICATED", "CLOSED", 36000, false)))
        .and(AggregateGold.PRECLASSIFICATION, asRead("Preclass", SilverTables.PRECLASSIFICATION,
            SilverFixtures.preclass("T1", "P", "P"), SilverFixtures.preclass("T3", "P", "Q"),
            SilverFixtures.preclass("T2", "Q", "Q")));
    return silver.apply(new AggregateGold(layout(), RUN, AS_OF));
  }

  private static GenericRecord row(GoldTable t, Object... values) {
    Object[] all = new Object[values.length + 1];
    all[0] = RUN;
    System.arraycopy(values, 0, all, 1, values.length);
    return Rows.of(t.schema(), all);
  }

  private static LocalDate d(String day) {
    return LocalDate.parse("2025-03-" + day);
  }

  @Test
  public void volumeCountsCreatedTicketsPerDayAndDimension() {
    PAssert.that(run().get(AggregateGold.TAGS.get(GoldTable.KPI_VOLUME_DAILY))).containsInAnyOrder(
        row(GoldTable.KPI_VOLUME_DAILY, d("01"), "call", "Q", "alta", "05", 1L),
        row(GoldTable.KPI_VOLUME_DAILY, d("03"), "email", "P", "alta", "11", 1L),
        row(GoldTable.KPI_VOLUME_DAILY, d("03"), "webform", "Q", "media", "05", 1L),
        row(GoldTable.KPI_VOLUME_DAILY, d("04"), "email", "P", "baja", "11", 1L));
    p.run();
  }

  @Test
  public void backlogIsAZeroFilledStockUpToTheAsOfDay() {
    GoldTable b = GoldTable.KPI_BACKLOG_DAILY;
    List<GenericRecord> expected = new ArrayList<>();
    // P/11: T1 in on 03, out on 05; T3 in on 04.  Q/05: T4 in on 01, T2 in on 03 and out on 06.
    long[] p11 = {0, 0, 1, 2, 1, 1, 1};
    long[] q05 = {1, 1, 2, 2, 2, 1, 1};
    long[][] p11Flow = {{0, 0}, {0, 0}, {1, 0}, {1, 0}, {0, 1}, {0, 0}, {0, 0}};
    long[][] q05Flow = {{1, 0}, {0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 1}, {0, 0}};
    for (int i = 0; i < 7; i++) {
      LocalDate day = d("0" + (i + 1));
      expected.add(row(b, day, "P", "11", p11[i], p11Flow[i][0], p11Flow[i][1]));
      expected.add(row(b, day, "Q", "05", q05[i], q05Flow[i][0], q05Flow[i][1]));
    }
    PAssert.that(run().get(AggregateGold.TAGS.get(b))).containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void slaCountsClosedTicketsPerClosingDay() {
    PAssert.that(run().get(AggregateGold.TAGS.get(GoldTable.KPI_SLA_DAILY))).containsInAnyOrder(
        row(GoldTable.KPI_SLA_DAILY, d("05"), "P", "email", 1L, 1L, 0L, 100.0, null),
        row(GoldTable.KPI_SLA_DAILY, d("06"), "Q", "webform", 1L, 0L, 1L, 0.0, 1.0));
    p.run();
  }

  @Test
  public void responseAndCloseTimesAreBusinessHours() {
    PCollectionTuple out = run();
    PAssert.that(out.get(AggregateGold.TAGS.get(GoldTable.KPI_FIRST_RESPONSE_DAILY))).containsInAnyOrder(
        row(GoldTable.KPI_FIRST_RESPONSE_DAILY, d("04"), "P", "email", 1L, 24.0, 24.0, 24.0),
        row(GoldTable.KPI_FIRST_RESPONSE_DAILY, d("05"), "Q", "webform", 1L, 48.0, 48.0, 48.0));
    PAssert.that(out.get(AggregateGold.TAGS.get(GoldTable.KPI_CLOSE_TIME_DAILY))).containsInAnyOrder(
        row(GoldTable.KPI_CLOSE_TIME_DAILY, d("05"), "P", "email", 1L, 48.0, 48.0, 48.0),
        row(GoldTable.KPI_CLOSE_TIME_DAILY, d("06"), "Q", "webform", 1L, 72.0, 72.0, 72.0));
    p.run();
  }

  @Test
  public void agingBucketsOpenTicketsWithEveryBucketPresent() {
    GoldTable a = GoldTable.KPI_AGING;
    PAssert.that(run().get(AggregateGold.TAGS.get(a))).containsInAnyOrder(
        row(a, "P", "11", "0-3", 1L, 3.0), row(a, "P", "11", "4-7", 0L, null),
        row(a, "P", "11", "8-15", 0L, null), row(a, "P", "11", ">15", 0L, null),
        row(a, "Q", "05", "0-3", 0L, null), row(a, "Q", "05", "4-7", 1L, 5.0),
        row(a, "Q", "05", "8-15", 0L, null), row(a, "Q", "05", ">15", 0L, null));
    p.run();
  }

  @Test
  public void reopenRateTransitionsAndClassifierAgreement() {
    PCollectionTuple out = run();
    GoldTable r = GoldTable.KPI_REOPEN_RATE;
    PAssert.that(out.get(AggregateGold.TAGS.get(r))).containsInAnyOrder(
        row(r, "P", "email", 2L, 1L, 0L, 0L, 0.0),
        row(r, "Q", "call", 1L, 0L, 0L, 0L, null),
        row(r, "Q", "webform", 1L, 1L, 1L, 1L, 1.0));
    GoldTable m = GoldTable.KPI_TRANSITION_MATRIX;
    PAssert.that(out.get(AggregateGold.TAGS.get(m))).containsInAnyOrder(
        row(m, "RADICATED", "CLOSED", 1L, 1L, 10.0),
        row(m, "RECEIVED", "RADICATED", 2L, 0L, 1.5));
    GoldTable c = GoldTable.KPI_CLASSIFIER_AGREEMENT;
    PAssert.that(out.get(AggregateGold.TAGS.get(c))).containsInAnyOrder(
        row(c, "P", "P", 1L, 0.5, true), row(c, "P", "Q", 1L, 0.5, false), row(c, "Q", "Q", 1L, 1.0, true));
    p.run();
  }

  @Test
  public void nationalSeriesHasMovingAveragesAndChanges() {
    GoldTable n = GoldTable.TS_NATIONAL_DAILY;
    long[] created = {1, 0, 2, 1, 0, 0, 0};
    long[] closed = {0, 0, 0, 0, 1, 1, 0};
    long[] backlog = {1, 1, 3, 4, 3, 2, 2};
    List<GenericRecord> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      boolean full = i == 6;
      expected.add(row(n, d("0" + (i + 1)), created[i], closed[i], backlog[i],
          full ? 4 / 7.0 : null, full ? 2 / 7.0 : null,
          i == 0 ? null : created[i] - created[i - 1], null,
          i == 0 ? null : backlog[i] - backlog[i - 1], null));
    }
    PCollectionTuple out = run();
    PAssert.that(out.get(AggregateGold.TAGS.get(n))).containsInAnyOrder(expected);
    PAssert.that(out.get(AggregateGold.TAGS.get(GoldTable.TS_DEPARTMENT_DAILY))).satisfies(rows -> {
      Map<String, Long> lastBacklog = new HashMap<>();
      int count = 0;
      for (GenericRecord r : rows) {
        count++;
        if (Rows.date(r, "day").equals(d("07"))) {
          lastBacklog.put(Rows.string(r, "department_code"), (Long) r.get("backlog"));
        }
      }
      assertEquals("two departments x seven days", 14, count);
      assertEquals(Map.of("05", 1L, "11", 1L), lastBacklog);
      return null;
    });
    p.run();
  }

  @Test
  public void snapshotHasEveryTicketAndFactsReconcile() throws Exception {
    PCollectionTuple out = run();
    PAssert.that(out.get(AggregateGold.SNAPSHOT_FILES)).satisfies(files -> {
      List<String> written = new ArrayList<>();
      files.forEach(f -> written.add(f.relativePath() + " " + f.counts()));
      assertEquals(List.of("gold/ticket_snapshot/run_id=r1/part-00000.parquet {rows.ticket_snapshot=5}"), written);
      return null;
    });
    PCollection<KV<String, Long>> facts = out.get(AggregateGold.FACTS).apply(Sum.longsPerKey());
    PAssert.that(facts).satisfies(all -> {
      Map<String, Long> f = new HashMap<>();
      all.forEach(kv -> f.put(kv.getKey(), kv.getValue()));
      assertEquals(Long.valueOf(4), f.get("volume.tickets"));
      assertEquals(Long.valueOf(2), f.get("backlog.final"));
      assertEquals(f.get("snapshot.open"), f.get("backlog.final"));
      assertEquals(Long.valueOf(2), f.get("sla.closed"));
      assertEquals(f.get("snapshot.closed"), f.get("sla.closed"));
      assertEquals(Long.valueOf(5), f.get("snapshot.rows"));
      return null;
    });
    p.run();

    Map<String, GenericRecord> byId = new HashMap<>();
    snapshotFiles().get("part-00000.parquet").forEach(r -> byId.put(Rows.string(r, "ticket_id"), r));
    assertEquals(5, byId.size());
    GenericRecord t3 = byId.get("T3");
    assertEquals(3, t3.get("age_business_days"));
    assertEquals(true, t3.get("is_open"));
    assertEquals(AS_OF, Rows.instant(t3, "as_of"));
    GenericRecord t5 = byId.get("T5");
    assertEquals(GoldTable.UNKNOWN, Rows.string(t5, "channel"));
    assertNull(t5.get("created_ts"));
    assertNull(byId.get("T1").get("age_business_days"));
  }

  /**
   * The tickets come in several files (read in several bundles on the DirectRunner), so cells are
   * merged per bundle and again across bundles: every KPI table must still equal the KPI computed in
   * plain Java over all tickets at once, and each file's snapshot rows are written, in the file's
   * order, to the snapshot file of its name.
   */
  @Test
  public void tablesDoNotDependOnHowTicketsAreSplit() throws Exception {
    List<GenericRecord> all = tickets();
    PCollectionTuple silver = PCollectionTuple
        .of(AggregateGold.TICKET_FILES, ticketFiles(all, 3))
        .and(AggregateGold.STATUS_EVENTS, p.apply("E",
            Create.empty(AvroCoder.of(co.pqrs.lakehouse.transforms.silver.SilverTables.STATUS_EVENTS.schema()))))
        .and(AggregateGold.PRECLASSIFICATION, p.apply("C",
            Create.empty(AvroCoder.of(co.pqrs.lakehouse.transforms.silver.SilverTables.PRECLASSIFICATION.schema()))));
    PCollectionTuple out = silver.apply(new AggregateGold(layout(), RUN, AS_OF));

    BusinessCalendar cal = BusinessCalendar.colombia();
    Kpi.Context ctx = new Kpi.Context(RUN, AS_OF, AggregateGold.lastDay(AS_OF));
    for (Kpi<GoldTicket> kpi : AggregateGold.ticketKpis()) {
      Map<String, Cell> cells = new TreeMap<>();
      for (GenericRecord r : all) {
        kpi.contribute(GoldTicket.fromSilver(r, cal, AS_OF), (grain, cell) -> cells.merge(grain, cell.copy(),
            (a, b) -> {
              a.merge(b);
              return a;
            }));
      }
      List<GenericRecord> expected = kpi.finish(new TreeMap<>(cells), ctx).rows();
      PAssert.that(kpi.table().table, out.get(AggregateGold.TAGS.get(kpi.table()))).containsInAnyOrder(expected);
    }
    p.run();

    // T1..T5 in three files: T1 T4 in part-00000, T2 T5 in part-00001, T3 in part-00002.
    Map<String, List<GenericRecord>> written = snapshotFiles();
    Map<String, List<String>> ids = new TreeMap<>();
    written.forEach((file, rows) -> ids.put(file, rows.stream().map(r -> Rows.string(r, "ticket_id")).toList()));
    assertEquals(Map.of("part-00000.parquet", List.of("T1", "T4"), "part-00001.parquet", List.of("T2", "T5"),
        "part-00002.parquet", List.of("T3")), ids);
    for (List<GenericRecord> rows : written.values()) {
      for (GenericRecord r : rows) {
        GenericRecord silverRow = all.stream().filter(t -> Rows.string(t, "ticket_id").equals(Rows.string(r, "ticket_id")))
            .findFirst().orElseThrow();
        assertEquals(Snapshot.row(GoldTable.TICKET_SNAPSHOT.schema(), RUN, AS_OF, GoldTicket.fromSilver(silverRow, cal, AS_OF)),
            r);
      }
    }
  }

  /** A Silver file whose tickets are not in ticket order cannot be written as it is read: it fails, naming the file. */
  @Test
  public void aTicketFileOutOfOrderFailsNamingIt() {
    List<GenericRecord> all = tickets();
    String folder = layout().table(DataLayout.SILVER, SilverTables.TICKETS.table, RUN);
    writeSilverFile(folder + "part-00007.parquet", List.of(all.get(1), all.get(0)));
    PCollectionTuple silver = PCollectionTuple
        .of(AggregateGold.TICKET_FILES, GoldRun.ticketFiles(p.begin(), folder + "*.parquet"))
        .and(AggregateGold.STATUS_EVENTS, asRead("Events", SilverTables.STATUS_EVENTS))
        .and(AggregateGold.PRECLASSIFICATION, asRead("Preclass", SilverTables.PRECLASSIFICATION));
    silver.apply(new AggregateGold(layout(), RUN, AS_OF));
    Exception e = assertThrows(Exception.class, () -> p.run());
    String message = String.valueOf(e.getMessage()) + " " + e.getCause();
    assertTrue(message, message.contains("part-00007.parquet, ticket 2: gold ticket_snapshot/part-00007.parquet"));
  }

  @Test
  public void snapshotFilesAreNamedAfterSilversFiles() {
    assertEquals(12, AggregateGold.TicketPassFn.shardOf("part-00012.parquet"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AggregateGold.TicketPassFn.shardOf("tickets.parquet"));
    assertTrue(e.getMessage(), e.getMessage().contains("tickets.parquet is not named part-<n>.parquet"));
  }

  @Test
  public void emptySilverGivesEmptyTablesNotErrors() throws Exception {
    PCollectionTuple silver = PCollectionTuple
        .of(AggregateGold.TICKET_FILES, ticketFiles(List.of(), 0))
        .and(AggregateGold.STATUS_EVENTS, p.apply("E",
            Create.empty(AvroCoder.of(co.pqrs.lakehouse.transforms.silver.SilverTables.STATUS_EVENTS.schema()))))
        .and(AggregateGold.PRECLASSIFICATION, p.apply("C",
            Create.empty(AvroCoder.of(co.pqrs.lakehouse.transforms.silver.SilverTables.PRECLASSIFICATION.schema()))));
    PCollectionTuple out = silver.apply(new AggregateGold(layout(), RUN, AS_OF));
    AggregateGold.TAGS.forEach((t, tag) -> PAssert.that(t.table, out.get(tag)).empty());
    PAssert.that(out.get(AggregateGold.SNAPSHOT_FILES)).empty();
    p.run();
    assertEquals(Map.of(), snapshotFiles());
  }
}
