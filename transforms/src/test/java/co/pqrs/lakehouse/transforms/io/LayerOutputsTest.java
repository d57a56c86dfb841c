package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import co.pqrs.lakehouse.manifest.DataHash;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer encodes each text once for Parquet and the data hash: what it writes and hashes must
 * stay what the rows say, whatever form their texts come in.
 */
class LayerOutputsTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"n\",\"type\":[\"null\",\"long\"],\"default\":null},{\"name\":\"ok\",\"type\":\"boolean\"}]}");
  private static final String[] TEXTS = {"Petición", "QUEJA por el daño", "", "señal 📶 caída", null};

  @TempDir Path dir;

  private static List<GenericRecord> rows(boolean utf8) {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      GenericRecord r = new GenericData.Record(SCHEMA);
      String text = TEXTS[i % TEXTS.length];
      r.put("id", utf8 ? new Utf8("t-" + i) : "t-" + i);
      r.put("text", utf8 && text != null ? new Utf8(text) : text);
      r.put("n", i % 4 == 0 ? null : (long) -i);
      r.put("ok", i % 2 == 0);
      rows.add(r);
    }
    return rows;
  }

  /** The hash's definition: every row's Avro binary encoding, as Avro's own writer gives it. */
  private static DataHash avroHash(List<GenericRecord> rows) throws Exception {
    GenericDatumWriter<GenericRecord> w = new GenericDatumWriter<>(SCHEMA);
    DataHash.Builder h = DataHash.builder();
    for (GenericRecord r : rows) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      BinaryEncoder e = EncoderFactory.get().binaryEncoder(b, null);
      w.write(r, e);
      e.flush();
      h.add(b.toByteArray());
    }
    return h.build();
  }

  @Test
  void textsAsStringsOrUtf8GiveTheSameFileAndTheAvroDefinedHash() throws Exception {
    FileStat strings = LayerOutputs.writeParquet(dir + "/", "s.parquet", "p", SCHEMA, rows(false), new TreeMap<>());
    FileStat utf8 = LayerOutputs.writeParquet(dir + "/", "u.parquet", "p", SCHEMA, rows(true), new TreeMap<>());
    assertArrayEquals(Files.readAllBytes(dir.resolve("s.parquet")), Files.readAllBytes(dir.resolve("u.parquet")));
    assertEquals(strings.sha256(), utf8.sha256());
    assertEquals(avroHash(rows(false)), strings.dataHash());
    assertEquals(avroHash(rows(false)), utf8.dataHash());
    assertEquals(300, strings.rows());

    List<String> texts = new ArrayList<>();
    ParquetFiles.read(dir.resolve("s.parquet").toString(), r -> texts.add(r.get("text") == null ? null : r.get("text").toString()));
    for (int i = 0; i < 300; i++) {
      assertEquals(TEXTS[i % TEXTS.length], texts.get(i), "row " + i);
    }
  }

  @Test
  void theRowsGivenAreLeftAsTheyWere() throws Exception {
    List<GenericRecord> rows = rows(false);
    List<String> before = rows.stream().map(Object::toString).toList();
    LayerOutputs.writeParquet(dir + "/", "s.parquet", "p", SCHEMA, rows, new TreeMap<>());
    assertEquals(before, rows.stream().map(Object::toString).toList());
    assertEquals(String.class, rows.get(1).get("text").getClass());
  }
}
