package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read whole outside a pipeline: every row in its order across row groups, only the columns
 * asked for, and without parsing Hadoop's default resources (which Parquet's own reader parsed again
 * for every file it opened).
 */
class ParquetFilesTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"n\",\"type\":\"long\"}]}");
  private static final Schema ID_AND_N = ParquetConfig.projection(SCHEMA, List.of("id", "n"));
  // A test resource that is not XML: whatever loads Hadoop's default resources while it is one fails.
  private static final String UNPARSEABLE = "pqrs-unparseable-default.xml";

  @TempDir Path dir;

  /** 3,000 rows in row groups of about 4 KB, so the reader crosses from group to group. */
  private Path file() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FlatParquetWriter w = ParquetWriters.open(new AvroRows(SCHEMA), out, 4_096)) {
      for (int i = 0; i < 3_000; i++) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", String.format("t-%05d", i));
        r.put("text", i % 7 == 0 ? null : "queja " + i);
        r.put("n", (long) i * i);
        w.write(r);
      }
    }
    return Files.write(dir.resolve("f.parquet"), out.toByteArray());
  }

  @Test
  void everyRowComesInItsOrderAcrossRowGroups() throws Exception {
    Path f = file();
    try (ParquetFileReader footer = ParquetFileReader.open(new ParquetFiles.BeamInputFile(f.toString()))) {
      assertTrue(footer.getFooter().getBlocks().size() >= 3, "row groups: " + footer.getFooter().getBlocks().size());
    }
    List<GenericRecord> rows = new ArrayList<>();
    assertEquals(3_000, ParquetFiles.read(f.toString(), rows::add));
    for (int i = 0; i < 3_000; i++) {
      GenericRecord r = rows.get(i);
      assertEquals(String.format("t-%05d", i), r.get("id").toString(), "row " + i);
      assertEquals(i % 7 == 0 ? null : "queja " + i, r.get("text") == null ? null : r.get("text").toString(), "row " + i);
      assertEquals((long) i * i, r.get("n"), "row " + i);
    }
  }

  @Test
  void aFileOpenedWithColumnsGivesRowsOfOnlyThoseAndThenNull() throws Exception {
    Path f = file();
    long n = 0;
    try (ParquetFiles.Rows rows = ParquetFiles.open(FileSystems.matchSingleFileSpec(f.toString()), ID_AND_N)) {
      for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
        assertEquals(ID_AND_N, r.getSchema());
        assertEquals(n * n, r.get("n"));
        n++;
      }
      assertNull(rows.read(), "still null after the end");
    }
    assertEquals(3_000, n);
  }

  @Test
  void readingParsesNoneOfHadoopsDefaultResources() throws Exception {
    Path f = file();
    Configuration.addDefaultResource(UNPARSEABLE);
    try {
      // The sentinel is on the test class path and breaks any configuration that loads the defaults.
      assertThrows(RuntimeException.class, () -> new Configuration().get("any.key"));
      assertEquals(3_000, ParquetFiles.read(f.toString(), r -> { }));
      try (ParquetFiles.Rows rows = ParquetFiles.open(FileSystems.matchSingleFileSpec(f.toString()), ID_AND_N)) {
        assertEquals("t-00000", rows.read().get("id").toString());
      }
    } finally {
      defaultResources().remove(UNPARSEABLE);
    }
    assertNull(new Configuration().get("any.key"), "the defaults load again once the sentinel is gone");
  }

  /** Hadoop offers no way to take a default resource back: its list, by reflection. */
  @SuppressWarnings("unchecked")
  private static List<String> defaultResources() throws Exception {
    Field f = Configuration.class.getDeclaredField("defaultResources");
    f.setAccessible(true);
    return (List<String>) f.get(null);
  }
}
