package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard written row by row as its rows come in order is the file the sorting writer makes of them. */
class WriteSortedTableFnTest {
  // Sorted by ticket_id, then sequence, as Silver's status events are; note is left out of the order.
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"s\",\"fields\":["
      + "{\"name\":\"ticket_id\",\"type\":\"string\"},{\"name\":\"sequence\",\"type\":\"int\"},"
      + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null,\"order\":\"ignore\"}]}");
  // Ids whose order as UTF-8 bytes (the table's) differs from their order as Strings.
  private static final String[] IDS = {"a", "b", "é", "😀", "\ue000", "Z", "a-1", "a-10"};

  @TempDir Path dir;

  @Test
  void rowsWrittenInOrderAreTheSortedShardsFile() throws Exception {
    List<String> ids = new ArrayList<>(List.of(IDS));
    ids.sort(WriteSortedTableFn.TEXT_ORDER);
    List<GenericRecord> inOrder = new ArrayList<>();
    for (String id : ids) {
      for (int seq = 1; seq <= 3; seq++) {
        inOrder.add(row(id, seq, seq == 2 ? null : "nota " + id));
      }
    }
    WriteSortedTableFn.Target a = new WriteSortedTableFn.Target("status_events", "a/", SCHEMA.toString());
    WriteSortedTableFn.Target b = new WriteSortedTableFn.Target("status_events", "b/", SCHEMA.toString());
    WriteSortedTableFn.InOrder streamed = new WriteSortedTableFn.InOrder("silver", dir + "/", a, SCHEMA, 7);
    for (GenericRecord r : inOrder) {
      streamed.write(r);
    }
    FileStat one = streamed.finish();
    List<GenericRecord> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled, new Random(3));
    FileStat other = WriteSortedTableFn.writeShard("silver", dir + "/", b, SCHEMA, 7, shuffled);
    assertArrayEquals(Files.readAllBytes(dir.resolve("b/part-00007.parquet")),
        Files.readAllBytes(dir.resolve("a/part-00007.parquet")));
    assertEquals(other.sha256(), one.sha256());
    assertEquals(other.dataHash(), one.dataHash());
    assertEquals(other.counts(), one.counts());
    assertEquals(24L, one.counts().get("rows.status_events"));
  }

  @Test
  void rowsMadeFromPendingOnesAreTheSortedShardsFile() throws Exception {
    // Ids that tie in their first eight bytes, and each id thrice: the rows of one id are sorted by sequence.
    List<String> ids = new ArrayList<>(List.of(IDS));
    ids.addAll(List.of("ticket-000001", "ticket-000000", "ticket-00000"));
    List<WriteSortedTableFn.Pending<Integer>> pending = new ArrayList<>();
    List<GenericRecord> rows = new ArrayList<>();
    for (String id : ids) {
      for (int seq = 1; seq <= 3; seq++) {
        pending.add(new WriteSortedTableFn.Pending<>(id, seq));
        rows.add(row(id, seq, "nota " + id + seq));
      }
    }
    Collections.shuffle(pending, new Random(5));
    WriteSortedTableFn.Target a = new WriteSortedTableFn.Target("status_events", "p/", SCHEMA.toString());
    WriteSortedTableFn.Target b = new WriteSortedTableFn.Target("status_events", "q/", SCHEMA.toString());
    List<Integer> made = new ArrayList<>();
    FileStat one = WriteSortedTableFn.writeShardFromFirstField("silver", dir + "/", a, SCHEMA, 2, pending, p -> {
      made.add(p.source());
      return row(p.first(), p.source(), "nota " + p.first() + p.source());
    });
    FileStat other = WriteSortedTableFn.writeShard("silver", dir + "/", b, SCHEMA, 2, rows);
    assertArrayEquals(Files.readAllBytes(dir.resolve("q/part-00002.parquet")),
        Files.readAllBytes(dir.resolve("p/part-00002.parquet")));
    assertEquals(other.dataHash(), one.dataHash());
    assertEquals(33L, one.counts().get("rows.status_events"));
    assertEquals(33, made.size()); // each row made once
  }

  @Test
  void pendingRowsNeedATableOrderedByItsFirstFieldAsAText() {
    Schema bySequence = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"s\",\"fields\":["
        + "{\"name\":\"ticket_id\",\"type\":\"string\",\"order\":\"descending\"},{\"name\":\"sequence\",\"type\":\"int\"}]}");
    WriteSortedTableFn.Target t = new WriteSortedTableFn.Target("status_events", "d/", bySequence.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WriteSortedTableFn
        .writeShardFromFirstField("silver", dir + "/", t, bySequence, 0,
            List.of(new WriteSortedTableFn.Pending<>("a", 1)), p -> row(p.first(), p.source(), null)));
    assertTrue(e.getMessage().contains("status_events: the table's order does not compare its first field (ticket_id)"),
        e.getMessage());
  }

  @Test
  void aRowMadeWithAnotherFirstFieldThanItWasSortedByFailsTheWrite() {
    WriteSortedTableFn.Target t = new WriteSortedTableFn.Target("status_events", "e/", SCHEMA.toString());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> WriteSortedTableFn
        .writeShardFromFirstField("silver", dir + "/", t, SCHEMA, 0,
            List.of(new WriteSortedTableFn.Pending<>("a", 1)), p -> row("b", p.source(), null)));
    assertTrue(e.getMessage().contains("status_events: a row made from a pending row held as \"a\" has b as its ticket_id"),
        e.getMessage());
  }

  @Test
  void aRowOutOfTheTablesOrderFailsTheWrite() throws Exception {
    WriteSortedTableFn.Target t = new WriteSortedTableFn.Target("status_events", "c/", SCHEMA.toString());
    WriteSortedTableFn.InOrder streamed = new WriteSortedTableFn.InOrder("silver", dir + "/", t, SCHEMA, 0);
    // In String order 😀 (a surrogate pair) comes first; in the table's, U+E000's bytes do.
    streamed.write(row("😀", 1, null));
    streamed.write(row("😀", 2, "x")); // a later sequence: in order
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> streamed.write(row("\ue000", 1, null)));
    assertTrue(e.getMessage().contains("status_events/part-00000.parquet: row 3"), e.getMessage());
  }

  private static GenericRecord row(String id, int sequence, String note) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("ticket_id", id);
    r.put("sequence", sequence);
    r.put("note", note);
    return r;
  }
}
