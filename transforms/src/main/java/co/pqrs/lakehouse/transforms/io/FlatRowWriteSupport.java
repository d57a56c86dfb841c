package co.pqrs.lakehouse.transforms.io;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet's write support for the lakehouse's flat rows ({@link AvroRows}: every field a string,
 * int, long, float, double or boolean, or a union of null and one of them): each value goes to the
 * record consumer by its field's kind, looked up once per table. Avro's write support, which wrote
 * them before, walks the Avro schema for every value: it resolves each nullable field's union and
 * looks for a logical-type conversion (3 % of Bronze's samples, with none of the column encoding;
 * timed apart, this saves about 1 % of Bronze's CPU: docs/benchmarks.md, twenty-ninth change).
 *
 * <p>The files are byte for byte those of {@code AvroParquetWriter}: the same Parquet schema and
 * footer metadata (both taken from Avro's write support), the same values in the same calls. A
 * schema that is not flat, and a row holding a value of another type than its field's, are written
 * by Avro's write support itself, which also gives its errors.
 */
final class FlatRowWriteSupport extends WriteSupport<GenericRecord> {
  private final AvroRows rows;
  private final AvroWriteSupport<GenericRecord> avro;
  private final String[] names;
  private RecordConsumer consumer;

  FlatRowWriteSupport(Schema schema, Configuration conf) {
    MessageType parquetSchema = new AvroSchemaConverter(conf).convert(schema);
    // No model, as AvroParquetWriter's builder gives by default: Avro's write support derives it in init.
    this.avro = new AvroWriteSupport<>(parquetSchema, schema, null);
    this.rows = new AvroRows(schema);
    this.names = new String[parquetSchema.getFieldCount()];
    for (int i = 0; i < names.length; i++) {
      names[i] = parquetSchema.getFieldName(i);
    }
  }

  @Override
  public WriteContext init(Configuration conf) {
    return avro.init(conf); // the Parquet schema, and the Avro schema in the footer's metadata
  }

  @Override
  public String getName() {
    return avro.getName(); // the footer's writer.model.name
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
    avro.prepareForWrite(recordConsumer);
  }

  @Override
  public void write(GenericRecord row) {
    if (!rows.fits(row)) {
      avro.write(row);
      return;
    }
    consumer.startMessage();
    for (int i = 0; i < names.length; i++) {
      Object v = row.get(i);
      if (v == null) {
        continue; // a nullable field (fits says so): no value in the column
      }
      consumer.startField(names[i], i);
      switch (rows.kind(i)) {
        case STRING -> consumer.addBinary(v instanceof Utf8 u
            ? Binary.fromReusedByteArray(u.getBytes(), 0, u.getByteLength())
            : Binary.fromCharSequence((CharSequence) v));
        case INT -> consumer.addInteger((Integer) v);
        case LONG -> consumer.addLong((Long) v);
        case FLOAT -> consumer.addFloat((Float) v);
        case DOUBLE -> consumer.addDouble((Double) v);
        case BOOLEAN -> consumer.addBoolean((Boolean) v);
      }
      consumer.endField(names[i], i);
    }
    consumer.endMessage();
  }
}
