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
 * (by the ticket_id's hash) and encoded as the shuffle hands them over; then, round after round,
 * every bucket decoded event by event and held in a list ("decode"), and decoded and added to a
 * BronzeEvent.Coded.ByTicket whose tickets are then taken in the tables' order ("decode and group"),
 * as the replay does before it decodes any event's fields. The grouping's cost is the difference.
 * Run it against jars of two commits in turn to compare two groupings.
 *
 *   java -Xmx12g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/TicketGroupCosts.java \
 *       LAKE RUN_ID LABEL [ROUNDS] > out.csv
 *
 * Prints CSV: label,run_id,round,step,events,buckets,tickets,cpu_ns_per_event (the thread's CPU per
 * event of the run; the first two rounds warm the compilers, report the median of the rest).
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
    long events = all.size();
    List<List<BronzeEvent.Coded>> byBucket = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      byBucket.add(new ArrayList<>());
    }
    for (BronzeEvent.Coded e : all) {
      byBucket.get(Math.floorMod(e.ticketHash(), buckets)).add(e);
    }

    // Each bucket as the bytes Silver's shuffle hands over: the replay decodes them as it groups, so
    // an event's fields are fresh in the cache when their ticket_id is looked at, as in the pipeline.
    List<byte[]> shuffled = new ArrayList<>();
    for (List<BronzeEvent.Coded> bucket : byBucket) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      for (BronzeEvent.Coded e : bucket) {
        BronzeEvent.Coded.Coder.of().encode(e, bytes);
      }
      shuffled.add(bytes.toByteArray());
    }
    int[] sizes = byBucket.stream().mapToInt(List::size).toArray();
    all.clear();
    byBucket.clear();

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println("label,run_id,round,step,events,buckets,tickets,cpu_ns_per_event");
    for (int round = 0; round < rounds; round++) {
      for (String step : List.of("decode", "decode and group")) {
        long tickets = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (int b = 0; b < buckets; b++) {
          java.io.InputStream in = new java.io.ByteArrayInputStream(shuffled.get(b));
          BronzeEvent.Coded.ByTicket groups = new BronzeEvent.Coded.ByTicket();
          List<BronzeEvent.Coded> held = new ArrayList<>(sizes[b]);
          for (int i = 0; i < sizes[b]; i++) {
            BronzeEvent.Coded e = BronzeEvent.Coded.Coder.of().decode(in);
            if (step.equals("decode")) {
              held.add(e);
            } else {
              groups.add(e);
            }
          }
          tickets += step.equals("decode") ? held.size() : groups.inTicketOrder().length;
        }
        long ns = threads.getCurrentThreadCpuTime() - start;
        System.out.printf(Locale.ROOT, "%s,%s,%d,%s,%d,%d,%d,%.1f%n", args[2], args[1], round, step, events, buckets,
            tickets, ns / (double) events);
      }
    }
  }
}
