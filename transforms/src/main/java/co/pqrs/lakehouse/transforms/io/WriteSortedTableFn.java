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
 * Writes the rows of one shard of a table as one Parquet file, {@code part-<shard>.parquet}, sorted
 * in schema order (key columns come first), so the same rows give the same bytes however they
 * arrived. The key of the group names the table and the shard ({@link WriteSortedTables.ShardFn}).
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
  public void process(@Element KV<Integer, Iterable<TableRow>> shard, OutputReceiver<FileStat> out) throws Exception {
    int table = shard.getKey() / WriteSortedTables.MAX_SHARDS;
    List<GenericRecord> rows = new ArrayList<>();
    shard.getValue().forEach(r -> rows.add(r.row()));
    out.output(writeShard(layer, staging, targets.get(table), schemas.get(table),
        shard.getKey() % WriteSortedTables.MAX_SHARDS, rows));
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
    TreeMap<String, Long> counts = new TreeMap<>();
    counts.put("rows." + target.table(), (long) rows.size());
    String file = String.format(java.util.Locale.ROOT, "part-%05d.parquet", shard);
    LoggerFactory.getLogger(WriteSortedTableFn.class).info("{} {}/{}: {} rows", layer, target.table(), file, rows.size());
    return LayerOutputs.writeParquet(staging, target.folder() + file, target.table(), schema, rows, counts);
  }
}
