package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lakehouse's Parquet writer gives the bytes AvroParquetWriter gives, for every kind of flat field. */
class FlatRowWriteSupportTest {
  /** Every kind a flat row has, required and nullable; "code" without a dictionary, as a contract may say. */
  private static final Schema FLAT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"t\","
      + "\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"code\",\"type\":\"string\",\"parquet_dictionary\":false},"
      + "{\"name\":\"text\",\"type\":[\"null\",\"string\"]},"
      + "{\"name\":\"n\",\"type\":\"int\"},"
      + "{\"name\":\"day\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}]},"
      + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
      + "{\"name\":\"size\",\"type\":[\"long\",\"null\"]},"
      + "{\"name\":\"ratio\",\"type\":\"double\"},"
      + "{\"name\":\"share\",\"type\":[\"null\",\"float\"]},"
      + "{\"name\":\"open\",\"type\":\"boolean\"},"
      + "{\"name\":\"late\",\"type\":[\"null\",\"boolean\"]}]}");

  @TempDir Path dir;

  private static List<GenericRecord> rows(Schema schema, int n) {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      GenericRecord r = new GenericData.Record(schema);
      // Strings and Avro's Utf8 both, as rows read back from Parquet hold the latter.
      r.put("id", i % 2 == 0 ? "PQRS-" + i / 3 : new Utf8("PQRS-" + i / 3));
      r.put("code", "c" + i);
      r.put("text", i % 5 == 0 ? null : "días hábiles ñ " + (i % 7) + " \uD83D\uDCE8");
      r.put("n", i - 500);
      r.put("day", i % 4 == 0 ? null : 20_000 + i % 30);
      r.put("ts", 1_741_000_000_000_000L + i * 1_000_003L);
      r.put("size", i % 3 == 0 ? null : (long) i * 1_024);
      r.put("ratio", i / 7.0);
      r.put("share", i % 6 == 0 ? null : i / 3.0f);
      r.put("open", i % 2 == 0);
      r.put("late", i % 3 == 0 ? null : i % 3 == 1);
      rows.add(r);
    }
    return rows;
  }

  private static byte[] ours(Schema schema, List<GenericRecord> rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParquetWriter<GenericRecord> w = ParquetWriters.open(schema, out, 4_096)) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    return out.toByteArray();
  }

  /** What the tables were written with before: Avro's write support, the same settings. */
  private static byte[] avros(Schema schema, List<GenericRecord> rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AvroParquetWriter.Builder<GenericRecord> b = AvroParquetWriter.<GenericRecord>builder(new ParquetWriters.BufferFile(out))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withRowGroupSize(4_096)
        .withConf(ParquetConfig.shared());
    for (Schema.Field f : schema.getFields()) {
      if (!ParquetWriters.dictionary(schema, f)) {
        b = b.withDictionaryEncoding(f.name(), false);
      }
    }
    try (ParquetWriter<GenericRecord> w = b.build()) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    return out.toByteArray();
  }

  @Test
  void flatRowsOfEveryKindGiveAvroParquetWritersBytes() throws Exception {
    List<GenericRecord> rows = rows(FLAT, 3_000);
    byte[] ours = ours(FLAT, rows);
    assertArrayEquals(avros(FLAT, rows), ours);
    // And they read back as written (several row groups, nulls where they were put).
    Path p = Files.write(dir.resolve("flat.parquet"), ours);
    try (ParquetFileReader f = ParquetFileReader.open(new ParquetFiles.BeamInputFile(p.toString()))) {
      assertTrue(f.getFooter().getBlocks().size() >= 2, "row groups: " + f.getFooter().getBlocks().size());
    }
    List<GenericRecord> back = new ArrayList<>();
    ParquetFiles.read(p.toString(), back::add);
    assertEquals(3_000, back.size());
    for (int i = 0; i < back.size(); i += 37) {
      assertEquals(rows.get(i).toString(), back.get(i).toString(), "row " + i);
    }
  }

  @Test
  void bronzesRowsGiveAvroParquetWritersBytes() throws Exception {
    Schema s = BronzeSchema.schema();
    List<GenericRecord> rows = new ArrayList<>();
    for (GenericRecord r : rows(FLAT, 200)) {
      GenericRecord b = new GenericData.Record(s);
      for (Schema.Field f : s.getFields()) {
        Schema t = f.schema().isUnion() ? f.schema().getTypes().get(1) : f.schema();
        b.put(f.pos(), switch (t.getType()) {
          case STRING -> f.pos() % 3 == 0 ? r.get("id") : r.get("code");
          case LONG -> r.get("ts");
          case INT -> r.get("n");
          default -> throw new IllegalStateException("a Bronze column of type " + t);
        });
      }
      rows.add(b);
    }
    assertArrayEquals(avros(s, rows), ours(s, rows));
  }

  /** A row with a value of another type than its field's goes through Avro's write support, as before. */
  @Test
  void aRowThatDoesNotFitIsWrittenByAvrosWriteSupport() throws Exception {
    List<GenericRecord> rows = rows(FLAT, 100);
    rows.get(10).put("size", 7); // an Integer in a long field: Avro writes it as a long
    rows.get(20).put("text", new StringBuilder("a CharSequence"));
    assertArrayEquals(avros(FLAT, rows), ours(FLAT, rows));
  }

  @Test
  void aSchemaThatIsNotFlatIsWrittenByAvrosWriteSupport() throws Exception {
    Schema nested = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"n\",\"fields\":["
        + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      GenericRecord r = new GenericData.Record(nested);
      r.put("id", "t" + i);
      r.put("tags", List.of("a" + i % 3, "b"));
      rows.add(r);
    }
    assertArrayEquals(avros(nested, rows), ours(nested, rows));
  }

  @Test
  void aNullInARequiredFieldIsRefusedNamingTheField() {
    List<GenericRecord> rows = rows(FLAT, 10);
    rows.get(4).put("code", null);
    RuntimeException e = assertThrows(RuntimeException.class, () -> ours(FLAT, rows));
    assertTrue(e.getMessage().contains("code"), e.getMessage());
  }
}
