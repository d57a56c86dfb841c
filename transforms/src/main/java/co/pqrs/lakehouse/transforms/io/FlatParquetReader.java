package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads the flat rows of a Parquet file ({@link AvroRows}: every field a string, int, long, float,
 * double or boolean, or a union of null and one of them), each value taken from its column's reader
 * into one record that is reused from row to row, its strings into {@link Utf8}s reused as well.
 *
 * <p>The reading side of {@link FlatParquetWriter}: Parquet's record reader hands each value through
 * its record assembly and Avro's converters, which make a new record per row and, for Bronze's
 * texts, a {@code String} per value that Silver's coding encodes back into the same UTF-8
 * (docs/benchmarks/changes.md, sixty-sixth change). Below that layer it uses Parquet's own column
 * readers (their decodings, dictionaries and pages), so the values are those of
 * {@link ParquetFiles.Rows}. For a reader that copies what it keeps of a row before it asks for the
 * next: the record, its texts and the values' objects change under it.
 *
 * <p>Refused, naming the file and the column: a column the file lacks, one that is repeated or nested,
 * one whose Parquet type is not the field's, and one that may hold nulls for a field that may not.
 */
public final class FlatParquetReader extends ParquetFiles.GroupedRows {
  // Column readers need a converter to exist; values are taken from the readers, not pushed to it.
  private static final PrimitiveConverter UNUSED_VALUE = new PrimitiveConverter() {};
  private static final GroupConverter UNUSED_ROW = new GroupConverter() {
    @Override
    public Converter getConverter(int fieldIndex) {
      return UNUSED_VALUE;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  };

  private final MessageType requested;
  private final String createdBy;
  private final AvroRows fields;
  private final ColumnDescriptor[] descriptors;
  private final int[] defined; // a value's definition level per column; below it, a null
  private final GenericData.Record row;
  private final Utf8[] texts;
  private ColumnReader[] columns;

  private FlatParquetReader(ParquetFileReader file, Schema schema, String name) {
    super(file);
    this.fields = flat(schema);
    MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
    List<Schema.Field> avro = schema.getFields();
    Type[] types = new Type[avro.size()];
    for (int i = 0; i < types.length; i++) {
      String column = avro.get(i).name();
      if (!fileSchema.containsField(column)) {
        throw new IllegalArgumentException(name + " has no column '" + column + "'");
      }
      types[i] = fileSchema.getType(column);
    }
    this.requested = new MessageType(fileSchema.getName(), types);
    this.createdBy = file.getFooter().getFileMetaData().getCreatedBy();
    this.descriptors = new ColumnDescriptor[types.length];
    this.defined = new int[types.length];
    for (int i = 0; i < types.length; i++) {
      String column = avro.get(i).name();
      if (!types[i].isPrimitive() || types[i].isRepetition(Type.Repetition.REPEATED)) {
        throw new IllegalArgumentException(name + ", column '" + column + "': repeated or nested, not a flat column");
      }
      PrimitiveTypeName stored = types[i].asPrimitiveType().getPrimitiveTypeName();
      if (stored != storedAs(fields.kind(i))) {
        throw new IllegalArgumentException(name + ", column '" + column + "': stored as " + stored + ", read as "
            + fields.kind(i));
      }
      if (types[i].isRepetition(Type.Repetition.OPTIONAL) && !fields.nullable(i)) {
        // A null would reach a reader told the field has none.
        throw new IllegalArgumentException(name + ", column '" + column + "': optional in the file, not nullable in "
            + schema.getFullName());
      }
      descriptors[i] = requested.getColumnDescription(new String[] {column});
      defined[i] = descriptors[i].getMaxDefinitionLevel();
    }
    file.setRequestedSchema(requested);
    this.row = new GenericData.Record(schema);
    this.texts = new Utf8[types.length];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = new Utf8();
    }
  }

  /** The fields of {@code schema}, which must be flat: refused otherwise, naming the field. */
  static AvroRows flat(Schema schema) {
    AvroRows fields = new AvroRows(schema);
    if (fields.notFlat() != null) {
      throw new IllegalArgumentException("schema " + schema.getFullName() + ", field " + fields.notFlat()
          + "; the lakehouse's flat Parquet reader takes flat rows only");
    }
    return fields;
  }

  private static PrimitiveTypeName storedAs(AvroRows.Kind kind) {
    return switch (kind) {
      case STRING -> PrimitiveTypeName.BINARY;
      case INT -> PrimitiveTypeName.INT32;
      case LONG -> PrimitiveTypeName.INT64;
      case FLOAT -> PrimitiveTypeName.FLOAT;
      case DOUBLE -> PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
    };
  }

  /** The rows of the matched file with only {@code columns} (a flat projection of the file's schema). */
  public static FlatParquetReader open(MatchResult.Metadata file, Schema columns) throws IOException {
    return open(new ParquetFiles.BeamInputFile(file), columns, file.resourceId().toString());
  }

  /** The rows of a file given as Parquet's {@code InputFile} (a harness's bytes in memory), called {@code name} in errors. */
  public static FlatParquetReader open(InputFile in, Schema columns, String name) throws IOException {
    return open(in, ParquetConfig.shared(), file -> new FlatParquetReader(file, columns, name));
  }

  @Override
  void startGroup(PageReadStore pages) {
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, UNUSED_ROW, requested, createdBy);
    columns = new ColumnReader[descriptors.length];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = store.getColumnReader(descriptors[i]);
    }
  }

  /** The next row, in the record every call returns. */
  @Override
  GenericRecord nextRow() {
    for (int i = 0; i < columns.length; i++) {
      ColumnReader c = columns[i];
      row.put(i, c.getCurrentDefinitionLevel() < defined[i] ? null : value(i, c));
      c.consume();
    }
    return row;
  }

  private Object value(int i, ColumnReader c) {
    return switch (fields.kind(i)) {
      case STRING -> {
        ByteBuffer b = c.getBinary().toByteBuffer();
        Utf8 u = texts[i].setByteLength(b.remaining());
        b.get(u.getBytes(), 0, u.getByteLength());
        yield u;
      }
      case INT -> c.getInteger();
      case LONG -> c.getLong();
      case FLOAT -> c.getFloat();
      case DOUBLE -> c.getDouble();
      case BOOLEAN -> c.getBoolean();
    };
  }
}
