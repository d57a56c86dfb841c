import co.pqrs.lakehouse.config.Text;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.transforms.io.AvroRecordCoder;
import co.pqrs.lakehouse.transforms.io.ConfigurationWithoutDefaults;
import co.pqrs.lakehouse.transforms.io.FlatParquetReader;
import co.pqrs.lakehouse.transforms.io.FlatParquetWriter;
import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.ParquetWriters;
import co.pqrs.lakehouse.transforms.io.WriteSortedTableFn;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.bronze.ParseRaw;
import co.pqrs.lakehouse.transforms.bronze.WriteBronze;
import co.pqrs.lakehouse.transforms.gold.AggregateGold;
import co.pqrs.lakehouse.transforms.silver.CurateSilver;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Per-row costs of twelve steps, timed apart in one JVM, the way the code did them before (written out
 * here) against the project's code as it is (called through its public API), alternating, over the
 * rows of a run's Bronze and Silver. A run's layer CPU moves by ±20 % between runs on the bench machine; these
 * steps are a few per cent of a layer, which only timing them apart resolves.
 *
 *   java -Xmx8g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/RowCosts.java LAKE RUN_ID [ROUNDS [STEP]] > out.csv
 *
 * With STEP, only the steps whose names start with it are timed.
 *
 * Steps: the pre-classifier's tokens of every message text (four regular expressions, against one
 * pass); writing Silver's tickets and messages as Parquet with their data hash (rows holding String
 * texts given to the Parquet writer and Avro's generic writer, against LayerOutputs.writeParquet);
 * the framed row coder of Gold's rows, encoding and decoding Silver's tickets (Avro's generic writer
 * and reader inside the frame, against AvroRecordCoder); sorting Silver's messages as the replay
 * hands them over (in ticket order) before they are written (Avro's GenericData.compare, against
 * WriteSortedTableFn.sort); grouping a Silver bucket's Bronze events by ticket (a TreeMap, against
 * a HashMap and the ticket ids sorted once; both written out here, over Bronze's ticket_id column
 * in Bronze's order, in Silver's buckets); writing Bronze's and three Silver tables' files with a
 * dictionary for every column, against the columns their contracts mark "parquet_dictionary": false
 * without one (both through LayerOutputs.writeParquet, file by file as the layers wrote them; the
 * files' sizes go to stderr); putting those files' rows into Parquet in memory through Avro's write
 * support (AvroParquetWriter, as the writer was built before) against ParquetWriters (values handed
 * to the column writers directly; the bytes are checked to be the same); reading Gold's three Silver inputs from the files' bytes in memory,
 * every column against the columns Gold reads (AggregateGold.input, with the Avro read schema
 * ParquetConfig sets; FlatParquetReader is checked to read the same values of them); Silver's
 * coding of Bronze's rows (BronzeSchema.CodedReader) from Avro's records against the flat reader's
 * one reused record (the coded bytes are checked to be the same); Silver's read of Bronze's files through the events' coder, every column
 * against the columns it curates (CurateSilver.BRONZE_COLUMNS; the bytes encoded go to stderr);
 * Bronze's day writer making its rows (every column put by name, against BronzeSchema.rows) and
 * counting its events by type (a name made for every event, against WriteBronze.counts; since the
 * thirty-sixth change WriteBronze.DayCounts, from the events' coded fields).
 * Prints CSV: step,variant,round,ns_per_row.
 * The first two rounds are warm-up; report the median of the rest.
 */
public class RowCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: RowCosts.java LAKE RUN_ID [ROUNDS [STEP]]");
      System.exit(2);
    }
    String silver = args[0] + "/silver/";
    String run = "/run_id=" + args[1] + "/";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    only = args.length > 3 ? args[3] : "";
    List<GenericRecord> tickets = rows(silver + "tickets" + run);
    List<GenericRecord> messages = rows(silver + "messages" + run);
    List<String> texts = messages.stream().map(r -> r.get("text").toString()).toList();
    List<GenericRecord> replayOrder = new ArrayList<>(messages);
    replayOrder.sort(Comparator.comparing((GenericRecord r) -> r.get("ticket_id").toString())
        .thenComparing(r -> (Long) r.get("message_ts")));
    Schema messageSchema = messages.get(0).getSchema();
    List<List<String>> buckets = ticketBuckets(args[0] + "/bronze/events" + run);
    Path tmp = Files.createTempDirectory("rowcosts");
    System.err.printf("%d tickets, %d messages%n", tickets.size(), messages.size());

    // Each variant's result is checked against the other's before anything is timed.
    for (String t : texts.subList(0, Math.min(texts.size(), 20_000))) {
      if (!Arrays.equals(regexTokens(t), Text.tokens(t))) {
        throw new IllegalStateException("tokens differ for: " + t);
      }
    }
    List<GenericRecord> sortedBefore = sortBefore(messageSchema, replayOrder);
    List<GenericRecord> sortedAfter = new ArrayList<>(replayOrder);
    WriteSortedTableFn.sort(messageSchema, sortedAfter);
    for (int i = 0; i < sortedBefore.size(); i++) {
      if (sortedBefore.get(i) != sortedAfter.get(i)) {
        throw new IllegalStateException("the sorts differ at row " + i);
      }
    }
    for (List<String> bucket : buckets) {
      if (!Arrays.asList(groupBefore(bucket)).equals(Arrays.asList(groupAfter(bucket)))) {
        throw new IllegalStateException("the groupings differ");
      }
    }
    int bronzeRows = buckets.stream().mapToInt(List::size).sum();
    // Rows per file as the layers wrote them: when Parquet gives a dictionary up depends on a file's rows.
    Map<String, List<List<GenericRecord>>> tableFiles = new java.util.LinkedHashMap<>();
    tableFiles.put("bronze events", files(args[0] + "/bronze/events" + run, BronzeSchema.schema()));
    tableFiles.put("silver tickets", files(silver + "tickets" + run, SilverTables.TICKETS.schema()));
    tableFiles.put("silver messages", files(silver + "messages" + run, SilverTables.MESSAGES.schema()));
    tableFiles.put("silver status_events", files(silver + "status_events" + run, SilverTables.STATUS_EVENTS.schema()));
    for (Map.Entry<String, List<List<GenericRecord>>> t : tableFiles.entrySet()) {
      Schema contract = t.getValue().get(0).get(0).getSchema();
      System.err.printf("%s: %d files, %d bytes with a dictionary for every column, %d as the contract says%n",
          t.getKey(), t.getValue().size(), writeFiles(tmp, withoutProps(contract), t.getValue()),
          writeFiles(tmp, contract, t.getValue()));
    }
    for (Map.Entry<String, List<List<GenericRecord>>> t : tableFiles.entrySet()) {
      Schema contract = t.getValue().get(0).get(0).getSchema();
      List<byte[]> before = parquetInMemory(contract, t.getValue(), true);
      List<byte[]> after = parquetInMemory(contract, t.getValue(), false);
      for (int i = 0; i < before.size(); i++) {
        if (!Arrays.equals(before.get(i), after.get(i))) {
          throw new IllegalStateException("the write supports' Parquet bytes differ for " + t.getKey() + ", file " + i);
        }
      }
    }
    // Gold's three inputs, each file's bytes in memory.
    Map<SilverTables, List<byte[]>> goldInputs = new java.util.LinkedHashMap<>();
    Map<SilverTables, Integer> goldRows = new HashMap<>();
    for (SilverTables t : List.of(SilverTables.TICKETS, SilverTables.STATUS_EVENTS, SilverTables.PRECLASSIFICATION)) {
      goldInputs.put(t, bytes(silver + t.table + run));
      goldRows.put(t, (int) read(goldInputs.get(t), null));
      Schema columns = AggregateGold.input(t);
      if (!values(goldInputs.get(t), columns, false).equals(values(goldInputs.get(t), columns, true))) {
        throw new IllegalStateException("the reads of " + t.table + " differ");
      }
    }
    // Silver's read of Bronze, every column or those it curates, and its events through the coder of
    // the grouping by ticket, which is where they go next.
    List<byte[]> bronzeFiles = bytes(args[0] + "/bronze/events" + run);
    Schema bronzeColumns = ParquetConfig.projection(BronzeSchema.schema(), CurateSilver.BRONZE_COLUMNS);
    if (coded(bronzeFiles, bronzeColumns, false) != coded(bronzeFiles, bronzeColumns, true)) {
      throw new IllegalStateException("Silver's coding of Bronze differs between the two readers");
    }
    for (SilverTables t : goldInputs.keySet()) {
      Schema columns = AggregateGold.input(t);
      if (!flatValues(goldInputs.get(t), columns).equals(values(goldInputs.get(t), columns, true))) {
        throw new IllegalStateException("the flat reader reads other values of " + t.table);
      }
    }
    if (!values(bronzeFiles, bronzeColumns, false).equals(values(bronzeFiles, bronzeColumns, true))) {
      throw new IllegalStateException("the reads of Bronze differ");
    }
    System.err.printf("bronze events through Silver's grouping coder: %d bytes read whole, %d with Silver's columns%n",
        shuffled(bronzeFiles, null), shuffled(bronzeFiles, bronzeColumns));
    // Bronze's day writer: its rows made from its events (put by name, as before, against
    // BronzeSchema.rows) and its counts by event type (a name made for every event, against WriteBronze.counts).
    List<BronzeEvent> bronzeEvents = tableFiles.get("bronze events").stream().flatMap(List::stream)
        .map(BronzeSchema::fromRecord).toList();
    Schema bronzeSchema = BronzeSchema.schema();
    java.util.function.Function<BronzeEvent, GenericRecord> toRow = BronzeSchema.rows(bronzeSchema, args[1]);
    for (BronzeEvent e : bronzeEvents.subList(0, Math.min(bronzeEvents.size(), 20_000))) {
      if (!bronzeRowByName(bronzeSchema, args[1], e).equals(toRow.apply(e))) {
        throw new IllegalStateException("the Bronze rows differ for " + e.eventId());
      }
    }
    List<byte[]> bronzeFields = bronzeEvents.stream().map(e -> ParseRaw.Parsed.of(e).eventFields()).toList();
    if (!countsBefore(bronzeEvents).equals(countsNow(bronzeFields))) {
      throw new IllegalStateException("the Bronze counts differ");
    }
    AvroRecordCoder coder = AvroRecordCoder.of(tickets.get(0).getSchema());
    if (!Arrays.equals(framedAvro(tickets), framed(coder, tickets))) {
      throw new IllegalStateException("the coders' bytes differ");
    }

    System.out.println("step,variant,round,ns_per_row");
    for (int round = 1; round <= rounds; round++) {
      time("tokens", "regex", round, texts, t -> regexTokens(t).length);
      time("tokens", "one-pass", round, texts, t -> Text.tokens(t).length);
      for (List<GenericRecord> table : List.of(tickets, messages)) {
        String step = "parquet+hash " + table.get(0).getSchema().getName();
        timeAll(step, "strings+avro", round, table.size(), () -> writeBefore(tmp, table));
        timeAll(step, "writeParquet", round, table.size(),
            () -> LayerOutputs.writeParquet(tmp + "/", "after.parquet", "p", table.get(0).getSchema(), table,
                new TreeMap<>()).rows());
      }
      for (Map.Entry<String, List<List<GenericRecord>>> t : tableFiles.entrySet()) {
        String step = "parquet write support " + t.getKey();
        Schema contract = t.getValue().get(0).get(0).getSchema();
        int n = t.getValue().stream().mapToInt(List::size).sum();
        timeAll(step, "AvroWriteSupport", round, n, () -> parquetInMemory(contract, t.getValue(), true).size());
        timeAll(step, "ParquetWriters", round, n, () -> parquetInMemory(contract, t.getValue(), false).size());
      }
      for (Map.Entry<String, List<List<GenericRecord>>> t : tableFiles.entrySet()) {
        String step = "parquet dictionary " + t.getKey();
        Schema contract = t.getValue().get(0).get(0).getSchema();
        int n = t.getValue().stream().mapToInt(List::size).sum();
        timeAll(step, "every column", round, n, () -> writeFiles(tmp, withoutProps(contract), t.getValue()));
        timeAll(step, "contract", round, n, () -> writeFiles(tmp, contract, t.getValue()));
      }
      byte[] before = framedAvro(tickets);
      byte[] after = framed(coder, tickets);
      timeAll("row coder encode", "avro", round, tickets.size(), () -> framedAvro(tickets).length);
      timeAll("row coder encode", "AvroRecordCoder", round, tickets.size(), () -> framed(coder, tickets).length);
      timeAll("row coder decode", "avro", round, tickets.size(), () -> unframeAvro(before, tickets.size(),
          tickets.get(0).getSchema()));
      timeAll("row coder decode", "AvroRecordCoder", round, tickets.size(), () -> unframe(coder, after, tickets.size()));
      timeAll("sort messages", "GenericData.compare", round, replayOrder.size(),
          () -> sortBefore(messageSchema, replayOrder).size());
      timeAll("sort messages", "WriteSortedTableFn.sort", round, replayOrder.size(), () -> {
        List<GenericRecord> copy = new ArrayList<>(replayOrder);
        WriteSortedTableFn.sort(messageSchema, copy);
        return copy.size();
      });
      for (Map.Entry<SilverTables, List<byte[]>> t : goldInputs.entrySet()) {
        String step = "read silver " + t.getKey().table;
        Schema columns = AggregateGold.input(t.getKey());
        timeAll(step, "every column", round, goldRows.get(t.getKey()), () -> read(t.getValue(), null));
        timeAll(step, "gold's columns", round, goldRows.get(t.getKey()), () -> read(t.getValue(), columns));
      }
      timeAll("silver codes bronze", "avro records", round, bronzeRows, () -> coded(bronzeFiles, bronzeColumns, false));
      timeAll("silver codes bronze", "flat reader", round, bronzeRows, () -> coded(bronzeFiles, bronzeColumns, true));
      timeAll("silver reads bronze", "every column", round, bronzeRows, () -> shuffled(bronzeFiles, null));
      timeAll("silver reads bronze", "silver's columns", round, bronzeRows, () -> shuffled(bronzeFiles, bronzeColumns));
      timeAll("bronze rows", "put by name", round, bronzeEvents.size(), () -> {
        long n = 0;
        for (BronzeEvent e : bronzeEvents) {
          n += bronzeRowByName(bronzeSchema, args[1], e).get(1) == null ? 0 : 1;
        }
        return n;
      });
      timeAll("bronze rows", "BronzeSchema.rows", round, bronzeEvents.size(), () -> {
        long n = 0;
        for (BronzeEvent e : bronzeEvents) {
          n += toRow.apply(e).get(1) == null ? 0 : 1;
        }
        return n;
      });
      timeAll("bronze counts", "name per event", round, bronzeEvents.size(), () -> countsBefore(bronzeEvents).size());
      timeAll("bronze counts", "WriteBronze.DayCounts", round, bronzeEvents.size(),
          () -> countsNow(bronzeFields).size());
      timeAll("group by ticket", "TreeMap", round, bronzeRows,
          () -> buckets.stream().mapToLong(b -> groupBefore(b).length).sum());
      timeAll("group by ticket", "HashMap+sorted ids", round, bronzeRows,
          () -> buckets.stream().mapToLong(b -> groupAfter(b).length).sum());
    }
  }

  /** The day writer's counts, taken from the events' coded fields as it holds them. */
  private static TreeMap<String, Long> countsNow(List<byte[]> fields) throws java.io.IOException {
    WriteBronze.DayCounts counts = new WriteBronze.DayCounts();
    for (byte[] f : fields) {
      WriteBronze.DayEvent.of(f, 0, f.length, counts);
    }
    return counts.toMap();
  }

  /** Bronze's row as the day writer made it before: every column put by its name. */
  private static GenericRecord bronzeRowByName(Schema s, String runId, BronzeEvent e) {
    GenericData.Record r = new GenericData.Record(s);
    r.put("run_id", runId);
    r.put("event_id", e.eventId());
    r.put("ticket_id", e.ticketId());
    r.put("event_type", e.eventType());
    r.put("schema_version", e.schemaVersion());
    r.put("event_ts", e.tsMicros());
    r.put("event_ts_offset_minutes", e.offsetMinutes());
    r.put("event_day", e.eventDay());
    r.put("external_id", e.externalId());
    r.put("channel", e.channel());
    r.put("pqrs_type", e.pqrsType());
    r.put("priority", e.priority());
    r.put("municipality_code", e.municipalityCode());
    r.put("subject", e.subject());
    r.put("text", e.text());
    r.put("author_role", e.authorRole());
    r.put("from_status", e.fromStatus());
    r.put("to_status", e.toStatus());
    r.put("reason", e.reason());
    r.put("file_name", e.fileName());
    r.put("mime_type", e.mimeType());
    r.put("size_bytes", e.sizeBytes());
    r.put("source_file", e.sourceFile());
    r.put("source_line", e.sourceLine());
    r.put("duplicates_dropped", e.duplicatesDropped());
    return r;
  }

  /** A day file's counts as the day writer made them before: a name made for every event. */
  private static TreeMap<String, Long> countsBefore(List<BronzeEvent> rows) {
    TreeMap<String, Long> counts = new TreeMap<>();
    for (BronzeEvent e : rows) {
      counts.merge("events." + e.eventType(), 1L, Long::sum);
      if (e.eventId() == null || e.ticketId() == null) {
        counts.merge("null_keys", 1L, Long::sum);
      }
    }
    return counts;
  }

  private static List<GenericRecord> sortBefore(Schema schema, List<GenericRecord> rows) {
    List<GenericRecord> copy = new ArrayList<>(rows);
    copy.sort((a, b) -> GenericData.get().compare(a, b, schema));
    return copy;
  }

  /**
   * The rows of each Parquet file under {@code folder} (subfolders too), their texts as String: as
   * records of {@code schema}, or of the file's own schema when it is null.
   */
  private static List<List<GenericRecord>> files(String folder, Schema schema) throws Exception {
    List<List<GenericRecord>> files = new ArrayList<>();
    for (Path f : parquetFiles(folder)) {
      List<GenericRecord> rows = new ArrayList<>();
      ParquetFiles.read(f.toString(), r -> {
        Schema s = schema == null ? r.getSchema() : schema;
        GenericData.Record row = new GenericData.Record(s);
        for (Schema.Field field : s.getFields()) {
          Object v = r.get(field.name());
          row.put(field.pos(), v instanceof Utf8 u ? u.toString() : v);
        }
        rows.add(row);
      });
      files.add(rows);
    }
    return files;
  }

  /** The Parquet files under {@code folder} (subfolders too), in path order; refuses a folder without any. */
  private static List<Path> parquetFiles(String folder) throws Exception {
    try (var paths = Files.walk(Path.of(folder))) {
      List<Path> files = paths.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no Parquet files under " + folder);
      }
      return files;
    }
  }

  /** The same schema without its fields' properties: every column dictionary-encoded, as before. */
  private static Schema withoutProps(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      fields.add(new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal()));
    }
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static long writeFiles(Path tmp, Schema schema, List<List<GenericRecord>> files) throws Exception {
    long bytes = 0;
    for (List<GenericRecord> rows : files) {
      bytes += LayerOutputs.writeParquet(tmp + "/", "dictionary.parquet", "p", schema, rows, new TreeMap<>()).sizeBytes();
    }
    return bytes;
  }

  /**
   * The table's files as Parquet in memory, one after another, each file's bytes: through Avro's
   * write support as the writer was built before, or through ParquetWriters.
   */
  private static List<byte[]> parquetInMemory(Schema schema, List<List<GenericRecord>> files, boolean avro) throws Exception {
    List<byte[]> written = new ArrayList<>();
    for (List<GenericRecord> rows : files) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (avro) {
        try (ParquetWriter<GenericRecord> w = avroParquetWriter(schema, out)) {
          for (GenericRecord r : rows) {
            w.write(r);
          }
        }
      } else {
        try (FlatParquetWriter w = ParquetWriters.open(schema, out)) {
          for (GenericRecord r : rows) {
            w.write(r);
          }
        }
      }
      written.add(out.toByteArray());
    }
    return written;
  }

  private static ParquetWriter<GenericRecord> avroParquetWriter(Schema schema, ByteArrayOutputStream out) throws Exception {
    AvroParquetWriter.Builder<GenericRecord> b = AvroParquetWriter.<GenericRecord>builder(new ParquetWriters.BufferFile(out))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
        .withConf(new org.apache.hadoop.conf.Configuration(false));
    for (Schema.Field f : schema.getFields()) {
      if (Boolean.FALSE.equals(f.getObjectProp("parquet_dictionary"))) {
        b = b.withDictionaryEncoding(f.name(), false);
      }
    }
    return b.build();
  }

  /** Bronze's ticket ids in Bronze's order, in the buckets Silver groups them in. */
  private static List<List<String>> ticketBuckets(String folder) throws Exception {
    List<String> ids = new ArrayList<>();
    for (Path f : parquetFiles(folder)) {
      ParquetFiles.read(f.toString(), r -> ids.add(r.get("ticket_id").toString()));
    }
    int n = CurateSilver.bucketsFor(ids.size());
    List<List<String>> buckets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      buckets.add(new ArrayList<>());
    }
    ids.forEach(id -> buckets.get(Math.floorMod(id.hashCode(), n)).add(id));
    return buckets;
  }

  /** A bucket's events (here their ticket ids) grouped by ticket, tickets in id order: the old way. */
  private static Object[] groupBefore(List<String> events) {
    Map<String, List<String>> byTicket = new TreeMap<>();
    for (String e : events) {
      byTicket.computeIfAbsent(e, k -> new ArrayList<>()).add(e);
    }
    Object[] groups = new Object[byTicket.size()];
    int i = 0;
    for (Map.Entry<String, List<String>> t : byTicket.entrySet()) {
      groups[i++] = t.getValue();
    }
    return groups;
  }

  /** The same as CurateSilver's replay now does it. */
  private static Object[] groupAfter(List<String> events) {
    Map<String, List<String>> byTicket = new HashMap<>();
    for (String e : events) {
      byTicket.computeIfAbsent(e, k -> new ArrayList<>()).add(e);
    }
    String[] ids = byTicket.keySet().toArray(new String[0]);
    Arrays.sort(ids);
    Object[] groups = new Object[ids.length];
    for (int i = 0; i < ids.length; i++) {
      groups[i] = byTicket.get(ids[i]);
    }
    return groups;
  }

  /** A Silver table's rows, their texts as String (what the layers' code builds rows with). */
  private static List<GenericRecord> rows(String folder) throws Exception {
    return files(folder, null).stream().flatMap(List::stream).toList();
  }

  interface Work {
    long run() throws Exception;
  }

  private static String only = "";

  private static void time(String step, String variant, int round, List<String> items, ToLongFunction<String> f) {
    if (!step.startsWith(only)) {
      return;
    }
    long sink = 0;
    long start = System.nanoTime();
    for (String s : items) {
      sink += f.applyAsLong(s);
    }
    report(step, variant, round, System.nanoTime() - start, items.size(), sink);
  }

  private static void timeAll(String step, String variant, int round, int n, Work w) throws Exception {
    if (!step.startsWith(only)) {
      return;
    }
    long start = System.nanoTime();
    long sink = w.run();
    report(step, variant, round, System.nanoTime() - start, n, sink);
  }

  private static void report(String step, String variant, int round, long nanos, int n, long sink) {
    System.out.printf(Locale.ROOT, "%s,%s,%d,%.0f%n", step, variant, round, nanos / (double) n);
    if (sink == Long.MIN_VALUE) {
      System.err.println(); // keeps the result alive
    }
  }

  private static String[] regexTokens(String text) {
    String n = Text.fold(text).replaceAll("[^a-z0-9 ]+", " ").trim();
    return n.isEmpty() ? new String[0] : n.split(" +");
  }

  /** The writer's loop before: String texts to Parquet and to Avro's generic writer for the hash. */
  private static long writeBefore(Path tmp, List<GenericRecord> rows) throws Exception {
    Schema schema = rows.get(0).getSchema();
    ParquetIO.Sink sink = ParquetIO.sink(schema).withCompressionCodec(CompressionCodecName.SNAPPY);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    GenericDatumWriter<GenericRecord> avro = new GenericDatumWriter<>(schema);
    Bytes row = new Bytes();
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(row, null);
    DataHash.Builder hash = DataHash.builder();
    sink.open(Channels.newChannel(file));
    for (GenericRecord r : rows) {
      sink.write(r);
      row.reset();
      avro.write(r, enc);
      hash.add(row.buffer(), 0, row.size());
    }
    sink.flush();
    byte[] bytes = file.toByteArray();
    Files.write(tmp.resolve("before.parquet"), bytes);
    MessageDigest.getInstance("SHA-256").digest(bytes);
    return hash.build().rows();
  }

  /** A reused buffer read without a copy, as the writer's was. */
  private static final class Bytes extends ByteArrayOutputStream {
    byte[] buffer() {
      return buf;
    }
  }

  private static byte[] framedAvro(List<GenericRecord> rows) throws Exception {
    GenericDatumWriter<GenericRecord> w = new GenericDatumWriter<>(rows.get(0).getSchema());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (GenericRecord r : rows) {
      Frame.encode(r, out, (v, block) -> w.write(v, EncoderFactory.get().directBinaryEncoder(block.stream(), null)));
    }
    return out.toByteArray();
  }

  private static byte[] framed(AvroRecordCoder coder, List<GenericRecord> rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (GenericRecord r : rows) {
      coder.encode(r, out);
    }
    return out.toByteArray();
  }

  private static long unframeAvro(byte[] bytes, int n, Schema schema) throws Exception {
    GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    long fields = 0;
    for (int i = 0; i < n; i++) {
      GenericRecord r = Frame.decode(in, block -> block.rest((b, off, len) ->
          reader.read(null, DecoderFactory.get().binaryDecoder(b, off, len, null))));
      fields += r.getSchema().getFields().size();
    }
    return fields;
  }

  private static long unframe(AvroRecordCoder coder, byte[] bytes, int n) throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    long fields = 0;
    for (int i = 0; i < n; i++) {
      fields += coder.decode(in).getSchema().getFields().size();
    }
    return fields;
  }

  /** The bytes of every Parquet file under {@code folder} (subfolders too), in path order. */
  private static List<byte[]> bytes(String folder) throws Exception {
    List<byte[]> files = new ArrayList<>();
    for (Path f : parquetFiles(folder)) {
      files.add(Files.readAllBytes(f));
    }
    return files;
  }

  /** A reader of a file's rows, whole or only {@code columns} as Gold's and Silver's reads do (the projection and the Avro read schema). */
  private static ParquetFiles.Rows reader(byte[] file, Schema columns) throws Exception {
    org.apache.hadoop.conf.Configuration conf =
        columns != null ? ParquetConfig.readingOnly(columns) : new ConfigurationWithoutDefaults();
    return ParquetFiles.Rows.open(new BytesFile(file), conf);
  }

  /** Reads every row of the files, whole or only {@code columns}; returns the rows read. */
  private static long read(List<byte[]> files, Schema columns) throws Exception {
    long n = 0;
    for (byte[] f : files) {
      try (ParquetFiles.Rows r = reader(f, columns)) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Reads every Bronze row of the files (whole, or only {@code columns}) as Silver does, as an event
   * ({@code BronzeSchema.fromRecord}) encoded and decoded by its coder; returns the bytes encoded.
   */
  private static long shuffled(List<byte[]> files, Schema columns) throws Exception {
    long bytes = 0;
    long sink = 0;
    for (byte[] f : files) {
      try (ParquetFiles.Rows r = reader(f, columns)) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          byte[] e = CoderUtils.encodeToByteArray(BronzeEvent.Coder.of(), BronzeSchema.fromRecord(rec));
          bytes += e.length;
          sink += CoderUtils.decodeFromByteArray(BronzeEvent.Coder.of(), e).tsMicros();
        }
      }
    }
    return bytes + (sink == 42 ? 1 : 0);
  }

  /**
   * Codes every Bronze row of the files as Silver does (BronzeSchema.CodedReader), from Avro's records
   * or from the flat reader's reused one; returns a digest of the coded bytes (the same for both).
   */
  private static long coded(List<byte[]> files, Schema columns, boolean flat) throws Exception {
    long digest = 0;
    BronzeSchema.CodedReader coder = new BronzeSchema.CodedReader();
    for (byte[] f : files) {
      try (ParquetFiles.RowReader r = flat ? FlatParquetReader.open(new BytesFile(f), columns, "bytes")
          : reader(f, columns)) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          byte[] e = CoderUtils.encodeToByteArray(BronzeEvent.Coded.Coder.of(), coder.apply(rec));
          digest = digest * 31 + Arrays.hashCode(e);
        }
      }
    }
    return digest;
  }

  /** The values of {@code columns} in every row, through the flat reader (not timed: the check). */
  private static List<List<Object>> flatValues(List<byte[]> files, Schema columns) throws Exception {
    return values(files, columns, f -> FlatParquetReader.open(new BytesFile(f), columns, "bytes"));
  }

  /** The values of {@code columns} in every row, read whole or projected (not timed: the check). */
  private static List<List<Object>> values(List<byte[]> files, Schema columns, boolean projected) throws Exception {
    return values(files, columns, f -> reader(f, projected ? columns : null));
  }

  /** How a check opens a file's rows. */
  private interface Opener {
    ParquetFiles.RowReader open(byte[] file) throws Exception;
  }

  private static List<List<Object>> values(List<byte[]> files, Schema columns, Opener open) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    for (byte[] f : files) {
      try (ParquetFiles.RowReader r = open.open(f)) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          List<Object> row = new ArrayList<>();
          for (Schema.Field c : columns.getFields()) {
            Object v = rec.get(c.name());
            row.add(v instanceof Utf8 u ? u.toString() : v);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** A Parquet file held in memory. */
  private static final class BytesFile implements InputFile {
    private final byte[] bytes;

    BytesFile(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public long getLength() {
      return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() {
          return bytes.length - in.available();
        }

        @Override
        public void seek(long pos) {
          in.reset();
          in.skip(pos);
        }
      };
    }
  }
}
