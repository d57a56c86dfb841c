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
class FlatParquetWriterTest {
  /** Every kind a flat row has, required and nullable; "code" without a dictionary, as a contract may say. */
  static final Schema FLAT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"t\","
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

  static List<GenericRecord> rows(Schema schema, int n) {
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
    try (FlatParquetWriter w = ParquetWriters.open(new AvroRows(schema), out, 4_096)) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    return out.toByteArray();
  }

  /** What the tables were written with before: Avro's write support, the same settings. */
  private static byte[] avros(Schema schema, List<GenericRecord> rows) throws Exception {
    return avros(schema, rows, 4_096);
  }

  private static byte[] avros(Schema schema, List<GenericRecord> rows, long groupBytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AvroParquetWriter.Builder<GenericRecord> b = AvroParquetWriter.<GenericRecord>builder(new ParquetWriters.BufferFile(out))
        .withSchema(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withRowGroupSize(groupBytes)
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

  /** A value of another type than its field's is taken as Avro's write support takes it, where it takes it. */
  @Test
  void numbersAndTextsOfOtherClassesAreWrittenAsAvrosWriteSupportWritesThem() throws Exception {
    List<GenericRecord> rows = rows(FLAT, 100);
    rows.get(10).put("size", 7); // an Integer in a long field: Avro writes it as a long
    rows.get(11).put("ratio", 2.5f); // a Float in a double field
    rows.get(20).put("text", new StringBuilder("a CharSequence"));
    assertArrayEquals(avros(FLAT, rows), ours(FLAT, rows));
  }

  @Test
  void aValueThatIsNotItsFieldsKindIsRefusedNamingTheField() {
    List<GenericRecord> rows = rows(FLAT, 10);
    rows.get(3).put("text", 42);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ours(FLAT, rows));
    assertEquals("schema t.r, field text: a java.lang.Integer where a string belongs", e.getMessage());
    List<GenericRecord> others = rows(FLAT, 10);
    others.get(3).put("n", "12");
    e = assertThrows(IllegalArgumentException.class, () -> ours(FLAT, others));
    assertEquals("schema t.r, field n: a java.lang.String where a number belongs", e.getMessage());
    others.get(3).put("n", 12);
    others.get(5).put("open", "true");
    e = assertThrows(IllegalArgumentException.class, () -> ours(FLAT, others));
    assertEquals("schema t.r, field open: a java.lang.String where a boolean belongs", e.getMessage());
  }

  @Test
  void aSchemaThatIsNotFlatIsRefusedNamingTheField() {
    Schema nested = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"n\",\"fields\":["
        + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ours(nested, List.of()));
    assertTrue(e.getMessage().startsWith(
        "schema n, field tags: Avro type array; the lakehouse's Parquet writer takes flat rows"), e.getMessage());
    Schema twoKinds = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"u\",\"fields\":["
        + "{\"name\":\"v\",\"type\":[\"int\",\"string\"]}]}");
    e = assertThrows(IllegalArgumentException.class, () -> ours(twoKinds, List.of()));
    assertTrue(e.getMessage().startsWith("schema u, field v: a union of int and string;"), e.getMessage());
  }

  @Test
  void aRowAfterCloseIsRefused() throws Exception {
    FlatParquetWriter w = ParquetWriters.open(new AvroRows(FLAT), new ByteArrayOutputStream(), 4_096);
    GenericRecord row = rows(FLAT, 1).get(0);
    w.write(row);
    w.close();
    w.close(); // a second close does nothing
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(row));
    assertEquals("schema t.r: a row written after the file was closed", e.getMessage());
  }

  /** A file without rows: a footer and no row group, as Parquet's writer leaves it. */
  @Test
  void aFileWithoutRowsIsAvroParquetWritersToo() throws Exception {
    assertArrayEquals(avros(FLAT, List.of()), ours(FLAT, List.of()));
  }

  /**
   * Enough rows for several size checks per row group at the default group size, and groups cut by
   * the rows' average size: the rule for when a group ends is Parquet's.
   */
  @Test
  void rowGroupsEndWhereParquetsWriterEndsThem() throws Exception {
    List<GenericRecord> rows = rows(FLAT, 20_000);
    for (long groupBytes : new long[] {64 * 1024, 300 * 1024}) {
      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      try (FlatParquetWriter w = ParquetWriters.open(new AvroRows(FLAT), ours, groupBytes)) {
        for (GenericRecord r : rows) {
          w.write(r);
        }
      }
      assertArrayEquals(avros(FLAT, rows, groupBytes), ours.toByteArray(), "row groups of " + groupBytes);
    }
  }

  @Test
  void aNullInARequiredFieldIsRefusedNamingTheField() {
    List<GenericRecord> rows = rows(FLAT, 10);
    rows.get(4).put("code", null);
    RuntimeException e = assertThrows(RuntimeException.class, () -> ours(FLAT, rows));
    assertTrue(e.getMessage().contains("code"), e.getMessage());
  }
}
