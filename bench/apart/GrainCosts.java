package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What Gold's ticket pass spends on the KPIs' contributions, timed apart: a run's Silver tickets
 * read once into memory (as Gold reads them, as of the run's Gold as-of), then, round after round,
 * every ticket KPI's contributions of every ticket merged into one bundle's cells per Silver file
 * and handed over, as AggregateGold's ticket pass does for a file. Neither the reading nor the
 * snapshot rows are timed. It lives in Gold's package (it calls the pass's own Partials and KPI
 * list), so it is compiled and run from a classes folder, not as a single source file:
 *
 *   javac -d /tmp/apart -cp pipelines/target/pqrs-lakehouse.jar bench/apart/GrainCosts.java
 *   java -Xmx4g -cp pipelines/target/pqrs-lakehouse.jar:/tmp/apart \
 *       co.pqrs.lakehouse.transforms.gold.GrainCosts LAKE RUN_ID LABEL [ROUNDS] > out.csv
 *
 * The same source compiles against a jar of any commit since Partials.contribute and drain: run it
 * against two jars in turn, in separate JVMs, to compare two ways of merging. LAKE holds the run's
 * Silver and Gold (for the as-of). Prints CSV: label,run_id,round,tickets,cells,cpu_ns_per_ticket
 * (the thread's CPU; the first two rounds warm the compilers, report the median of the rest).
 */
public class GrainCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: GrainCosts LAKE RUN_ID LABEL [ROUNDS]");
      System.exit(2);
    }
    String lake = args[0];
    String runId = args[1];
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    DataLayout layout = DataLayout.at(lake);
    // The instant the run's Gold describes, as Gold recorded it.
    Manifest gold = RunPublisher.readManifest(layout.manifest(DataLayout.GOLD, runId));
    if (gold == null || gold.parameters().get("as_of") == null) {
      System.err.println("GrainCosts: no Gold as-of for run " + runId + " ("
          + layout.manifest(DataLayout.GOLD, runId) + "): run Gold on it first");
      System.exit(2);
    }
    Instant asOf = Instant.parse(String.valueOf(gold.parameters().get("as_of")));

    BusinessCalendar calendar = BusinessCalendar.colombia();
    List<List<GoldTicket>> files = new ArrayList<>();
    long tickets = 0;
    String glob = layout.table(DataLayout.SILVER, SilverTables.TICKETS.table, runId) + "*.parquet";
    for (MatchResult.Metadata file : FileSystems.match(glob).metadata()) {
      List<GoldTicket> rows = new ArrayList<>();
      try (ParquetFiles.Rows r = ParquetFiles.open(file, AggregateGold.input(SilverTables.TICKETS))) {
        for (GenericRecord row = r.read(); row != null; row = r.read()) {
          rows.add(GoldTicket.fromSilver(row, calendar, asOf));
        }
      }
      files.add(rows);
      tickets += rows.size();
    }
    if (tickets == 0) {
      throw new IllegalArgumentException("no Silver tickets in " + glob);
    }

    List<Kpi<GoldTicket>> kpis = AggregateGold.ticketKpis();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println("label,run_id,round,tickets,cells,cpu_ns_per_ticket");
    for (int round = 0; round < rounds; round++) {
      long[] cells = {0};
      long start = threads.getCurrentThreadCpuTime();
      for (List<GoldTicket> file : files) {
        AggregateGold.Partials partials = new AggregateGold.Partials();
        for (GoldTicket t : file) {
          for (Kpi<GoldTicket> kpi : kpis) {
            partials.contribute(kpi, t);
          }
        }
        partials.drain(kv -> cells[0]++);
      }
      long ns = threads.getCurrentThreadCpuTime() - start;
      System.out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%.1f%n", args[2], runId, round, tickets, cells[0],
          ns / (double) tickets);
    }
  }
}
