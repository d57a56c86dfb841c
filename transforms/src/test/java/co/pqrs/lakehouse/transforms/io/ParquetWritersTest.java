package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A column's dictionary is what its contract says, and a contract that says something else is refused. */
class ParquetWritersTest {
  /** Three columns whose values repeat (so that Parquet keeps a dictionary it is given), one marked as given. */
  private static Schema schema(String kindDictionary) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"r\",\"namespace\":\"t\",\"fields\":["
        + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"kind\",\"type\":\"string\""
        + (kindDictionary == null ? "" : ",\"parquet_dictionary\":" + kindDictionary)
        + "},{\"name\":\"ts\",\"type\":\"long\",\"parquet_dictionary\":true}]}");
  }

  @TempDir Path dir;

  /** Which columns of the file at {@code name} have a dictionary page, by column name. */
  private Map<String, Boolean> dictionaries(String name, Schema schema) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      GenericRecord r = new GenericData.Record(schema);
      r.put("id", String.format("id-%05d", i / 4));
      r.put("kind", i % 3 == 0 ? "queja" : "peticion");
      r.put("ts", 1_700_000_000_000_000L + i % 10);
      rows.add(r);
    }
    FileStat stat = LayerOutputs.writeParquet(dir + "/", name, "p", schema, rows, new TreeMap<>());
    assertEquals(2_000, stat.rows());
    Map<String, Boolean> dictionary = new HashMap<>();
    try (ParquetFileReader f = ParquetFileReader.open(new ParquetFiles.BeamInputFile(dir.resolve(name).toString()))) {
      for (ColumnChunkMetaData c : f.getFooter().getBlocks().get(0).getColumns()) {
        dictionary.put(c.getPath().toDotString(), c.hasDictionaryPage());
      }
    }
    List<String> ids = new ArrayList<>();
    ParquetFiles.read(dir.resolve(name).toString(), r -> ids.add(r.get("id").toString()));
    assertEquals("id-00499", ids.get(1_999));
    return dictionary;
  }

  @Test
  void aColumnMarkedFalseHasNoDictionaryAndTheOthersKeepTheirs() throws Exception {
    Map<String, Boolean> off = dictionaries("off.parquet", schema("false"));
    assertFalse(off.get("kind"));
    assertTrue(off.get("id"));
    assertTrue(off.get("ts"));

    Map<String, Boolean> unmarked = dictionaries("on.parquet", schema(null));
    assertTrue(unmarked.get("kind"), "two values in 2,000 rows: Parquet keeps the dictionary it is given");
  }

  /**
   * Two writers open side by side, whose tables differ in one column's dictionary: each keeps its own
   * settings in every row group, including those it starts after the other writer was opened.
   */
  @Test
  void aWriterKeepsItsOwnSettingsWhileAnotherTablesWriterIsOpen() throws Exception {
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    Schema withDictionary = schema(null);
    Schema without = schema("false");
    try (FlatParquetWriter a = ParquetWriters.open(new AvroRows(withDictionary), first, 1_024);
        FlatParquetWriter b = ParquetWriters.open(new AvroRows(without), second, 1_024)) {
      for (int i = 0; i < 1_000; i++) {
        a.write(row(withDictionary, i));
        b.write(row(without, i));
      }
    }
    assertEquals(List.of(true), kindDictionaries(first), "the first table keeps its dictionary in every row group");
    assertEquals(List.of(false), kindDictionaries(second), "the second has none in any");
  }

  private static GenericRecord row(Schema schema, int i) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("id", String.format("id-%05d", i / 4));
    r.put("kind", i % 3 == 0 ? "queja" : "peticion");
    r.put("ts", 1_700_000_000_000_000L + i % 10);
    return r;
  }

  /** Whether "kind" has a dictionary page, once per distinct answer over the file's row groups (at least two). */
  private List<Boolean> kindDictionaries(ByteArrayOutputStream file) throws Exception {
    Path p = Files.write(dir.resolve("f" + file.size() + "-" + System.identityHashCode(file) + ".parquet"),
        file.toByteArray());
    try (ParquetFileReader f = ParquetFileReader.open(new ParquetFiles.BeamInputFile(p.toString()))) {
      List<BlockMetaData> groups = f.getFooter().getBlocks();
      assertTrue(groups.size() >= 2, "several row groups: " + groups.size());
      return groups.stream().map(g -> g.getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals("kind")).findFirst().orElseThrow().hasDictionaryPage())
          .distinct().toList();
    }
  }

  @Test
  void aPropertyThatIsNotABooleanIsRefusedNamingTheField() {
    Schema s = schema("\"no\"");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dictionaries("bad.parquet", s));
    assertTrue(e.getMessage().contains("t.r, field kind"), e.getMessage());
    assertTrue(e.getMessage().contains("\"parquet_dictionary\" must be true or false"), e.getMessage());
  }

  @Test
  void theContractsMarkTheirColumnsWithBooleans() {
    List<Schema> contracts = new ArrayList<>();
    contracts.add(BronzeSchema.schema());
    for (SilverTables t : SilverTables.values()) {
      contracts.add(t.schema());
    }
    for (GoldTable t : GoldTable.values()) {
      contracts.add(t.schema());
    }
    int off = 0;
    for (Schema s : contracts) {
      for (Schema.Field f : s.getFields()) {
        off += ParquetWriters.dictionary(s, f) ? 0 : 1; // throws on anything but a boolean
      }
    }
    assertTrue(off > 0, "the contracts turn some dictionaries off");
  }
}
