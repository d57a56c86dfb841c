package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard is written sorted, and its strings given as Utf8 change nothing in the file or the hash. */
class WriteSortedTableFnTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"t\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"n\",\"type\":\"long\"}]}");

  @TempDir
  Path dir;

  private static List<GenericRecord> rows() {
    List<GenericRecord> out = new ArrayList<>();
    // Unsorted, with non-ASCII text, a null and a repeated id.
    String[][] v = {{"c", "días hábiles"}, {"a", null}, {"b", "radicado Nº 7"}, {"a", "ñ"}, {"é", "x"}};
    for (int i = 0; i < v.length; i++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      r.put("id", v[i][0]);
      r.put("note", v[i][1]);
      r.put("n", (long) i);
      out.add(r);
    }
    return out;
  }

  @Test
  void writesTheSameBytesAsPlainStringsInSchemaOrder() throws Exception {
    String staging = dir.resolve("staging").toString() + "/";
    WriteSortedTableFn.Target target = new WriteSortedTableFn.Target("t", "t/", SCHEMA.toString());
    List<GenericRecord> shard = rows();
    FileStat written = WriteSortedTableFn.writeShard("test", staging, target, SCHEMA, 3, shard);

    assertEquals("t/part-00003.parquet", written.relativePath());
    assertEquals(5, written.rows());
    assertInstanceOf(Utf8.class, shard.get(0).get("id"));
    // Sorted by id, then note (null first), then n; compared as the UTF-8 bytes Avro compares.
    List<String> order = shard.stream().map(r -> r.get("id") + "/" + r.get("note")).toList();
    assertEquals(List.of("a/null", "a/ñ", "b/radicado Nº 7", "c/días hábiles", "é/x"), order);

    // The same rows as Strings, in that order, written without the conversion.
    List<GenericRecord> plain = rows();
    plain.sort((a, b) -> GenericData.get().compare(a, b, SCHEMA));
    assertInstanceOf(String.class, plain.get(0).get("id"));
    FileStat reference = LayerOutputs.writeParquet(dir.resolve("plain").toString() + "/", "t/part-00003.parquet", "t",
        SCHEMA, plain, new TreeMap<>());
    assertEquals(reference.sha256(), written.sha256());
    assertEquals(reference.dataHash(), written.dataHash());
    assertArrayEquals(Files.readAllBytes(dir.resolve("plain/t/part-00003.parquet")),
        Files.readAllBytes(dir.resolve("staging/t/part-00003.parquet")));
  }
}
