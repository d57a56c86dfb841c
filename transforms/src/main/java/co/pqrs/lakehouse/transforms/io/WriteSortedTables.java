package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes each table of a layer's output tuple as sorted Parquet files under the layer's staging
 * folder ({@link WriteSortedTableFn}), and gives the written files for the publishing step. Gold
 * writes its KPI tables this way (Silver writes each ticket bucket's rows where it curates them,
 * {@link co.pqrs.lakehouse.transforms.silver.CurateSilver}, and Gold's ticket pass each Silver file's
 * snapshot rows); {@link FromRows} takes the rows of every table in one PCollection of
 * {@link TableRow}s instead of a tuple.
 *
 * <p>A table is split into shards by a hash of each row's values, one file per shard
 * ({@code part-00000.parquet}, {@code part-00001.parquet}, …), so that no writer holds more than
 * about {@link #ROWS_PER_SHARD} rows in memory to sort them, and shards are written in parallel. The
 * number of shards follows the rows the caller expects (the previous layer's counts), so the same
 * input gives the same files; the data hash does not depend on the split at all. All tables' shards
 * go through one grouping: one shuffle per layer, not one per table.
 */
public class WriteSortedTables extends PTransform<PCollectionTuple, PCollection<FileStat>> {
  /** Rows a shard is sized for. */
  public static final long ROWS_PER_SHARD = 250_000;
  /** Most shards a table is written in; also spaces the tables' keys in the one grouping. */
  static final int MAX_SHARDS = 1024;

  /**
   * One table: its name (the folder under the layer), where its rows are in the tuple (unused by
   * {@link FromRows}), its schema, and how many shards it is written in.
   */
  public record Table(String name, TupleTag<GenericRecord> tag, String schemaJson, int shards)
      implements java.io.Serializable {
    public Table(String name, TupleTag<GenericRecord> tag, String schemaJson) {
      this(name, tag, schemaJson, 1);
    }
  }

  /** Shards for a table of about {@code expectedRows} rows: at least one. */
  public static int shardsFor(long expectedRows) {
    return Parts.of(expectedRows, ROWS_PER_SHARD, 1, MAX_SHARDS);
  }

  /** The tuple's tables, named and flattened, are written as {@link FromRows} writes them. */
  private final FromRows write;

  public WriteSortedTables(String layer, DataLayout layout, String runId, List<Table> tables) {
    this.write = new FromRows(layer, layout, runId, tables);
  }

  @Override
  public PCollection<FileStat> expand(PCollectionTuple rows) {
    TableRow.Coder coder = TableRow.Coder.of(write.tables);
    List<PCollection<TableRow>> named = new ArrayList<>();
    for (Table t : write.tables) {
      String name = t.name();
      named.add(rows.get(t.tag())
          .apply("Name " + name, MapElements.into(TypeDescriptor.of(TableRow.class))
              .via((GenericRecord r) -> new TableRow(name, r)))
          .setCoder(coder));
    }
    return PCollectionList.of(named)
        .apply("AllTableRows", Flatten.pCollections())
        .apply("Write", write);
  }

  /** The same, for rows of every table already in one PCollection. */
  public static class FromRows extends PTransform<PCollection<TableRow>, PCollection<FileStat>> {
    private final String layer;
    private final DataLayout layout;
    private final String runId;
    private final List<Table> tables;

    public FromRows(String layer, DataLayout layout, String runId, List<Table> tables) {
      this.layer = layer;
      this.layout = layout;
      this.runId = runId;
      this.tables = List.copyOf(tables);
    }

    @Override
    public PCollection<FileStat> expand(PCollection<TableRow> rows) {
      List<WriteSortedTableFn.Target> targets = new ArrayList<>();
      for (Table t : tables) {
        targets.add(WriteSortedTableFn.Target.of(layout, layer, runId, t.name(), t.schemaJson()));
      }
      return rows
          .apply("ShardRows", ParDo.of(new ShardFn(tables)))
          .setCoder(KvCoder.of(VarIntCoder.of(), TableRow.Coder.of(tables)))
          .apply("GroupShards", GroupInBatches.create())
          .apply("WriteShards", ParDo.of(new WriteSortedTableFn(layer, layout.staging(layer, runId), targets)))
          .setCoder(SerializableCoder.of(FileStat.class));
    }
  }

  /**
   * Keys a row by its table and shard: table index × {@link #MAX_SHARDS} + a hash of its values
   * (Avro's, stable across JVMs) modulo the table's shards.
   */
  static class ShardFn extends DoFn<TableRow, KV<Integer, TableRow>> {
    private final List<Table> tables;
    private transient Map<String, Integer> index;
    private transient List<Schema> schemas;

    ShardFn(List<Table> tables) {
      this.tables = tables;
    }

    @Setup
    public void setup() {
      index = new TreeMap<>();
      schemas = new ArrayList<>();
      for (Table t : tables) {
        index.put(t.name(), schemas.size());
        schemas.add(new Schema.Parser().parse(t.schemaJson()));
      }
    }

    @ProcessElement
    public void process(@Element TableRow row, OutputReceiver<KV<Integer, TableRow>> out) {
      Integer i = index.get(row.table());
      if (i == null) {
        throw new IllegalArgumentException("row of unknown table " + row.table() + "; writing " + index.keySet());
      }
      int shards = tables.get(i).shards();
      int shard = shards == 1 ? 0 : Math.floorMod(GenericData.get().hashCode(row.row(), schemas.get(i)), shards);
      out.output(KV.of(i * MAX_SHARDS + shard, row));
    }
  }
}
