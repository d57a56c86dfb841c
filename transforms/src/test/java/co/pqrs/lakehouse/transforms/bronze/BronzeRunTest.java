package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.QualityConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.metrics.StepCounters;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.io.SpillingSort;
import co.pqrs.lakehouse.transforms.simulate.RawRuns;
import co.pqrs.lakehouse.transforms.simulate.TestConfigs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bronze over the simulator's defect corpus: every injected defect is quarantined with the right
 * code, accounting holds, re-runs replace, a FAIL check stops the publish, and the Parquet reads back
 * with ParquetIO and with DuckDB as documented.
 */
class BronzeRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Which Bronze error code each Raw defect must get; the others pass Bronze and are Silver's. */
  static final Map<DefectKind, String> BRONZE_CODES = Map.of(
      DefectKind.MALFORMED_JSON, Failure.JSON_MALFORMED,
      DefectKind.UNKNOWN_EVENT_TYPE, Failure.UNKNOWN_EVENT_TYPE,
      DefectKind.WRONG_ENUM, Failure.SCHEMA_VIOLATION,
      DefectKind.BAD_TIMESTAMP, Failure.BAD_TIMESTAMP,
      DefectKind.DUPLICATE_EVENT, Failure.DUPLICATE_EVENT_ID);

  @TempDir static Path dir;
  static Path root;
  static DataLayout layout;
  static Manifest raw;

  @BeforeAll
  static void corpus() throws Exception {
    Map<String, String> m = TestConfigs.withDefects(TestConfigs.oneWindow("2025-05-01", "2025-05-14", 80, 200, 240, 3),
        "0.02");
    LakehouseConfig cfg = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")), m);
    root = dir.resolve("lake");
    layout = DataLayout.at(root.toString());
    raw = RawRuns.simulate(cfg, root, "corpus", 2);
  }

  /** The last Bronze pipeline's result, for its metrics. */
  static PipelineResult last;

  /** A counter of the last Bronze pipeline: 0 when no step counted it. */
  static long counter(String name) {
    long n = 0;
    for (MetricResult<Long> c : last.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(StepCounters.NAMESPACE, name)).build()).getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }

  static Manifest bronze(String runId, List<QualityConfig.Check> checks) throws Exception {
    return bronze(runId, checks, WriteBronze.ROWS_PER_FILE);
  }

  static Manifest bronze(String runId, List<QualityConfig.Check> checks, long rowsPerFile) throws Exception {
    return bronze(runId, checks, rowsPerFile, 0, SpillingSort.HELD_FROM_HEAP);
  }

  /**
   * @param groups the de-duplication's groups; 0 for as many as the Raw lines call for
   * @param sortHeld bytes of a de-duplication group held before it is sorted on disk
   */
  static Manifest bronze(String runId, List<QualityConfig.Check> checks, long rowsPerFile, int groups,
      long sortHeld) throws Exception {
    return bronze(runId, checks, rowsPerFile, groups, sortHeld, null);
  }

  /** @param linesPerRawDay what Bronze is told of the Raw lines per day; null: counted from the files */
  static Manifest bronze(String runId, List<QualityConfig.Check> checks, long rowsPerFile, int groups,
      long sortHeld, Map<String, Long> linesPerRawDay) throws Exception {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(2);
    Pipeline p = Pipeline.create(o);
    BronzeRun run = new BronzeRun(layout, runId, List.of(layout.rawRun(runId) + "day=*/*.jsonl"), checks, null,
        Map.of("test", "bronze")).withRowsPerFile(rowsPerFile).withGroups(groups).withSortHeldBytes(sortHeld);
    p.apply(linesPerRawDay == null ? run : run.withLinesPerRawDay(linesPerRawDay));
    last = p.run();
    last.waitUntilFinish();
    return RunPublisher.readManifest(layout.manifest(DataLayout.BRONZE, runId));
  }

  static List<JsonNode> quarantine(String runId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : tree(Path.of(layout.quarantine(DataLayout.BRONZE, runId)))) {
      for (String l : Files.readAllLines(f)) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  static List<Path> tree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyInjectedDefectIsQuarantinedWithItsCodeAndAccountingHolds() throws Exception {
    Manifest m = bronze("corpus", QualityConfig.packaged().forLayer("bronze"));
    Map<String, Long> c = m.counts();
    assertThat(c.get("raw_lines"), is(raw.counts().get("lines")));
    assertThat(c.get("raw_lines"), is(c.get("rows") + c.get("quarantined") + c.get("blank_lines")));

    // Each Raw line the simulator damaged is found in quarantine with the code its defect calls for.
    Map<String, Long> expected = new TreeMap<>();
    BRONZE_CODES.forEach((kind, code) ->
        expected.merge(code, raw.counts().getOrDefault("injected." + kind.key(), 0L), Long::sum));
    Map<String, Long> got = new TreeMap<>();
    for (JsonNode q : quarantine("corpus")) {
      got.merge(q.get("error_code").asText(), 1L, Long::sum);
      assertThat(q.get("run_id").asText(), equalTo("corpus"));
      assertThat(q.get("source_line").asLong(), greaterThan(0L));
      if (q.get("error_code").asText().equals(Failure.SCHEMA_VIOLATION)) {
        assertThat(q.get("message").asText(), equalTo("/data/priority: \"urgente\" not in [alta, media, baja]"));
      }
    }
    assertThat(got, equalTo(expected));
    expected.values().forEach(v -> assertThat(v, greaterThan(0L)));
    assertThat(m.status(), equalTo(Manifest.DEGRADED)); // rows were quarantined
    assertThat(m.checks().stream().filter(r -> r.check().equals("bronze.accounting_reconciles"))
        .findFirst().orElseThrow().status(), equalTo(CheckResult.PASS));
  }

  @Test
  void dataHashIsRecomputedFromThePublishedRowsAsDocumented() throws Exception {
    Manifest m = bronze("corpus", QualityConfig.packaged().forLayer("bronze"));
    // DATA-LAYOUT.md: a Parquet row hashes as its Avro binary encoding, a quarantine row as its JSONL line.
    DataHash.Builder h = DataHash.builder();
    for (Manifest.FileEntry f : m.files()) {
      String path = layout.resolve(f.path());
      if (f.path().endsWith(".parquet")) {
        ParquetFiles.read(path, r -> {
          try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(b, null);
            new GenericDatumWriter<GenericRecord>(r.getSchema()).write(r, enc);
            h.add(b.toByteArray());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } else {
        for (String line : Files.readAllLines(Path.of(path))) {
          h.add(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(h.build().hex(), equalTo(m.dataHash()));
  }

  @Test
  void reRunReplacesOutputsAndLeavesNothingBehind() throws Exception {
    RawRuns.simulate(TestConfigs.with(Files.createDirectories(dir.resolve("cfg2")),
        TestConfigs.small("2025-06-01", "2025-06-12", 40, 100, 120)), root, "rerun", 1);
    Manifest first = bronze("rerun", QualityConfig.packaged().forLayer("bronze"));
    List<Path> files = tree(Path.of(layout.table(DataLayout.BRONZE, "events", "rerun")));
    // A stray file in the published folder, as an earlier, different attempt would leave.
    Path stray = Path.of(layout.table(DataLayout.BRONZE, "events", "rerun")).resolve("day=1999-01-01/part-00000.parquet");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "stale");

    Manifest second = bronze("rerun", QualityConfig.packaged().forLayer("bronze"));
    assertThat(second.dataHash(), equalTo(first.dataHash()));
    assertThat(new String(second.toJson()), equalTo(new String(first.toJson())));
    assertThat(tree(Path.of(layout.table(DataLayout.BRONZE, "events", "rerun"))), equalTo(files));
    assertThat(Files.exists(Path.of(layout.staging(DataLayout.BRONZE, "rerun"))), is(false));
  }

  /**
   * A day with more Raw lines than a file is sized for is written in several files, split by
   * event_id, each sorted; the rows, counts and data hash are those of one file per day.
   */
  @Test
  void aBigDayIsWrittenInSeveralSortedFilesWithTheSameRowsAndHash() throws Exception {
    Map<String, String> m = TestConfigs.oneWindow("2025-07-01", "2025-07-05", 20, 40, 60, 3);
    RawRuns.simulate(TestConfigs.with(Files.createDirectories(dir.resolve("cfg5")), m), root, "shards", 1);
    Path events = Path.of(layout.table(DataLayout.BRONZE, "events", "shards"));
    Manifest whole = bronze("shards", QualityConfig.packaged().forLayer("bronze"));
    List<Path> oneEach = tree(events);
    Map<String, Long> wholePerDay = new TreeMap<>();
    for (Path f : oneEach) {
      wholePerDay.merge(f.getParent().getFileName().toString(), ParquetFiles.read(f.toString(), r -> { }), Long::sum);
    }
    Manifest split = bronze("shards", QualityConfig.packaged().forLayer("bronze"), 30);
    List<Path> files = tree(events);

    assertThat(split.dataHash(), equalTo(whole.dataHash()));
    assertThat(split.counts().get("rows"), equalTo(whole.counts().get("rows")));
    assertThat(split.partitionCounts(), equalTo(whole.partitionCounts()));
    assertThat(files.size(), greaterThan(oneEach.size()));
    Map<String, Long> rowsPerDay = new TreeMap<>();
    for (Path f : files) {
      // Raw's lines per day / 30, rounded up: a day's files are numbered from part-00000 with no gap.
      String day = f.getParent().getFileName().toString();
      long lines;
      try (Stream<String> l = Files.lines(Path.of(layout.rawRun("shards")).resolve(day).resolve("part-00000.jsonl"))) {
        lines = l.count();
      }
      long shards = (lines + 29) / 30;
      int part = Integer.parseInt(f.getFileName().toString().substring(5, 10));
      assertThat(f + " within " + shards + " shards", part < shards, is(true));
      List<GenericRecord> rows = new ArrayList<>();
      ParquetFiles.read(f.toString(), rows::add);
      for (int i = 1; i < rows.size(); i++) {
        long a = (Long) rows.get(i - 1).get("event_ts");
        long b = (Long) rows.get(i).get("event_ts");
        assertThat(f + " sorted by ts", a <= b, is(true));
      }
      rowsPerDay.merge(day, (long) rows.size(), Long::sum);
    }
    assertThat(rowsPerDay, equalTo(wholePerDay));
  }

  /**
   * The Raw manifest's lines per day, which the CLI hands Bronze, are the lines the files hold, and
   * size the same files and quarantine as the lines counted from the files; told of more lines a day,
   * Bronze writes more files a day with the same rows: they are what sizes the files.
   */
  @Test
  void theRawManifestsLinesPerDaySizeTheFilesAsCountingThemDoes() throws Exception {
    Map<String, Long> fromManifest = BronzeRun.linesPerRawDay(raw);
    assertThat(fromManifest, equalTo(ReadRawLines.countPerRawDay(List.of(layout.rawRun("corpus") + "day=*/*.jsonl"))));
    assertThat(fromManifest.size(), greaterThan(1));
    List<QualityConfig.Check> checks = QualityConfig.packaged().forLayer("bronze");
    String counted = new String(bronze("corpus", checks, 120).toJson());
    Manifest told = bronze("corpus", checks, 120, 0, SpillingSort.HELD_FROM_HEAP, fromManifest);
    assertThat(new String(told.toJson()), equalTo(counted));

    Map<String, Long> tenfold = new TreeMap<>();
    fromManifest.forEach((day, lines) -> tenfold.put(day, 10 * lines));
    Manifest more = bronze("corpus", checks, 120, TypeBronze.groupsFor(raw.counts().get("lines")),
        SpillingSort.HELD_FROM_HEAP, tenfold);
    assertThat(more.files().size(), greaterThan(told.files().size()));
    assertThat(more.dataHash(), equalTo(told.dataHash()));
    assertThat(more.counts(), equalTo(told.counts()));
  }

  /**
   * The quarantine is written per Raw day partition, and a partition whose lines call for several
   * files is split like the events: each file holds lines of its own day in Raw order, no more files
   * than the day's lines call for, and together the same records and data hash as one file per day.
   */
  @Test
  void theQuarantineIsWrittenPerRawDayInShardsInRawOrder() throws Exception {
    Path q = Path.of(layout.quarantine(DataLayout.BRONZE, "corpus"));
    Manifest whole = bronze("corpus", QualityConfig.packaged().forLayer("bronze"));
    List<Path> oneEach = tree(q);
    Set<String> wholeLines = new TreeSet<>();
    for (Path f : oneEach) {
      assertThat(f.getFileName().toString(), equalTo("part-00000.jsonl"));
      wholeLines.addAll(Files.readAllLines(f));
    }
    Manifest split = bronze("corpus", QualityConfig.packaged().forLayer("bronze"), 30);
    List<Path> files = tree(q);

    assertThat(files.size(), greaterThan(oneEach.size()));
    assertThat(split.dataHash(), equalTo(whole.dataHash()));
    assertThat(split.counts(), equalTo(whole.counts()));
    Set<String> splitLines = new TreeSet<>();
    for (Path f : files) {
      String day = f.getParent().getFileName().toString();
      Path rawFile = Path.of(layout.rawRun("corpus")).resolve(day).resolve("part-00000.jsonl");
      long shards;
      try (Stream<String> l = Files.lines(rawFile)) {
        shards = (l.count() + 29) / 30;
      }
      int part = Integer.parseInt(f.getFileName().toString().substring(5, 10));
      assertThat(f + " within " + shards + " shards", part < shards, is(true));
      long previous = 0;
      for (String line : Files.readAllLines(f)) {
        JsonNode n = JSON.readTree(line);
        assertThat(n.get("source_file").asText(), equalTo(layout.relative(rawFile.toString())));
        assertThat(f + " in Raw order", n.get("source_line").asLong(), greaterThan(previous));
        previous = n.get("source_line").asLong();
        splitLines.add(line);
      }
    }
    assertThat(splitLines, equalTo(wholeLines));
  }

  /**
   * The first occurrence of an event_id in Raw order survives wherever the others fall: on another
   * day (a different timestamp), or alone in a day that then has no row and no file.
   */
  @Test
  void duplicatesOnOtherDaysAreQuarantinedAndTheFirstOccurrenceIsKept() throws Exception {
    writeDuplicatesOnOtherDays("dups");
    assertDuplicatesOnOtherDays("dups", bronze("dups", List.of()));
  }

  private static final String X = ParseRawTest.E + "01";
  private static final String Y = ParseRawTest.E + "02";

  private static final String MSG = "{\"author_role\":\"AGENT\",\"text\":\"first\"}";
  private static final String FIRST = ParseRawTest.event(X, "MESSAGE_ADDED", "2025-08-01T09:00:00-05:00", MSG);
  private static final String AGAIN = ParseRawTest.event(X, "MESSAGE_ADDED", "2025-08-02T09:00:00-05:00", MSG);

  /** Event X on 08-01, seen again on 08-02 with another timestamp, then identical (and a CRLF); Y once. */
  static void writeDuplicatesOnOtherDays(String runId) throws Exception {
    Path raw = Path.of(layout.rawRun(runId));
    Files.createDirectories(raw.resolve("day=2025-08-01"));
    Files.createDirectories(raw.resolve("day=2025-08-02"));
    Files.writeString(raw.resolve("day=2025-08-01/part-00000.jsonl"),
        FIRST + "\n" + ParseRawTest.event(Y, "MESSAGE_ADDED", "2025-08-01T10:00:00-05:00", MSG) + "\n");
    Files.writeString(raw.resolve("day=2025-08-02/part-00000.jsonl"), AGAIN + "\n" + FIRST + "\r\n");
  }

  static void assertDuplicatesOnOtherDays(String runId, Manifest m) throws Exception {
    String x = X;
    String y = Y;
    Path raw = Path.of(layout.rawRun(runId));
    assertThat(m.counts().get("rows"), is(2L));
    assertThat(m.counts().get("quarantined." + Failure.DUPLICATE_EVENT_ID), is(2L));
    assertThat(m.partitionCounts(), equalTo(Map.of("day=2025-08-01", 2L, "quarantine", 2L))); // no file for 08-02
    Map<Long, String> messages = new TreeMap<>();
    Map<Long, String> payloads = new TreeMap<>();
    for (JsonNode q : quarantine(runId)) {
      payloads.put(q.get("source_line").asLong(), q.get("payload").asText());
      assertThat(q.get("source_file").asText(), containsString("day=2025-08-02"));
      assertThat(q.get("message").asText(), containsString("already kept from "
          + layout.relative(raw.resolve("day=2025-08-01/part-00000.jsonl").toString()) + ":1"));
      messages.put(q.get("source_line").asLong(), q.get("message").asText());
    }
    assertThat(messages.get(1L), containsString("content differs"));
    assertThat(messages.get(2L), containsString("identical to the kept line"));
    // Each payload is its line, read back from Raw (RawPayloads): without the CR, which is not content.
    assertThat(payloads, equalTo(Map.of(1L, AGAIN, 2L, FIRST)));
    List<GenericRecord> rows = new ArrayList<>();
    for (Path f : tree(Path.of(layout.table(DataLayout.BRONZE, "events", runId)))) {
      ParquetFiles.read(f.toString(), rows::add);
    }
    Map<String, Integer> dropped = new TreeMap<>();
    rows.forEach(r -> dropped.put(r.get("event_id").toString(), (Integer) r.get("duplicates_dropped")));
    assertThat(dropped, equalTo(Map.of(x, 2, y, 0)));
  }

  /**
   * The de-duplication's groups grow with the Raw run's lines, so that a group's events held in
   * memory do not; the verdicts, and so the bytes, do not depend on how many there are, nor on how
   * many files a day is written in.
   */
  @Test
  void aLargerRunIsDeDuplicatedInMoreGroupsToTheSameBytes() throws Exception {
    assertThat(TypeBronze.groupsFor(0), is(TypeBronze.MIN_GROUPS));
    assertThat(TypeBronze.groupsFor(16 * TypeBronze.EVENTS_PER_GROUP), is(16));
    assertThat(TypeBronze.groupsFor(16 * TypeBronze.EVENTS_PER_GROUP + 1), is(17));
    assertThat(TypeBronze.groupsFor(Long.MAX_VALUE), is(TypeBronze.MAX_GROUPS));
    List<QualityConfig.Check> checks = QualityConfig.packaged().forLayer("bronze");
    List<Integer> files = new ArrayList<>();
    for (long rowsPerFile : new long[] {WriteBronze.ROWS_PER_FILE, 120}) {
      String few = new String(bronze("corpus", checks, rowsPerFile, TypeBronze.MIN_GROUPS, SpillingSort.HELD_FROM_HEAP).toJson());
      Manifest many = bronze("corpus", checks, rowsPerFile, 40, SpillingSort.HELD_FROM_HEAP);
      assertThat(many.counts().get("quarantined." + Failure.DUPLICATE_EVENT_ID), greaterThan(0L));
      assertThat("rows per file " + rowsPerFile, new String(many.toJson()), equalTo(few));
      files.add(many.files().size());
    }
    assertThat("days in several files", files.get(1), greaterThan(files.get(0)));
  }

  /**
   * One event_id in very many lines (a producer that resent one event 3,000 times) lands in one
   * de-duplication group; groups larger than a worker holds are sorted on local disk, to the same
   * manifest.
   */
  @Test
  void oneEventIdInManyLinesIsSortedOnDiskToTheSameBytes() throws Exception {
    Path from = Path.of(layout.rawRun("corpus"));
    Path to = Path.of(layout.rawRun("resent"));
    List<Path> days = tree(from);
    for (Path f : days) {
      Files.createDirectories(to.resolve(from.relativize(f)).getParent());
      Files.copy(f, to.resolve(from.relativize(f)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path day = to.resolve(from.relativize(days.get(0))).getParent();
    String line;
    try (Stream<String> l = Files.lines(days.get(0))) {
      line = l.filter(x -> x.contains("\"event_type\":\"TICKET_CREATED\"")).findFirst().orElseThrow();
    }
    Files.writeString(day.resolve("part-00001.jsonl"), (line + "\n").repeat(3_000));

    String held = new String(bronze("resent", List.of(), WriteBronze.ROWS_PER_FILE, 0,
        SpillingSort.HELD_FROM_HEAP).toJson());
    assertThat(counter("records_spilled"), is(0L));
    Manifest onDisk = bronze("resent", List.of(), WriteBronze.ROWS_PER_FILE, 0, 16 << 10);
    assertThat(counter("records_spilled"), greaterThan(3_000L));
    assertThat(onDisk.counts().get("quarantined." + Failure.DUPLICATE_EVENT_ID), greaterThanOrEqualTo(3_000L));
    assertThat(new String(onDisk.toJson()), equalTo(held));
  }

  /** Every year the contract allows lands in its own day: the day writers' grouping key must not overflow. */
  @Test
  void eventsOfTheContractsLastYearsLandInTheirDay() throws Exception {
    String msg = "{\"author_role\":\"AGENT\",\"text\":\"t\"}";
    Path raw = Path.of(layout.rawRun("far"));
    Files.createDirectories(raw.resolve("day=9999-12-31"));
    Files.writeString(raw.resolve("day=9999-12-31/part-00000.jsonl"),
        ParseRawTest.event(ParseRawTest.E + "03", "MESSAGE_ADDED", "9999-12-31T09:00:00-05:00", msg) + "\n"
            + ParseRawTest.event(ParseRawTest.E + "04", "MESSAGE_ADDED", "0001-01-01T09:00:00-05:00", msg) + "\n");
    Manifest m = bronze("far", List.of());
    assertThat(m.partitionCounts(), equalTo(Map.of("day=9999-12-31", 1L, "day=0001-01-01", 1L)));
  }

  @Test
  void aFailingCheckStopsThePublishAndRecordsTheAttempt() throws Exception {
    RawRuns.simulate(TestConfigs.with(Files.createDirectories(dir.resolve("cfg3")),
        TestConfigs.small("2025-06-01", "2025-06-12", 40, 100, 120)), root, "strict", 1);
    // One malformed line in this run, and a check that allows no quarantine at all.
    Path day = Path.of(layout.rawRun("strict")).resolve("day=2025-06-01/part-00000.jsonl");
    Files.writeString(day, Files.readString(day) + "{not json\n");
    List<QualityConfig.Check> strict = new ArrayList<>(QualityConfig.packaged().forLayer("bronze"));
    strict.add(new QualityConfig.Check("bronze.no_quarantine", "bronze", QualityConfig.Kind.QUARANTINE_RATIO,
        QualityConfig.Severity.FAIL, 0.0, null));
    Pipeline.PipelineExecutionException e = assertThrows(Pipeline.PipelineExecutionException.class,
        () -> bronze("strict", strict));
    assertThat(e.getCause().getMessage(), containsString("bronze run strict FAILED its checks, nothing published"));
    assertThat(e.getCause().getMessage(), containsString("bronze.no_quarantine"));
    assertThat(tree(Path.of(layout.table(DataLayout.BRONZE, "events", "strict"))), equalTo(List.of()));
    assertThat(Files.exists(Path.of(layout.manifest(DataLayout.BRONZE, "strict"))), is(false));
    Manifest failed = Manifest.fromJson(Files.readAllBytes(
        Path.of(layout.manifest(DataLayout.BRONZE, "strict")).resolveSibling("failed-manifest.json")));
    assertThat(failed.status(), equalTo(Manifest.FAILED));
    assertThat(Files.exists(Path.of(layout.staging(DataLayout.BRONZE, "strict"))), is(false));
  }

  @Test
  void parquetReadsBackWithParquetIoAndDuckDbAsDocumented() throws Exception {
    Manifest m = RunPublisher.readManifest(layout.manifest(DataLayout.BRONZE, "corpus"));
    if (m == null) {
      m = bronze("corpus", QualityConfig.packaged().forLayer("bronze"));
    }
    long rows = m.counts().get("rows");
    String glob = layout.table(DataLayout.BRONZE, "events", "corpus") + "day=*/*.parquet";
    Schema schema = BronzeSchema.schema();

    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(o);
    PCollection<GenericRecord> back = p.apply(ParquetIO.read(schema).from(glob)).setCoder(AvroCoder.of(schema));
    PAssert.thatSingleton(back.apply(Count.globally())).isEqualTo(rows);
    p.run().waitUntilFinish();

    List<String> documented = new ArrayList<>();
    schema.getFields().forEach(f -> documented.add(f.name()));
    try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = conn.createStatement()) {
      List<String> cols = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + glob + "', hive_partitioning = false)")) {
        while (rs.next()) {
          cols.add(rs.getString("column_name"));
          if (rs.getString("column_name").equals("event_ts")) {
            assertThat(rs.getString("column_type"), containsString("TIMESTAMP"));
          }
          if (rs.getString("column_name").equals("event_day")) {
            assertThat(rs.getString("column_type"), equalTo("DATE"));
          }
        }
      }
      assertThat(cols, equalTo(documented));
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT event_id), "
          + "sum(CASE WHEN event_type = 'TICKET_CREATED' THEN 1 ELSE 0 END) FROM read_parquet('" + glob + "', hive_partitioning = false)")) {
        rs.next();
        assertThat(rs.getLong(1), is(rows));
        assertThat(rs.getLong(2), is(rows)); // one row per event_id
        assertThat(rs.getLong(3), is(m.counts().get("events.TICKET_CREATED")));
      }
      // The day partition is the Bogota day of event_ts.
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "', hive_partitioning = false) "
          + "WHERE event_day <> DATE '1970-01-01' + CAST(floor((epoch_us(event_ts) - 18000000000) "
          + "/ 86400000000) AS INTEGER)")) {
        rs.next();
        assertThat(rs.getLong(1), is(0L));
      }
    }
    // BRONZE.md documents every column of the contract schema.
    String doc = new String(BronzeRunTest.class.getClassLoader()
        .getResourceAsStream("pqrs/contracts/v1/BRONZE.md").readAllBytes());
    for (String col : documented) {
      assertThat(doc, containsString("`" + col + "`"));
    }
  }
}
