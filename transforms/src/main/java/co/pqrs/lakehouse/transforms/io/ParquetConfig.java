package co.pqrs.lakehouse.transforms.io;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop configuration Parquet readers and writers are given. Left to itself, ParquetIO made a
 * new {@code Configuration} for every file it wrote (the writers are {@link ParquetWriters} now) and
 * makes several for every file it reads (to size, split, track and read it), and each parses
 * Hadoop's default XML resources again: 3 % of Silver's profile and 5 % of Gold's, growing with the
 * number of files. (The layers read their files whole now, {@link ReadWholeParquet}, on the
 * configuration {@link #readingOnly} gives.)
 *
 * <p>Given one, it keeps it; and given a {@link ConfigurationWithoutDefaults}, nobody parses that
 * XML: Parquet's settings have their defaults in its code, and the files are opened through Beam's
 * file systems, not Hadoop's, so nothing read here is set in those resources.
 */
public final class ParquetConfig {
  private ParquetConfig() {}

  // Writers and the file reader only read their configuration; Hadoop's is safe to read from threads.
  private static final Configuration SHARED = new ConfigurationWithoutDefaults();

  /** The JVM's one configuration for Parquet writers and for reading files outside a pipeline. */
  static Configuration shared() {
    return SHARED;
  }

  /** Refuses a column name {@code schema} lacks, naming the schema and the column. */
  public static void requireColumns(Schema schema, List<String> columns) {
    for (String c : columns) {
      if (schema.getField(c) == null) {
        throw new IllegalArgumentException(schema.getName() + " has no column '" + c + "'");
      }
    }
  }

  /**
   * {@code schema} with only the named columns, in the schema's order: what a reader asks Parquet for
   * so the other columns are neither decoded nor shipped. Refuses a name the schema lacks.
   */
  public static Schema projection(Schema schema, List<String> columns) {
    requireColumns(schema, columns);
    List<Schema.Field> kept = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (columns.contains(f.name())) {
        kept.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
  }

  /**
   * A reader's configuration that decodes only {@code columns} (a projection of the file's schema) and
   * makes rows of {@code columns}, not of the file's whole schema: a step that reads a whole file
   * itself ({@link ParquetFiles#open}, {@link ReadWholeParquet}), and bench/apart's harnesses.
   */
  public static Configuration readingOnly(Schema columns) {
    Configuration conf = new ConfigurationWithoutDefaults();
    AvroReadSupport.setRequestedProjection(conf, columns);
    AvroReadSupport.setAvroReadSchema(conf, columns);
    return conf;
  }
}
