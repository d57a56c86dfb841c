package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.layout.DataLayout;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes each table of a layer's output tuple as one sorted Parquet file under the layer's staging
 * folder ({@link WriteSortedTableFn}), and gives the written files as a view for the publishing step.
 * Silver and Gold write their tables this way.
 */
public class WriteSortedTables extends PTransform<PCollectionTuple, PCollectionView<List<FileStat>>> {
  /** One table: its name (the folder under the layer), where its rows are in the tuple, its schema. */
  public record Table(String name, TupleTag<GenericRecord> tag, String schemaJson) {}

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
          .apply("Key " + t.name(), WithKeys.of(t.name()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(schema)))
          .apply("Group " + t.name(), GroupByKey.create())
          .apply("Write " + t.name(), ParDo.of(new WriteSortedTableFn(layer, staging, folder, t.schemaJson())))
          .setCoder(SerializableCoder.of(FileStat.class)));
    }
    return PCollectionList.of(stats)
        .apply("AllTableFiles", Flatten.pCollections())
        .apply("TableFilesView", View.asList());
  }
}
