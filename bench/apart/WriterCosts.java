import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.ParquetFooter;
import co.pqrs.lakehouse.transforms.io.ParquetWriters;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * What the Parquet writer costs per row, as the jar on the class path has it: a table's files of a
 * run, file by file as the layer wrote them, written into memory through ParquetWriters.open, the
 * texts as Utf8 (as LayerOutputs hands them over). Run once per jar, alternating jars, to compare two
 * builds; the writer's type may differ between them, so its write and close are looked up on the
 * object open returns. The SHA-256 of every byte written (each file's footer with its encodings sorted,
 * as LayerOutputs stores it) shows that two builds wrote the same files.
 *
 *   java -Xmx4g -cp JAR bench/apart/WriterCosts.java LAKE RUN_ID TABLE [ROUNDS [MAX_FILES]] > out.csv
 *
 *   TABLE    bronze or a Silver table (tickets, messages, status_events, attachments, preclassification)
 *
 * Prints CSV without header: table,round,rows,cpu_ns_per_row,bytes,sha256 (the thread's CPU; the
 * first two rounds warm the compilers and are not printed).
 */
public class WriterCosts {
  public static void main(String[] args) throws Throwable {
    if (args.length < 3) {
      System.err.println("usage: WriterCosts.java LAKE RUN_ID TABLE [ROUNDS [MAX_FILES]]");
      System.exit(2);
    }
    String table = args[2];
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    int maxFiles = args.length > 4 ? Integer.parseInt(args[4]) : Integer.MAX_VALUE;
    DataLayout layout = DataLayout.at(args[0]);
    Schema contract = table.equals("bronze") ? BronzeSchema.schema()
        : SilverTables.valueOf(table.toUpperCase(Locale.ROOT)).schema();
    String folder = table.equals("bronze") ? layout.table(DataLayout.BRONZE, BronzeSchema.TABLE, args[1])
        : layout.table(DataLayout.SILVER, table, args[1]);
    List<Path> paths;
    try (var walk = Files.walk(Path.of(folder))) {
      paths = walk.filter(p -> p.toString().endsWith(".parquet")).sorted().limit(maxFiles).toList();
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no Parquet files under " + folder);
    }
    List<List<GenericRecord>> files = new ArrayList<>();
    long rows = 0;
    for (Path p : paths) {
      List<GenericRecord> file = new ArrayList<>();
      ParquetFiles.read(p.toString(), r -> {
        GenericData.Record row = new GenericData.Record(contract);
        for (Schema.Field f : contract.getFields()) {
          Object v = r.get(f.name());
          row.put(f.pos(), v instanceof CharSequence s ? new Utf8(s.toString()) : v);
        }
        file.add(row);
      });
      files.add(file);
      rows += file.size();
    }
    System.err.printf("%s: %d files, %d rows%n", table, files.size(), rows);

    var cpu = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int round = 0; round < rounds + 2; round++) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long bytes = 0;
      long start = cpu.getCurrentThreadCpuTime();
      for (List<GenericRecord> file : files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        Object writer = ParquetWriters.open(contract, out);
        Writer w = Writer.of(writer);
        for (GenericRecord r : file) {
          w.write.invokeExact(writer, r);
        }
        w.close.invokeExact(writer);
        byte[] b = out.toByteArray();
        ParquetFooter.sortEncodings(b, b.length); // as the layers store them: the same bytes in every JVM
        bytes += b.length;
        sha.update(b);
      }
      long used = cpu.getCurrentThreadCpuTime() - start;
      if (round >= 2) {
        System.out.printf(Locale.ROOT, "%s,%d,%d,%.0f,%d,%s%n", table, round - 1, rows, used / (double) rows, bytes,
            HexFormat.of().formatHex(sha.digest()));
      }
    }
  }

  /** The write and close of the writer a build's ParquetWriters.open returns. */
  record Writer(MethodHandle write, MethodHandle close) {
    private static Writer cached;

    static Writer of(Object writer) throws ReflectiveOperationException {
      if (cached == null) {
        Method write = null;
        for (Method m : writer.getClass().getMethods()) {
          if (m.getName().equals("write") && m.getParameterCount() == 1 && !m.isBridge()) {
            write = m;
          }
        }
        if (write == null) {
          throw new NoSuchMethodException(writer.getClass().getName() + ".write(row)");
        }
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        cached = new Writer(
            l.unreflect(write).asType(MethodType.methodType(void.class, Object.class, GenericRecord.class)),
            l.findVirtual(writer.getClass(), "close", MethodType.methodType(void.class))
                .asType(MethodType.methodType(void.class, Object.class)));
      }
      return cached;
    }
  }
}
