package co.pqrs.lakehouse.transforms.gold;

import static co.pqrs.lakehouse.transforms.gold.SilverFixtures.bogota;

import co.pqrs.lakehouse.transforms.io.LayerOutputs;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Gold's read of Silver files on the DirectRunner, which encodes every row with the read's coder:
 * the rows must be rows of the columns Gold asks for, not of the file's whole schema.
 */
@RunWith(JUnit4.class)
public class SilverColumnsReadTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final TemporaryFolder dir = new TemporaryFolder();

  @Test
  public void rowsComeWithOnlyTheColumnsGoldReads() throws Exception {
    List<GenericRecord> tickets = new ArrayList<>();
    tickets.add(SilverFixtures.ticket(Map.of("ticket_id", "T1", "channel", "email", "priority", "baja",
        "municipality_name", "Bogotá", "created_ts", bogota("2025-03-03T09:00"), "is_open", true,
        "sla_elapsed_business_days", 1.5)));
    tickets.add(SilverFixtures.ticket(Map.of("ticket_id", "T2", "current_state", "CLOSED", "is_open", false,
        "closed_ts", bogota("2025-03-05T10:00"), "reopen_count", 2)));
    String folder = dir.getRoot().getPath() + "/tickets/";
    LayerOutputs.writeParquet(folder, "part-00000.parquet", "p", SilverTables.TICKETS.schema(), tickets,
        new TreeMap<>());

    Schema columns = AggregateGold.input(SilverTables.TICKETS);
    List<GenericRecord> expected = tickets.stream().map(t -> Rows.project(t, columns)).toList();
    PAssert.that(GoldRun.readColumns(p.begin(), SilverTables.TICKETS, folder + "*.parquet"))
        .containsInAnyOrder(expected);
    p.run();
  }
}
