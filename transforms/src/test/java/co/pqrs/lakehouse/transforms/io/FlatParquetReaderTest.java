package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flat reader gives the values Parquet's record reader gives, row by row, over row groups, nulls
 * and every kind of flat field; it reuses its record and texts; and it refuses, naming the file and
 * column, what it cannot read as asked.
 */
class FlatParquetReaderTest {
  private static final Schema FLAT = FlatParquetWriterTest.FLAT;
  private static final Schema TEXT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"t\",\"fields\":["
      + "{\"name\":\"text\",\"type\":[\"null\",\"string\"]}]}");

  @TempDir Path dir;

  /** The rows written as the layers write them, in row groups of about 4 KB. */
  private MatchResult.Metadata file(String name, Schema schema, List<GenericRecord> rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FlatParquetWriter w = ParquetWriters.open(new AvroRows(schema), out, 4_096)) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    Path p = Files.write(dir.resolve(name), out.toByteArray());
    return FileSystems.matchSingleFileSpec(p.toString());
  }

  private MatchResult.Metadata file(String name, int n) throws Exception {
    return file(name, FLAT, FlatParquetWriterTest.rows(FLAT, n));
  }

  /** A row's values, texts as Strings: what two readers are compared by. */
  private static List<Object> values(GenericRecord r) {
    List<Object> v = new ArrayList<>();
    for (Schema.Field f : r.getSchema().getFields()) {
      Object x = r.get(f.pos());
      v.add(x instanceof CharSequence ? x.toString() : x);
    }
    return v;
  }

  private static List<List<Object>> all(ParquetFiles.RowReader rows) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (rows) {
      for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
        out.add(values(r));
      }
    }
    return out;
  }

  @Test
  void readsTheValuesParquetsRecordReaderReadsOverSeveralRowGroups() throws Exception {
    MatchResult.Metadata f = file("a.parquet", 3_000);
    try (ParquetFileReader footer = ParquetFileReader.open(new ParquetFiles.BeamInputFile(f))) {
      assertTrue(footer.getFooter().getBlocks().size() > 3, "several row groups");
    }
    List<List<Object>> ours = all(FlatParquetReader.open(f, FLAT));
    assertEquals(3_000, ours.size());
    assertEquals(all(ParquetFiles.open(f, FLAT)), ours);
  }

  @Test
  void readsOnlyTheColumnsAskedForInTheOrderAsked() throws Exception {
    MatchResult.Metadata f = file("a.parquet", 50);
    Schema some = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"t\",\"fields\":["
        + "{\"name\":\"size\",\"type\":[\"long\",\"null\"]},{\"name\":\"id\",\"type\":\"string\"},"
        + "{\"name\":\"text\",\"type\":[\"null\",\"string\"]}]}");
    try (FlatParquetReader rows = FlatParquetReader.open(f, some)) {
      GenericRecord r = rows.read();
      assertEquals(some, r.getSchema());
      assertNull(r.get("size"));
      assertEquals("PQRS-0", r.get("id").toString());
      rows.read();
      r = rows.read();
      assertEquals(List.of(2_048L, "PQRS-0", "días hábiles ñ 2 \uD83D\uDCE8"), values(r));
    }
  }

  @Test
  void reusesItsRecordAndTextsAndAShortTextAfterALongOneIsWhole() throws Exception {
    List<GenericRecord> texts = new ArrayList<>();
    for (String t : new String[] {null, "x1", "días hábiles ñ \uD83D\uDCE8 con más texto", "x3"}) {
      GenericRecord r = new GenericData.Record(TEXT);
      r.put("text", t);
      texts.add(r);
    }
    try (FlatParquetReader rows = FlatParquetReader.open(file("t.parquet", TEXT, texts), TEXT)) {
      GenericRecord first = rows.read();
      assertNull(first.get("text"));
      GenericRecord second = rows.read();
      assertSame(first, second);
      Utf8 text = (Utf8) second.get("text");
      assertEquals("x1", text.toString());
      GenericRecord third = rows.read();
      assertSame(text, third.get("text"));
      assertEquals("días hábiles ñ \uD83D\uDCE8 con más texto", third.get("text").toString());
      assertEquals("x3", rows.read().get("text").toString());
      assertNull(rows.read());
      assertNull(rows.read());
    }
  }

  @Test
  void anEmptyFileHasNoRow() throws Exception {
    try (FlatParquetReader rows = FlatParquetReader.open(file("empty.parquet", 0), FLAT)) {
      assertNull(rows.read());
    }
  }

  @Test
  void refusesWhatItCannotReadAsAskedNamingTheFileAndColumn() throws Exception {
    MatchResult.Metadata f = file("a.parquet", 5);
    Schema lacking = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
        + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"channel\",\"type\":[\"null\",\"string\"]}]}");
    Exception e = assertThrows(IllegalArgumentException.class, () -> FlatParquetReader.open(f, lacking));
    assertTrue(e.getMessage().contains("a.parquet has no column 'channel'"), e.getMessage());
    Schema retyped = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
        + "{\"name\":\"ts\",\"type\":\"int\"}]}");
    e = assertThrows(IllegalArgumentException.class, () -> FlatParquetReader.open(f, retyped));
    assertTrue(e.getMessage().contains("a.parquet, column 'ts': stored as INT64, read as INT"), e.getMessage());
    Schema required = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
        + "{\"name\":\"text\",\"type\":\"string\"}]}");
    e = assertThrows(IllegalArgumentException.class, () -> FlatParquetReader.open(f, required));
    assertTrue(e.getMessage().contains("a.parquet, column 'text': optional in the file, not nullable in r"),
        e.getMessage());
    Schema nested = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
        + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
    e = assertThrows(IllegalArgumentException.class, () -> FlatParquetReader.open(f, nested));
    assertTrue(e.getMessage().contains("field tags"), e.getMessage());
  }
}
