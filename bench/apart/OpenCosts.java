import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.gold.AggregateGold;
import co.pqrs.lakehouse.transforms.io.ParquetConfig;
import co.pqrs.lakehouse.transforms.io.ParquetFiles;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * What reading a Parquet file whole costs a file, timed apart: every Silver ticket file of a run
 * read with the columns Gold's ticket pass asks for, once by Parquet's own reader (its builder, as
 * ParquetFiles did before the forty-eighth change) and once by ParquetFiles.Rows, in alternating
 * order, round after round, in one JVM. Both must give the same rows (their count and the sum of
 * their hash codes are printed beside the times).
 *
 *   java -Xmx1g -cp pipelines/target/pqrs-lakehouse.jar bench/apart/OpenCosts.java LAKE RUN_ID [ROUNDS] > out.csv
 *
 * Prints CSV: run_id,round,reader,files,rows,row_hash,cpu_ms,cpu_ms_per_file (the thread's CPU; the
 * first two rounds warm the compilers, report the median of the rest).
 */
public class OpenCosts {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: OpenCosts LAKE RUN_ID [ROUNDS]");
      System.exit(2);
    }
    String runId = args[1];
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    String glob = DataLayout.at(args[0]).table(DataLayout.SILVER, SilverTables.TICKETS.table, runId) + "*.parquet";
    List<MatchResult.Metadata> files = FileSystems.match(glob).metadata();
    if (files.isEmpty()) {
      System.err.println("OpenCosts: no Silver ticket files at " + glob + ": run Silver on " + runId + " first");
      System.exit(2);
    }
    Schema columns = AggregateGold.input(SilverTables.TICKETS);
    com.sun.management.ThreadMXBean cpu = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.println("run_id,round,reader,files,rows,row_hash,cpu_ms,cpu_ms_per_file");
    for (int round = 0; round < rounds; round++) {
      for (boolean parquets : round % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
        long cpu0 = cpu.getCurrentThreadCpuTime();
        long rows = 0;
        long hash = 0;
        for (MatchResult.Metadata f : files) {
          if (parquets) {
            try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new ParquetFiles.BeamInputFile(f))
                .withDataModel(GenericData.get()).withConf(ParquetConfig.readingOnly(columns)).build()) {
              for (GenericRecord g = r.read(); g != null; g = r.read()) {
                rows++;
                hash += g.hashCode();
              }
            }
          } else {
            try (ParquetFiles.Rows r = ParquetFiles.open(f, columns)) {
              for (GenericRecord g = r.read(); g != null; g = r.read()) {
                rows++;
                hash += g.hashCode();
              }
            }
          }
        }
        double ms = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6;
        System.out.printf(Locale.ROOT, "%s,%d,%s,%d,%d,%d,%.1f,%.2f%n", runId, round,
            parquets ? "parquet-builder" : "parquetfiles-rows", files.size(), rows, hash, ms, ms / files.size());
      }
    }
  }
}
