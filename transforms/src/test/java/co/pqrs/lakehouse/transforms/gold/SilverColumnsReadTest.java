package co.pqrs.lakehouse.transforms.gold;

import static co.pqrs.lakehouse.transforms.gold.SilverFixtures.bogota;
import static org.junit.Assert.assertEquals;

import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Gold's reads of Silver files: on the DirectRunner, which encodes every row with the read's coder,
 * and by the ticket pass, which reads each ticket file whole. The rows must be rows of the columns
 * Gold asks for, not of the file's whole schema.
 */
@RunWith(JUnit4.class)
public class SilverColumnsReadTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder dir = new TemporaryFolder();

  private List<GenericRecord> writeTickets(String folder) throws Exception {
    List<GenericRecord> tickets = new ArrayList<>();
    tickets.add(SilverFixtures.ticket(Map.of("ticket_id", "T1", "channel", "email", "priority", "baja",
        "municipality_name", "Bogotá", "created_ts", bogota("2025-03-03T09:00"), "is_open", true,
        "sla_elapsed_business_days", 1.5)));
    tickets.add(SilverFixtures.ticket(Map.of("ticket_id", "T2", "current_state", "CLOSED", "is_open", false,
        "closed_ts", bogota("2025-03-05T10:00"), "reopen_count", 2)));
    LayerOutputs.writeParquet(folder, "part-00000.parquet", "p", SilverTables.TICKETS.schema(), tickets,
        new TreeMap<>());
    return tickets;
  }

  @Test
  public void rowsComeWithOnlyTheColumnsGoldReads() throws Exception {
    String folder = dir.getRoot().getPath() + "/tickets/";
    List<GenericRecord> tickets = writeTickets(folder);
    Schema columns = AggregateGold.input(SilverTables.TICKETS);
    List<GenericRecord> expected = tickets.stream().map(t -> Rows.project(t, columns)).toList();
    PAssert.that(GoldRun.readColumns(p.begin(), SilverTables.TICKETS, folder + "*.parquet"))
        .containsInAnyOrder(expected);
    p.run();
  }

  @Test
  public void aTicketFileIsReadWholeWithOnlyTheColumnsGoldReads() throws Exception {
    String folder = dir.getRoot().getPath() + "/tickets/";
    List<GenericRecord> tickets = writeTickets(folder);
    Schema columns = AggregateGold.input(SilverTables.TICKETS);
    List<GenericRecord> read = new ArrayList<>();
    try (ParquetFiles.Rows rows = ParquetFiles.open(FileSystems.matchSingleFileSpec(folder + "part-00000.parquet"),
        columns)) {
      for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
        assertEquals(columns, r.getSchema());
        read.add(r);
      }
    }
    assertEquals(tickets.stream().map(t -> Rows.project(t, columns)).toList(), read);
  }
}
