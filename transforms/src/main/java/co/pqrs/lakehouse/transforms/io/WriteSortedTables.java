package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Writes each table of a layer's output tuple as one sorted Parquet file, {@code part-00000.parquet},
 * under the layer's staging folder ({@link WriteSortedTableFn}), and gives the written files for the
 * publishing step. Gold writes its KPI tables this way: aggregates, whose rows one writer holds to
 * sort them. (Silver writes each ticket bucket's rows where it curates them,
 * {@link co.pqrs.lakehouse.transforms.silver.CurateSilver}, and Gold's ticket pass each Silver
 * file's snapshot rows.) {@link FromRows} takes the rows of every table in one PCollection of
 * {@link TableRow}s instead of a tuple. All tables go through one grouping: one shuffle per layer,
 * not one per table.
 */
public class WriteSortedTables extends PTransform<PCollectionTuple, PCollection<FileStat>> {
  /**
   * One table: its name (the folder under the layer), where its rows are in the tuple (unused by
   * {@link FromRows}), and its schema.
   */
  public record Table(String name, TupleTag<GenericRecord> tag, String schemaJson) implements java.io.Serializable {}

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
          .apply("KeyByTable", ParDo.of(new KeyByTableFn(tables)))
          .setCoder(KvCoder.of(VarIntCoder.of(), TableRow.Coder.of(tables)))
          .apply("GroupTables", GroupInBatches.create())
          .apply("WriteTables", ParDo.of(new WriteSortedTableFn(layer, layout.staging(layer, runId), targets)))
          .setCoder(SerializableCoder.of(FileStat.class));
    }
  }

  /** Keys a row by its table's index in the tables written. */
  static class KeyByTableFn extends DoFn<TableRow, KV<Integer, TableRow>> {
    private final Map<String, Integer> index = new TreeMap<>();

    KeyByTableFn(List<Table> tables) {
      tables.forEach(t -> index.put(t.name(), index.size()));
    }

    @ProcessElement
    public void process(@Element TableRow row, OutputReceiver<KV<Integer, TableRow>> out) {
      Integer i = index.get(row.table());
      if (i == null) {
        throw new IllegalArgumentException("row of unknown table " + row.table() + "; writing " + index.keySet());
      }
      out.output(KV.of(i, row));
    }
  }
}
