package co.pqrs.lakehouse.transforms.io;

import org.apache.avro.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Base of the DoFns that write one group of rows as one Parquet file under a layer's staging folder
 * (see {@link LayerOutputs#writeParquet}). The Avro schema travels as JSON and is parsed once per
 * instance.
 */
public abstract class ParquetWriterFn<K, T, O> extends DoFn<KV<K, Iterable<T>>, O> {
  protected final String staging;
  protected final String folder;
  private final String schemaJson;
  protected transient Schema schema;

  /**
   * @param staging the layer's absolute staging folder
   * @param folder the output folder relative to the lakehouse root
   */
  protected ParquetWriterFn(String staging, String folder, String schemaJson) {
    this.staging = staging;
    this.folder = folder;
    this.schemaJson = schemaJson;
  }

  @Setup
  public void parseSchema() {
    schema = new Schema.Parser().parse(schemaJson);
  }
}
