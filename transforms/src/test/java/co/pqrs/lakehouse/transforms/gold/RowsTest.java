package co.pqrs.lakehouse.transforms.gold;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class RowsTest {
  private static List<String> names(Schema s) {
    return s.getFields().stream().map(Schema.Field::name).toList();
  }

  @Test
  public void aProjectionKeepsTheNamedColumnsInTheSchemasOrderWithTheirTypes() {
    Schema full = SilverTables.TICKETS.schema();
    Schema p = ParquetConfig.projection(full, List.of("is_open", "ticket_id", "closed_ts"));
    assertEquals(List.of("ticket_id", "closed_ts", "is_open"), names(p));
    assertEquals(full.getFullName(), p.getFullName());
    for (Schema.Field f : p.getFields()) {
      assertEquals(f.name(), full.getField(f.name()).schema(), f.schema());
    }
  }

  @Test
  public void aProjectionRefusesAColumnTheTableLacks() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParquetConfig.projection(SilverTables.TICKETS.schema(), List.of("ticket_id", "closed_on")));
    assertEquals("SilverTickets has no column 'closed_on'", e.getMessage());
  }

  @Test
  public void aProjectedRowHasTheKeptValuesAndNoOtherColumn() {
    GenericRecord t = SilverFixtures.ticket(Map.of("ticket_id", "T9", "is_open", false, "channel", "email"));
    Schema p = ParquetConfig.projection(t.getSchema(), List.of("ticket_id", "is_open"));
    GenericRecord r = Rows.project(t, p);
    assertEquals("T9", Rows.string(r, "ticket_id"));
    assertEquals(false, r.get("is_open"));
    assertThrows(AvroRuntimeException.class, () -> r.get("channel"));
  }

  @Test
  public void goldReadsOnlyColumnsOfTheTablesItReads() {
    // Every column Gold names exists in its table (else the projection refuses it), and Gold reads
    // fewer columns than the tables have: the rest stay undecoded in the files.
    for (SilverTables t : List.of(SilverTables.TICKETS, SilverTables.STATUS_EVENTS, SilverTables.PRECLASSIFICATION)) {
      Schema in = AggregateGold.input(t);
      assertTrue(t.table, in.getFields().size() < t.schema().getFields().size());
    }
    assertThrows(IllegalArgumentException.class, () -> AggregateGold.input(SilverTables.MESSAGES));
  }
}
