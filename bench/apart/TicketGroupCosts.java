import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import co.pqrs.lakehouse.transforms.bronze.BronzeSchema;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.silver.CurateSilver;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * What Silver's replay spends grouping a bucket's events by ticket, timed apart: a run's Bronze rows
 * read once into memory as Silver codes them, split into Silver's buckets as its shuffle splits them
 * (by the ticket_id's hash), then, round after round, every bucket's events added to a
 * BronzeEvent.Coded.ByTicket and its tickets taken in the tables' order, as the replay does before
 * it decodes any event. Run it against jars of two commits in turn to compare two groupings.
 *
 *   java -Xmx12g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/TicketGroupCosts.java \
 *       LAKE RUN_ID LABEL [ROUNDS] > out.csv
 *
 * Prints CSV: label,run_id,round,events,buckets,tickets,cpu_ns_per_event (the thread's CPU; the
 * first two rounds warm the compilers, report the median of the rest).
 */
public class TicketGroupCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TicketGroupCosts.java LAKE RUN_ID LABEL [ROUNDS]");
      System.exit(2);
    }
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
    String glob = args[0] + "/bronze/" + BronzeSchema.TABLE + "/run_id=" + args[1] + "/day=*/*.parquet";
    Schema columns = ParquetConfig.projection(BronzeSchema.schema(), CurateSilver.BRONZE_COLUMNS);
    BronzeSchema.CodedReader coded = new BronzeSchema.CodedReader();
    List<BronzeEvent.Coded> all = new ArrayList<>();
    for (MatchResult.Metadata file : FileSystems.match(glob).metadata()) {
      try (ParquetReader<GenericRecord> rows = ParquetFiles.open(file, columns)) {
        for (GenericRecord r = rows.read(); r != null; r = rows.read()) {
          all.add(coded.apply(r));
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no Bronze rows in " + glob);
    }
    int buckets = CurateSilver.bucketsFor(all.size());
    List<List<BronzeEvent.Coded>> byBucket = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      byBucket.add(new ArrayList<>());
    }
    for (BronzeEvent.Coded e : all) {
      byBucket.get(Math.floorMod(e.ticketHash(), buckets)).add(e);
    }

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println("label,run_id,round,events,buckets,tickets,cpu_ns_per_event");
    for (int round = 0; round < rounds; round++) {
      long tickets = 0;
      long start = threads.getCurrentThreadCpuTime();
      for (List<BronzeEvent.Coded> bucket : byBucket) {
        BronzeEvent.Coded.ByTicket groups = new BronzeEvent.Coded.ByTicket();
        for (BronzeEvent.Coded e : bucket) {
          groups.add(e);
        }
        tickets += groups.inTicketOrder().length;
      }
      long ns = threads.getCurrentThreadCpuTime() - start;
      System.out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.1f%n", args[2], args[1], round, all.size(), buckets, tickets,
          ns / (double) all.size());
    }
  }
}
