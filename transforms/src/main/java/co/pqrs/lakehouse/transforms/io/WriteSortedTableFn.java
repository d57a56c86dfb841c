package co.pqrs.lakehouse.transforms.io;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.KV;
import org.slf4j.LoggerFactory;

/**
 * Writes all rows of one table as one Parquet file, sorted in schema order (key columns come first),
 * so the same rows give the same bytes however they arrived. The key of the group is the table name.
 */
public class WriteSortedTableFn extends ParquetWriterFn<String, GenericRecord> {
  private final String layer;

  /**
   * @param folder the table's output folder relative to the lakehouse root
   */
  public WriteSortedTableFn(String layer, String staging, String folder, String schemaJson) {
    super(staging, folder, schemaJson);
    this.layer = layer;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<GenericRecord>> table, OutputReceiver<FileStat> out)
      throws Exception {
    List<GenericRecord> rows = new ArrayList<>();
    table.getValue().forEach(rows::add);
    rows.sort((a, b) -> GenericData.get().compare(a, b, schema));
    TreeMap<String, Long> counts = new TreeMap<>();
    counts.put("rows." + table.getKey(), (long) rows.size());
    LoggerFactory.getLogger(WriteSortedTableFn.class).info("{} {}: {} rows", layer, table.getKey(), rows.size());
    out.output(LayerOutputs.writeParquet(staging, folder + "part-00000.parquet", table.getKey(), schema, rows, counts));
  }
}
