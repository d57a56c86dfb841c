import co.pqrs.lakehouse.config.Text;
import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.transforms.io.AvroRecordCoder;
import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Per-row costs of three steps, timed apart in one JVM, the way the code did them before (written out
 * here) against the project's code as it is (called through its public API), alternating, over the
 * rows of a Silver run. A run's layer CPU moves by ±20 % between runs on the bench machine; these
 * steps are a few per cent of a layer, which only timing them apart resolves.
 *
 *   java -Xmx4g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/RowCosts.java LAKE RUN_ID [ROUNDS] > out.csv
 *
 * Steps: the pre-classifier's tokens of every message text (four regular expressions, against one
 * pass); writing Silver's tickets and messages as Parquet with their data hash (rows holding String
 * texts given to the Parquet writer and Avro's generic writer, against LayerOutputs.writeParquet);
 * the framed row coder of Gold's rows, encoding and decoding Silver's tickets (Avro's generic writer
 * and reader inside the frame, against AvroRecordCoder). Prints CSV: step,variant,round,ns_per_row.
 * The first two rounds are warm-up; report the median of the rest.
 */
public class RowCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: RowCosts.java LAKE RUN_ID [ROUNDS]");
      System.exit(2);
    }
    String silver = args[0] + "/silver/";
    String run = "/run_id=" + args[1] + "/";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    List<GenericRecord> tickets = rows(silver + "tickets" + run);
    List<GenericRecord> messages = rows(silver + "messages" + run);
    List<String> texts = messages.stream().map(r -> r.get("text").toString()).toList();
    Path tmp = Files.createTempDirectory("rowcosts");
    System.err.printf("%d tickets, %d messages%n", tickets.size(), messages.size());

    // Each variant's result is checked against the other's before anything is timed.
    for (String t : texts.subList(0, Math.min(texts.size(), 20_000))) {
      if (!Arrays.equals(regexTokens(t), Text.tokens(t))) {
        throw new IllegalStateException("tokens differ for: " + t);
      }
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
      byte[] before = framedAvro(tickets);
      byte[] after = framed(coder, tickets);
      timeAll("row coder encode", "avro", round, tickets.size(), () -> framedAvro(tickets).length);
      timeAll("row coder encode", "AvroRecordCoder", round, tickets.size(), () -> framed(coder, tickets).length);
      timeAll("row coder decode", "avro", round, tickets.size(), () -> unframeAvro(before, tickets.size(),
          tickets.get(0).getSchema()));
      timeAll("row coder decode", "AvroRecordCoder", round, tickets.size(), () -> unframe(coder, after, tickets.size()));
    }
  }

  /** A Silver table's rows, their texts as String (what the layers' code builds rows with). */
  private static List<GenericRecord> rows(String folder) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    try (var files = Files.list(Path.of(folder))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        ParquetFiles.read(f.toString(), r -> {
          for (int i = 0; i < r.getSchema().getFields().size(); i++) {
            if (r.get(i) instanceof Utf8 u) {
              r.put(i, u.toString());
            }
          }
          rows.add(r);
        });
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no Parquet rows under " + folder);
    }
    return rows;
  }

  interface Work {
    long run() throws Exception;
  }

  private static void time(String step, String variant, int round, List<String> items, ToLongFunction<String> f) {
    long sink = 0;
    long start = System.nanoTime();
    for (String s : items) {
      sink += f.applyAsLong(s);
    }
    report(step, variant, round, System.nanoTime() - start, items.size(), sink);
  }

  private static void timeAll(String step, String variant, int round, int n, Work w) throws Exception {
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
}
