package co.pqrs.lakehouse.transforms.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * The Parquet writer of every table: Snappy, dictionary encoding for every column but those the
 * table's contract marks {@code "parquet_dictionary": false}, and the rows put into their columns by
 * {@link FlatParquetWriter}.
 *
 * <p>Parquet tries a dictionary for every column and gives it up for the rest of a row group only
 * once it outgrows a page (1 MB), so a column that is unique in every row (an id, an instant, a line
 * number) is first hashed into a dictionary it never keeps. In a file of a few tens of thousands of
 * rows, that is most of the column: a sixth to a third of the writer's time per row in Bronze's and
 * Silver's largest tables (docs/benchmarks/changes.md, fifteenth change), for files of about the same size.
 */
public final class ParquetWriters {
  /** The contract's field property that turns a column's dictionary off; absent means on. */
  public static final String DICTIONARY = "parquet_dictionary";

  private ParquetWriters() {}

  /** A writer of {@code schema}'s rows into {@code out}, which it fills from its current size on. */
  public static FlatParquetWriter open(Schema schema, ByteArrayOutputStream out) throws IOException {
    return open(new AvroRows(schema), out, ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** The same for a writer that already has the schema's {@link AvroRows} (LayerOutputs, for the rows' hash). */
  static FlatParquetWriter open(AvroRows fields, ByteArrayOutputStream out) throws IOException {
    return open(fields, out, ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** The same with row groups of about {@code rowGroupBytes} (tests: several row groups in a small file). */
  static FlatParquetWriter open(AvroRows fields, ByteArrayOutputStream out, long rowGroupBytes) throws IOException {
    return new FlatParquetWriter(fields, new BufferFile(out), properties(fields.schema()), ParquetConfig.shared(),
        rowGroupBytes);
  }

  /**
   * The encodings' settings: Parquet's defaults but for the contract's dictionaries, and a values-writer
   * factory of the writer's own. Parquet's default factory is one object per JVM that every new writer
   * re-initialises with its own properties (apache/parquet-java#2174, #3497; still so in the 1.13 that
   * Beam brings), and a writer asks it for column writers at each row group: with tables whose columns
   * differ in their dictionaries written side by side, a writer could take another table's settings,
   * and the same rows gave different bytes from one run to the next (CrossProcessDeterminismTest caught
   * it). The factory is the one for Parquet's default writer version (1.0), which these files are.
   */
  private static ParquetProperties properties(Schema schema) {
    ParquetProperties.Builder b = ParquetProperties.builder().withValuesWriterFactory(new DefaultV1ValuesWriterFactory());
    for (Schema.Field f : schema.getFields()) {
      if (!dictionary(schema, f)) {
        b = b.withDictionaryEncoding(f.name(), false);
      }
    }
    return b.build();
  }

  /** Whether {@code f}'s column is dictionary-encoded: its contract's property, true when absent. */
  public static boolean dictionary(Schema schema, Schema.Field f) {
    Object v = f.getObjectProp(DICTIONARY);
    if (v == null) {
      return true;
    }
    if (v instanceof Boolean on) {
      return on;
    }
    throw new IllegalArgumentException("schema " + schema.getFullName() + ", field " + f.name() + ": \""
        + DICTIONARY + "\" must be true or false, not " + v);
  }

  /** A Parquet output file that is an in-memory buffer. */
  public static final class BufferFile implements OutputFile {
    private final ByteArrayOutputStream out;

    public BufferFile(ByteArrayOutputStream out) {
      this.out = out;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      long start = out.size();
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return out.size() - start;
        }

        @Override
        public void write(int b) {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          out.write(b, off, len);
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
