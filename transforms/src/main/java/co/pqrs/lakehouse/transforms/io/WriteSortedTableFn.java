package co.pqrs.lakehouse.transforms.io;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.KV;
import org.slf4j.LoggerFactory;

/**
 * Writes the rows of one shard of a table as one Parquet file, {@code part-<shard>.parquet}, sorted
 * in schema order (key columns come first), so the same rows give the same bytes however they
 * arrived. The key of the group is the shard ({@link WriteSortedTables}).
 */
public class WriteSortedTableFn extends ParquetWriterFn<Integer, GenericRecord, FileStat> {
  private final String layer;
  private final String table;

  /**
   * @param folder the table's output folder relative to the lakehouse root
   */
  public WriteSortedTableFn(String layer, String staging, String folder, String table, String schemaJson) {
    super(staging, folder, schemaJson);
    this.layer = layer;
    this.table = table;
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<GenericRecord>> shard, OutputReceiver<FileStat> out)
      throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    shard.getValue().forEach(rows::add);
    rows.sort((a, b) -> GenericData.get().compare(a, b, schema));
    TreeMap<String, Long> counts = new TreeMap<>();
    counts.put("rows." + table, (long) rows.size());
    String file = String.format(java.util.Locale.ROOT, "part-%05d.parquet", shard.getKey());
    LoggerFactory.getLogger(WriteSortedTableFn.class).info("{} {}/{}: {} rows", layer, table, file, rows.size());
    out.output(LayerOutputs.writeParquet(staging, folder + file, table, schema, rows, counts));
  }
}
