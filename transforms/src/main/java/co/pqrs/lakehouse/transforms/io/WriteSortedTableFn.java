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
 * in several shards write them as they make their rows ({@link InOrder}), with {@link #writeShard}, or
 * from what their rows are made of ({@link #writeShardFromFirstField}).
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

  /** What a row is made of when it is written, held with the text of the row's first field. */
  public record Pending<T>(String first, T source) {
    public Pending {
      java.util.Objects.requireNonNull(first, "a pending row's first field");
    }
  }

  /**
   * Writes shard {@code shard} of {@code target}'s table from {@code pending}, making each row as it
   * is written ({@code rowOf}): a writer holds what its rows are made of (Silver's held events), not
   * the rows, until it sorts them. The same file {@link #writeShard}
   * writes from the same rows. The table's order must compare its first field first, ascending, as a
   * text: the pending rows are sorted by it, and those whose texts tie are made into rows together and
   * sorted as rows.
   */
  public static <T> FileStat writeShardFromFirstField(String layer, String staging, Target target, Schema schema,
      int shard, List<Pending<T>> pending, java.util.function.Function<Pending<T>, GenericRecord> rowOf)
      throws Exception {
    InOrder file = new InOrder(layer, staging, target, schema, shard);
    if (!file.order.comparesFirst(0)) {
      throw new IllegalArgumentException(layer + " " + target.table() + ": the table's order does not compare its "
          + "first field (" + schema.getFields().get(0).name() + ") first, ascending, as a text");
    }
    List<Pending<T>> sorted = new ArrayList<>(pending);
    AvroRows.sortByFirstBytes(sorted, Pending::first, 1, (a, b) -> TEXT_ORDER.compare(a.first(), b.first()));
    java.util.function.Function<Pending<T>, GenericRecord> made = p -> {
      GenericRecord row = rowOf.apply(p);
      // Sorted by first, written by the row: the two must agree for the order to be the table's.
      if (!(row.get(0) instanceof CharSequence text && p.first().contentEquals(text))) {
        throw new IllegalStateException(layer + " " + target.table() + ": a row made from a pending row held as \""
            + p.first() + "\" has " + row.get(0) + " as its " + schema.getFields().get(0).name());
      }
      return row;
    };
    for (int i = 0; i < sorted.size(); ) {
      int j = i + 1;
      while (j < sorted.size() && sorted.get(j).first().equals(sorted.get(i).first())) {
        j++;
      }
      if (j == i + 1) {
        file.write(made.apply(sorted.get(i)));
      } else {
        List<GenericRecord> tied = new ArrayList<>();
        sorted.subList(i, j).forEach(p -> tied.add(made.apply(p)));
        sort(schema, tied);
        for (GenericRecord r : tied) {
          file.write(r);
        }
      }
      i = j;
    }
    return file.finish();
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
