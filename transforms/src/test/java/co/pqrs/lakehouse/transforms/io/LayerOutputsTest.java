package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nearly unique string columns are written without a dictionary; every value reads back as written. */
class LayerOutputsTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"t\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"channel\",\"type\":\"string\"},"
      + "{\"name\":\"text\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"n\",\"type\":\"long\"}]}");

  @TempDir
  Path dir;

  private static List<GenericRecord> rows(int count) {
    List<GenericRecord> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("id", String.format("t-%06d", i));
      r.put("channel", List.of("WEB", "EMAIL", "PHONE").get(i % 3));
      // Distinct text, with a null every tenth row: 90 % distinct among the non-null values is still "nearly unique".
      r.put("text", i % 10 == 0 ? null : "mensaje número " + i);
      r.put("n", (long) i % 7);
      out.add(r);
    }
    return out;
  }

  /** Column name -> whether its chunk has a dictionary page, from the file's footer. */
  private static Map<String, Boolean> dictionaries(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    int footer = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(bytes, bytes.length - 8 - footer, footer));
    Map<String, Boolean> out = new TreeMap<>();
    for (ColumnChunk c : meta.getRow_groups().get(0).getColumns()) {
      out.put(String.join(".", c.getMeta_data().getPath_in_schema()), c.getMeta_data().isSetDictionary_page_offset());
    }
    return out;
  }

  @Test
  void nearlyUniqueStringColumnsAreWrittenWithoutDictionary() throws Exception {
    assertEquals(List.of("id", "text"), LayerOutputs.nearlyUniqueStrings(SCHEMA, rows(1000)));
    // Too few values to judge: Parquet's defaults.
    assertEquals(List.of(), LayerOutputs.nearlyUniqueStrings(SCHEMA, rows(99)));

    String staging = dir.toString() + "/";
    List<GenericRecord> written = rows(5000);
    FileStat stat = LayerOutputs.writeParquet(staging, "t/part-00000.parquet", "t", SCHEMA, written, new TreeMap<>());
    assertEquals(5000, stat.rows());
    Path file = dir.resolve("t/part-00000.parquet");
    assertEquals(Map.of("channel", true, "id", false, "n", true, "text", false), dictionaries(file));

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, channel, text, n FROM read_parquet('" + file + "')")) {
      int i = 0;
      while (rs.next()) {
        GenericRecord r = written.get(i++);
        assertEquals(r.get("id"), rs.getString(1));
        assertEquals(r.get("channel"), rs.getString(2));
        assertEquals(r.get("text"), rs.getString(3));
        assertEquals(r.get("n"), rs.getLong(4));
      }
      assertEquals(5000, i);
    }

    // The same rows again give the same file.
    FileStat again = LayerOutputs.writeParquet(dir.resolve("again").toString() + "/", "t/part-00000.parquet", "t",
        SCHEMA, rows(5000), new TreeMap<>());
    assertEquals(stat.sha256(), again.sha256());
  }
}
