import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.io.FlatParquetWriter;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.ParquetWriters;
import co.pqrs.lakehouse.transforms.silver.CurateSilver;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.FileSystems;

/**
 * What a column's Parquet dictionary costs the writer, timed apart in one JVM: a table's files of a
 * run, file by file as the layer wrote them (when Parquet gives a dictionary up depends on a file's
 * rows), written into memory through ParquetWriters with the table's contract as it is ("contract")
 * and with the named columns' dictionaries on again ("dictionary"), alternating. For Bronze it also
 * times Silver's read of both sets of files, written once to a temporary folder (its columns, each
 * row coded as Silver's step codes it).
 *
 *   java -Xmx12g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/DictionaryCosts.java \
 *       LAKE RUN_ID TABLE COLUMNS [ROUNDS [MAX_FILES]] > out.csv
 *
 *   TABLE    bronze, a Silver table (tickets, messages, ...) or ticket_snapshot (Gold)
 *   COLUMNS  comma-separated: the columns whose dictionaries the "dictionary" set turns back on
 *
 * Prints CSV: run_id,table,step,variant,round,rows,cpu_ns_per_row,bytes (the thread's CPU; the first two
 * rounds warm the compilers, report the median of the rest). The files' sizes differ by set; for
 * Bronze, both sets are first checked to give Silver the same events.
 */
public class DictionaryCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: DictionaryCosts.java LAKE RUN_ID TABLE COLUMNS [ROUNDS [MAX_FILES]]");
      System.exit(2);
    }
    String table = args[2];
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 7;
    int maxFiles = args.length > 5 ? Integer.parseInt(args[5]) : Integer.MAX_VALUE;
    DataLayout layout = DataLayout.at(args[0]);
    Schema contract;
    String folder;
    if (table.equals("bronze")) {
      contract = BronzeSchema.schema();
      folder = layout.table(DataLayout.BRONZE, BronzeSchema.TABLE, args[1]);
    } else if (table.equals(GoldTable.TICKET_SNAPSHOT.table)) {
      contract = GoldTable.TICKET_SNAPSHOT.schema();
      folder = layout.table(DataLayout.GOLD, table, args[1]);
    } else {
      contract = SilverTables.valueOf(table.toUpperCase(Locale.ROOT)).schema();
      folder = layout.table(DataLayout.SILVER, table, args[1]);
    }
    Map<String, Schema> sets = new LinkedHashMap<>();
    sets.put("contract", contract);
    sets.put("dictionary", dictionaryOn(contract, Arrays.asList(args[3].split(","))));

    List<List<GenericRecord>> files = new ArrayList<>();
    int rows = 0;
    List<Path> paths;
    try (var walk = Files.walk(Path.of(folder))) {
      paths = walk.filter(p -> p.toString().endsWith(".parquet")).sorted().limit(maxFiles).toList();
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no Parquet files under " + folder);
    }
    for (Path p : paths) {
      List<GenericRecord> file = new ArrayList<>();
      ParquetFiles.read(p.toString(), r -> {
        GenericData.Record row = new GenericData.Record(contract);
        for (Schema.Field f : contract.getFields()) {
          Object v = r.get(f.name());
          row.put(f.pos(), v instanceof Utf8 u ? u.toString() : v);
        }
        file.add(row);
      });
      files.add(file);
      rows += file.size();
    }
    System.err.printf("%s: %d files, %d rows; dictionaries on again in the second set: %s%n", table, files.size(),
        rows, args[3]);

    // Bronze's files as each set writes them, in a temporary folder, for Silver's read (read as Silver's
    // read step reads a file: its columns only, through the project's reader); checked to hold the same
    // events both ways before anything is timed.
    Schema silverColumns = ParquetConfig.projection(BronzeSchema.schema(), CurateSilver.BRONZE_COLUMNS);
    Map<String, List<String>> onDisk = new LinkedHashMap<>();
    Map<String, Long> diskBytes = new LinkedHashMap<>();
    if (table.equals("bronze")) {
      Path tmp = Files.createTempDirectory("dictionary-costs");
      tmp.toFile().deleteOnExit(); // registered first, deleted last: after its files
      for (Map.Entry<String, Schema> s : sets.entrySet()) {
        List<String> written = new ArrayList<>();
        long bytes = 0;
        for (byte[] f : write(s.getValue(), files)) {
          Path p = tmp.resolve(s.getKey() + "-" + written.size() + ".parquet");
          Files.write(p, f);
          p.toFile().deleteOnExit();
          written.add(p.toString());
          bytes += f.length;
        }
        onDisk.put(s.getKey(), written);
        diskBytes.put(s.getKey(), bytes);
      }
      if (coded(onDisk.get("contract"), silverColumns, true) != coded(onDisk.get("dictionary"), silverColumns, true)) {
        throw new IllegalStateException("Silver reads different events from the two sets of files");
      }
    }

    var cpu = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println("run_id,table,step,variant,round,rows,cpu_ns_per_row,bytes");
    for (int round = 1; round <= rounds; round++) {
      // Each round starts with the other set, so that neither always runs first.
      List<String> order = new ArrayList<>(sets.keySet());
      if (round % 2 == 0) {
        java.util.Collections.reverse(order);
      }
      for (String set : order) {
        long start = cpu.getCurrentThreadCpuTime();
        long bytes = write(sets.get(set), files).stream().mapToLong(b -> b.length).sum();
        report(args[1], table, "write", set, round, rows, cpu.getCurrentThreadCpuTime() - start, bytes);
      }
      for (String set : onDisk.isEmpty() ? List.<String>of() : order) {
        long start = cpu.getCurrentThreadCpuTime();
        sink += coded(onDisk.get(set), silverColumns, false);
        report(args[1], table, "silver reads", set, round, rows, cpu.getCurrentThreadCpuTime() - start,
            diskBytes.get(set));
      }
    }
  }

  // What the timed reads compute, kept so that the compiler cannot drop them.
  static long sink;

  /** The contract with the named columns' "parquet_dictionary" marks taken off: Parquet's default, on. */
  private static Schema dictionaryOn(Schema contract, List<String> columns) {
    ParquetConfig.requireColumns(contract, columns);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : contract.getFields()) {
      Schema.Field copy = new Schema.Field(f.name(), f.schema(), f.doc(), f.defaultVal());
      f.getObjectProps().forEach((k, v) -> {
        if (!(columns.contains(f.name()) && k.equals(ParquetWriters.DICTIONARY))) {
          copy.addProp(k, v);
        }
      });
      fields.add(copy);
    }
    return Schema.createRecord(contract.getName(), contract.getDoc(), contract.getNamespace(), false, fields);
  }

  private static List<byte[]> write(Schema schema, List<List<GenericRecord>> files) throws Exception {
    List<byte[]> out = new ArrayList<>();
    for (List<GenericRecord> rows : files) {
      ByteArrayOutputStream file = new ByteArrayOutputStream(1 << 20);
      try (FlatParquetWriter w = ParquetWriters.open(schema, file)) {
        for (GenericRecord r : rows) {
          w.write(r);
        }
      }
      out.add(file.toByteArray());
    }
    return out;
  }

  /**
   * Silver's read of Bronze files: its columns only, through the reader a step that reads a whole file
   * uses ({@link ParquetFiles#open}), each row coded as Silver's read step codes it. With {@code check},
   * a hash of every event decoded (the check that both sets hold the same events).
   */
  private static long coded(List<String> files, Schema columns, boolean check) throws Exception {
    BronzeSchema.CodedReader coded = new BronzeSchema.CodedReader();
    long sum = 0;
    for (String f : files) {
      try (ParquetFiles.Rows r = ParquetFiles.open(FileSystems.matchSingleFileSpec(f), columns)) {
        for (GenericRecord rec = r.read(); rec != null; rec = r.read()) {
          sum = check ? 31 * sum + valueHash(coded.apply(rec).event()) : sum + coded.apply(rec).ticketHash();
        }
      }
    }
    return sum;
  }

  /** A hash of an event's values (its record hash takes a byte array's identity). */
  private static int valueHash(Record event) throws ReflectiveOperationException {
    int h = 1;
    for (RecordComponent c : event.getClass().getRecordComponents()) {
      Object v = c.getAccessor().invoke(event);
      h = 31 * h + (v instanceof byte[] b ? Arrays.hashCode(b) : java.util.Objects.hashCode(v));
    }
    return h;
  }

  private static void report(String run, String table, String step, String set, int round, int rows, long cpuNanos,
      long bytes) {
    System.out.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%.0f,%d%n", run, table, step, set, round, rows,
        cpuNanos / (double) rows, bytes);
  }
}
