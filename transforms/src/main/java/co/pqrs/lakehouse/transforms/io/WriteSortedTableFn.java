package co.pqrs.lakehouse.transforms.io;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.slf4j.LoggerFactory;

/**
 * Writes the rows of one table as one Parquet file, {@code part-00000.parquet}, sorted in schema order
 * (key columns come first), so the same rows give the same bytes however they arrived. The key of the
 * group is the table's index ({@link WriteSortedTables.KeyByTableFn}). The layers that write a table
 * in several shards write them as they make their rows ({@link InOrder}) or with {@link #writeShard}.
 */
public class WriteSortedTableFn extends DoFn<KV<Integer, Iterable<TableRow>>, FileStat> {
  /** A table to write: its name, output folder relative to the lakehouse root, and schema. */
  public record Target(String table, String folder, String schemaJson) implements Serializable {
    /** Table {@code table} of {@code layer} for {@code runId}, in {@code layout}. */
    public static Target of(co.pqrs.lakehouse.layout.DataLayout layout, String layer, String runId, String table,
        String schemaJson) {
      return new Target(table, layout.relative(layout.table(layer, table, runId)), schemaJson);
    }
  }

  private final String layer;
  private final String staging;
  private final List<Target> targets;
  private transient List<Schema> schemas;

  /** @param targets in the order of {@link WriteSortedTables}' tables */
  public WriteSortedTableFn(String layer, String staging, List<Target> targets) {
    this.layer = layer;
    this.staging = staging;
    this.targets = List.copyOf(targets);
  }

  @Setup
  public void parseSchemas() {
    schemas = new ArrayList<>();
    targets.forEach(t -> schemas.add(new Schema.Parser().parse(t.schemaJson())));
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<TableRow>> table, OutputReceiver<FileStat> out) throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    table.getValue().forEach(r -> rows.add(r.row()));
    out.output(writeShard(layer, staging, targets.get(table.getKey()), schemas.get(table.getKey()), 0, rows));
  }

  /** Texts in the order a table's rows are sorted by them (Avro's: their UTF-8 bytes). */
  public static final java.util.Comparator<CharSequence> TEXT_ORDER = AvroRows::compareText;

  /**
   * A shard written as its rows come, for a writer that makes them in the table's order, so that it
   * need not hold them: the same file {@link #writeShard} writes from the same rows. Each row is
   * checked against the one before it; one out of order is a bug in the writer, and fails it.
   */
  public static final class InOrder {
    private final String layer;
    private final Target target;
    private final int shard;
    private final AvroRows order;
    private final LayerOutputs.ParquetOut out;
    private GenericRecord last;

    public InOrder(String layer, String staging, Target target, Schema schema, int shard) throws java.io.IOException {
      this.layer = layer;
      this.target = target;
      this.shard = shard;
      this.order = new AvroRows(schema);
      this.out = new LayerOutputs.ParquetOut(staging, target.folder() + file(shard), target.table(), schema);
    }

    public void write(GenericRecord row) throws java.io.IOException {
      if (last != null && order.compare(last, row) > 0) {
        throw new IllegalStateException(layer + " " + target.table() + "/" + file(shard) + ": row " + (out.rows() + 1)
            + " comes before the one written before it in the table's order: " + row + " after " + last);
      }
      out.write(row);
      last = row;
    }

    public FileStat finish() throws Exception {
      return out.finish(counts(layer, target, shard, out.rows()));
    }
  }

  /** A shard's counts ({@code rows.<table>}), logged as it is written. */
  private static TreeMap<String, Long> counts(String layer, Target target, int shard, long rows) {
    LoggerFactory.getLogger(WriteSortedTableFn.class).info("{} {}/{}: {} rows", layer, target.table(), file(shard), rows);
    TreeMap<String, Long> counts = new TreeMap<>();
    counts.put("rows." + target.table(), rows);
    return counts;
  }

  private static String file(int shard) {
    return String.format(java.util.Locale.ROOT, "part-%05d.parquet", shard);
  }

  /** Sorts rows in place in the schema's order (Avro's, {@code GenericData.compare}). */
  public static void sort(Schema schema, List<GenericRecord> rows) {
    new AvroRows(schema).sort(rows);
  }

  /**
   * Sorts {@code rows} in schema order (in place) and writes them as shard {@code shard} of
   * {@code target}'s table, {@code part-<shard>.parquet} under {@code staging}.
   */
  public static FileStat writeShard(String layer, String staging, Target target, Schema schema, int shard,
      List<GenericRecord> rows) throws Exception {
    sort(schema, rows);
    TreeMap<String, Long> counts = counts(layer, target, shard, rows.size());
    return LayerOutputs.writeParquet(staging, target.folder() + file(shard), target.table(), schema, rows, counts);
  }
}
