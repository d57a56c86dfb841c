package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** Rows of several tables travel in one PCollection and come back as they were, each with its schema. */
class TableRowCoderTest {
  private static final String A = "{\"type\":\"record\",\"name\":\"a\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":[\"null\",\"long\"],\"default\":null}]}";
  private static final String B = "{\"type\":\"record\",\"name\":\"b\",\"fields\":["
      + "{\"name\":\"ok\",\"type\":\"boolean\"},{\"name\":\"x\",\"type\":\"double\"}]}";
  private static final List<WriteSortedTables.Table> TABLES = List.of(
      new WriteSortedTables.Table("a", null, A), new WriteSortedTables.Table("b", null, B));

  private static TableRow a(String id, Long n) {
    GenericRecord r = new GenericData.Record(new Schema.Parser().parse(A));
    r.put("id", id);
    r.put("n", n);
    return new TableRow("a", r);
  }

  private static TableRow b(boolean ok, double x) {
    GenericRecord r = new GenericData.Record(new Schema.Parser().parse(B));
    r.put("ok", ok);
    r.put("x", x);
    return new TableRow("b", r);
  }

  @Test
  void rowsOfDifferentTablesRoundTrip() throws Exception {
    TableRow.Coder coder = TableRow.Coder.of(TABLES);
    for (TableRow r : List.of(a("t-1", 7L), a("ñandú", null), b(true, 2.5))) {
      TableRow back = CoderUtils.clone(coder, r);
      assertEquals(r.table(), back.table());
      assertEquals(r.row(), back.row());
    }
    // Survives the trip to a worker, and works there (its caches are rebuilt, not null).
    TableRow.Coder onWorker = SerializableUtils.clone(coder);
    assertEquals(coder, onWorker);
    TableRow r = b(true, 2.5);
    assertEquals(r.row(), CoderUtils.decodeFromByteArray(onWorker, CoderUtils.encodeToByteArray(coder, r)).row());
  }

  @Test
  void twoRowsInOneStreamDecodeApart() throws Exception {
    TableRow.Coder coder = TableRow.Coder.of(TABLES);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(a("x", 1L), out);
    coder.encode(b(false, -1), out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertEquals("a", coder.decode(in).table());
    assertEquals(Boolean.FALSE, coder.decode(in).row().get("ok"));
    assertEquals(0, in.available());
  }

  @Test
  void aRowOfAnUnknownTableIsRefusedByName() {
    TableRow.Coder coder = TableRow.Coder.of(TABLES.subList(0, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> coder.encode(b(true, 1), new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains("no schema for table b"), e.getMessage());
  }
}
