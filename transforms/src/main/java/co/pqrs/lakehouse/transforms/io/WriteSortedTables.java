package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.avro.generic.GenericData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes each table of a layer's output tuple as sorted Parquet files under the layer's staging
 * folder ({@link WriteSortedTableFn}), and gives the written files as a view for the publishing step.
 * Silver and Gold write their tables this way.
 *
 * <p>A table is split into shards by a hash of each row's values, one file per shard
 * ({@code part-00000.parquet}, {@code part-00001.parquet}, …), so that no writer holds more than
 * about {@link #ROWS_PER_SHARD} rows in memory to sort them, and shards are written in parallel. The
 * number of shards follows the rows the caller expects (the previous layer's counts), so the same
 * input gives the same files; the data hash does not depend on the split at all.
 */
public class WriteSortedTables extends PTransform<PCollectionTuple, PCollectionView<List<FileStat>>> {
  /** Rows a shard is sized for. */
  public static final long ROWS_PER_SHARD = 250_000;

  /**
   * One table: its name (the folder under the layer), where its rows are in the tuple, its schema,
   * and how many shards it is written in.
   */
  public record Table(String name, TupleTag<GenericRecord> tag, String schemaJson, int shards) {
    public Table(String name, TupleTag<GenericRecord> tag, String schemaJson) {
      this(name, tag, schemaJson, 1);
    }
  }

  /** Shards for a table of about {@code expectedRows} rows: at least one. */
  public static int shardsFor(long expectedRows) {
    return (int) Math.max(1, Math.min(1024, (expectedRows + ROWS_PER_SHARD - 1) / ROWS_PER_SHARD));
  }

  private final String layer;
  private final DataLayout layout;
  private final String runId;
  private final List<Table> tables;

  public WriteSortedTables(String layer, DataLayout layout, String runId, List<Table> tables) {
    this.layer = layer;
    this.layout = layout;
    this.runId = runId;
    this.tables = List.copyOf(tables);
  }

  @Override
  public PCollectionView<List<FileStat>> expand(PCollectionTuple rows) {
    String staging = layout.staging(layer, runId);
    List<PCollection<FileStat>> stats = new ArrayList<>();
    for (Table t : tables) {
      String folder = layout.relative(layout.table(layer, t.name(), runId));
      Schema schema = new Schema.Parser().parse(t.schemaJson());
      stats.add(rows.get(t.tag())
          .apply("Shard " + t.name(), ParDo.of(new ShardFn(t.schemaJson(), t.shards())))
          .setCoder(KvCoder.of(VarIntCoder.of(), AvroCoder.of(schema)))
          .apply("Group " + t.name(), GroupByKey.create())
          .apply("Write " + t.name(), ParDo.of(new WriteSortedTableFn(layer, staging, folder, t.name(), t.schemaJson())))
          .setCoder(SerializableCoder.of(FileStat.class)));
    }
    return PCollectionList.of(stats)
        .apply("AllTableFiles", Flatten.pCollections())
        .apply("TableFilesView", View.asList());
  }

  /** Keys a row by its shard: a hash of its values (Avro's, stable across JVMs) modulo the shards. */
  static class ShardFn extends DoFn<GenericRecord, KV<Integer, GenericRecord>> {
    private final String schemaJson;
    private final int shards;
    private transient Schema schema;

    ShardFn(String schemaJson, int shards) {
      this.schemaJson = schemaJson;
      this.shards = shards;
    }

    @Setup
    public void setup() {
      schema = new Schema.Parser().parse(schemaJson);
    }

    @ProcessElement
    public void process(@Element GenericRecord row, OutputReceiver<KV<Integer, GenericRecord>> out) {
      out.output(KV.of(shards == 1 ? 0 : Math.floorMod(GenericData.get().hashCode(row, schema), shards), row));
    }
  }
}
