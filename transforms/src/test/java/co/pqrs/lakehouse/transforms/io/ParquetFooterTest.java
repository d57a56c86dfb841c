package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The encodings a footer lists per column come out in one order whatever order parquet-java's
 * HashSet gave them in another JVM, and the file still reads back the same.
 */
class ParquetFooterTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":[\"null\",\"long\"],\"default\":null}]}");

  @TempDir Path dir;

  private byte[] written() throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("id", "t-" + (i % 7)); // few values: dictionary encoding, so chunks list several encodings
      r.put("n", i % 3 == 0 ? null : (long) i);
      rows.add(r);
    }
    LayerOutputs.writeParquet(dir + "/", "f.parquet", "p", SCHEMA, rows, new TreeMap<>());
    return Files.readAllBytes(dir.resolve("f.parquet"));
  }

  private static int footerStart(byte[] f) {
    return f.length - 8 - ByteBuffer.wrap(f, f.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private static FileMetaData footer(byte[] f) throws IOException {
    int start = footerStart(f);
    return Util.readFileMetaData(new ByteArrayInputStream(f, start, f.length - 8 - start));
  }

  /** The same file with every column's encodings in reverse order, as another JVM may write it. */
  private static byte[] reversed(byte[] f) throws IOException {
    FileMetaData meta = footer(f);
    for (RowGroup g : meta.getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        List<Encoding> e = new ArrayList<>(c.getMeta_data().getEncodings());
        Collections.reverse(e);
        c.getMeta_data().setEncodings(e);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, out);
    byte[] copy = f.clone();
    System.arraycopy(out.toByteArray(), 0, copy, footerStart(f), out.size());
    return copy;
  }

  @Test
  void writtenFilesListEncodingsInNumberOrder() throws Exception {
    byte[] f = written();
    boolean several = false;
    for (RowGroup g : footer(f).getRow_groups()) {
      for (ColumnChunk c : g.getColumns()) {
        List<Integer> values = c.getMeta_data().getEncodings().stream().map(Encoding::getValue).toList();
        assertEquals(values.stream().sorted().toList(), values, c.getMeta_data().getPath_in_schema().toString());
        several |= values.size() > 1;
      }
    }
    assertTrue(several, "the fixture must have a column with more than one encoding");
  }

  @Test
  void anotherOrderComesBackToTheSameBytesAndRows() throws Exception {
    byte[] f = written();
    byte[] other = reversed(f);
    assertFalse(Arrays.equals(f, other), "reversing must change some list, or the test proves nothing");
    ParquetFooter.sortEncodings(other, other.length);
    assertArrayEquals(f, other);
    Files.write(dir.resolve("g.parquet"), other);
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    ParquetFiles.read(dir.resolve("f.parquet").toString(), r -> a.add(r.toString()));
    ParquetFiles.read(dir.resolve("g.parquet").toString(), r -> b.add(r.toString()));
    assertEquals(500, a.size());
    assertEquals(a, b);
  }

  @Test
  void aFileThatIsNotParquetIsRefused() {
    byte[] junk = "not parquet at all, just text".getBytes();
    IOException e = assertThrows(IOException.class, () -> ParquetFooter.sortEncodings(junk, junk.length));
    assertTrue(e.getMessage().contains("not a Parquet file"), e.getMessage());
  }
}
