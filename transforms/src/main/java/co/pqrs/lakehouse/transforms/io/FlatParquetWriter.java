package co.pqrs.lakehouse.transforms.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * A Parquet file of flat rows ({@link AvroRows}: every field a string, int, long, float, double or
 * boolean, or a union of null and one of them), each value handed to its column's writer directly.
 *
 * <p>Parquet's {@code ParquetWriter} hands a row to a write support, which hands each value to a
 * record consumer, which finds the value's column, tracks which fields a record has set and writes a
 * null for those it has not: work a flat row does not need, about a tenth of the writer's CPU per
 * row (docs/benchmarks/changes.md, forty-seventh change). Below that layer this class uses Parquet's own
 * pieces as its writer does (the column writers and their encodings, the page store, the file
 * writer) and cuts row groups by the same rule, so the files are byte for byte those of
 * {@code AvroParquetWriter} with the same settings: the same Parquet schema and footer metadata (both
 * from Avro's write support), the same values in the same column writers.
 *
 * <p>A value is taken as Avro's write support takes it: a string as any {@link CharSequence}, a number
 * as any {@link Number} of a numeric field. Any other value, a null in a field that is not nullable,
 * and a schema that is not flat are refused, naming the field. A writer that threw is not to be used
 * again.
 */
public final class FlatParquetWriter implements Closeable {
  private final ParquetFileWriter file;
  private final MessageType parquetSchema;
  private final ParquetProperties props;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  // The schema's fields: their kinds, and which are nullable (a value's definition level is 1 there,
  // a null's 0; a required field's values are at 0).
  private final AvroRows fields;
  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore store;
  private ColumnWriter[] columns;
  private long rows; // in the row group being written
  private long nextSizeCheck;
  private boolean closed;

  /**
   * A writer of the rows of {@code fields}' schema into {@code out}, with {@code props}' encodings,
   * Snappy pages, and row groups of about {@code rowGroupBytes} (before compression).
   */
  FlatParquetWriter(AvroRows fields, OutputFile out, ParquetProperties props, Configuration conf, long rowGroupBytes)
      throws IOException {
    Schema schema = fields.schema();
    if (fields.notFlat() != null) {
      throw new IllegalArgumentException("schema " + schema.getFullName() + ", field " + fields.notFlat()
          + "; the lakehouse's Parquet writer takes flat rows only (each field a string, int, long, float, "
          + "double or boolean, or a union of null and one of them)");
    }
    this.fields = fields;
    this.props = props;
    this.rowGroupBytes = rowGroupBytes;
    this.parquetSchema = new AvroSchemaConverter(conf).convert(schema);
    // The footer's key-value metadata as AvroParquetWriter writes it: the Avro schema, and the model's name.
    AvroWriteSupport<GenericRecord> support = new AvroWriteSupport<>(parquetSchema, schema, null);
    this.metadata = new HashMap<>(support.init(conf).getExtraMetaData());
    metadata.put(ParquetWriter.OBJECT_MODEL_NAME_PROP, support.getName());
    this.file = new ParquetFileWriter(out, parquetSchema, ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes,
        ParquetWriter.MAX_PADDING_SIZE_DEFAULT, props.getColumnIndexTruncateLength(),
        props.getStatisticsTruncateLength(), props.getPageWriteChecksumEnabled());
    file.start();
    this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
    this.nextSizeCheck = props.getMinRowCountForPageSizeCheck();
    startRowGroup();
  }

  private void startRowGroup() {
    pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, props.getAllocator(),
        props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled(), null, 0);
    store = props.newColumnWriteStore(parquetSchema, pages, pages);
    List<ColumnDescriptor> descriptors = parquetSchema.getColumns();
    columns = new ColumnWriter[descriptors.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = store.getColumnWriter(descriptors.get(i));
    }
  }

  /** Appends a row. */
  public void write(GenericRecord row) throws IOException {
    if (closed) {
      throw new IllegalStateException("schema " + fields.schema().getFullName()
          + ": a row written after the file was closed");
    }
    for (int i = 0; i < columns.length; i++) {
      Object v = row.get(i);
      ColumnWriter c = columns[i];
      int level = fields.nullable(i) ? 1 : 0;
      if (v == null) {
        if (level == 0) {
          throw refused(i, "null, in a field that is not nullable");
        }
        c.writeNull(0, 0);
        continue;
      }
      switch (fields.kind(i)) {
        case STRING -> {
          if (v instanceof Utf8 u) {
            c.write(Binary.fromReusedByteArray(u.getBytes(), 0, u.getByteLength()), 0, level);
          } else if (v instanceof CharSequence text) {
            c.write(Binary.fromCharSequence(text), 0, level);
          } else {
            throw refused(i, "a " + v.getClass().getName() + " where a string belongs");
          }
        }
        case INT -> c.write(number(v, i).intValue(), 0, level);
        case LONG -> c.write(number(v, i).longValue(), 0, level);
        case FLOAT -> c.write(number(v, i).floatValue(), 0, level);
        case DOUBLE -> c.write(number(v, i).doubleValue(), 0, level);
        case BOOLEAN -> {
          if (!(v instanceof Boolean b)) {
            throw refused(i, "a " + v.getClass().getName() + " where a boolean belongs");
          }
          c.write(b, 0, level);
        }
      }
    }
    store.endRecord();
    rows++;
    if (rows >= nextSizeCheck) {
      checkSize();
    }
  }

  private Number number(Object v, int i) {
    if (v instanceof Number n) {
      return n;
    }
    throw refused(i, "a " + v.getClass().getName() + " where a number belongs");
  }

  private IllegalArgumentException refused(int i, String what) {
    Schema schema = fields.schema();
    return new IllegalArgumentException("schema " + schema.getFullName() + ", field " + schema.getFields().get(i).name()
        + ": " + what);
  }

  /**
   * Parquet's rule for its row groups, so that the files are the same: measuring the buffered columns
   * is dear, so it is done after some rows, and again halfway to where the rows' average size says the
   * group fills (never more than the properties' maximum count ahead); a group that is within two
   * rows of its size is written out. Every group is sized {@code rowGroupBytes}: Parquet's writer
   * would align a group to the file system's blocks only for a file that has them, which the
   * in-memory files the tables are written to ({@link ParquetWriters.BufferFile}) have not.
   */
  private void checkSize() throws IOException {
    long buffered = store.getBufferedSize();
    long rowSize = buffered / rows;
    if (buffered > rowGroupBytes - 2 * rowSize) {
      endRowGroup();
      startRowGroup();
      nextSizeCheck = Math.min(props.getMinRowCountForPageSizeCheck(), props.getMaxRowCountForPageSizeCheck());
    } else {
      nextSizeCheck = Math.min(
          Math.max(props.getMinRowCountForPageSizeCheck(), (rows + (long) (rowGroupBytes / (float) rowSize)) / 2),
          rows + props.getMaxRowCountForPageSizeCheck());
    }
  }

  private void endRowGroup() throws IOException {
    if (rows > 0) {
      file.startBlock(rows);
      store.flush();
      pages.flushToFileWriter(file);
      file.endBlock();
      rows = 0;
    }
    // Dropped, not closed, as Parquet's writer drops it: closing flushes the columns once more.
    store = null;
    pages = null;
  }

  /** Writes the last row group and the footer. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      endRowGroup();
      file.end(metadata);
    } finally {
      codecs.release();
    }
  }
}
