package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Rows of one Avro schema in Avro's binary encoding, framed ({@link Frame}): the runner's stream sees
 * one write and one read per row, where Beam's {@code AvroCoder} writes and reads it a byte at a time.
 */
public final class AvroRecordCoder extends CustomCoder<GenericRecord> {
  private final String schemaJson;
  // Built on first use; made anew when a worker deserialises the coder.
  private transient volatile GenericDatumWriter<GenericRecord> writer;
  private transient volatile GenericDatumReader<GenericRecord> reader;

  private AvroRecordCoder(String schemaJson) {
    this.schemaJson = schemaJson;
  }

  public static AvroRecordCoder of(Schema schema) {
    return new AvroRecordCoder(schema.toString());
  }

  @Override
  public void encode(GenericRecord value, OutputStream out) throws IOException {
    GenericDatumWriter<GenericRecord> w = writer;
    if (w == null) {
      writer = w = new GenericDatumWriter<>(new Schema.Parser().parse(schemaJson));
    }
    GenericDatumWriter<GenericRecord> rows = w;
    Frame.encode(value, out, (v, block) -> write(block, rows, v));
  }

  @Override
  public GenericRecord decode(InputStream in) throws IOException {
    GenericDatumReader<GenericRecord> r = reader;
    if (r == null) {
      reader = r = new GenericDatumReader<>(new Schema.Parser().parse(schemaJson));
    }
    GenericDatumReader<GenericRecord> rows = r;
    return Frame.decode(in, block -> read(block, rows));
  }

  /** Appends {@code row} to the block in Avro's binary encoding. */
  static void write(Frame.Writer block, GenericDatumWriter<GenericRecord> rows, GenericRecord row) throws IOException {
    rows.write(row, EncoderFactory.get().directBinaryEncoder(block.stream(), null));
  }

  /** Reads the rest of the block as one row, Avro decoding it from the block's array. */
  static GenericRecord read(Frame.Reader block, GenericDatumReader<GenericRecord> rows) throws IOException {
    return block.rest((bytes, offset, length) -> {
      BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
      GenericRecord row = rows.read(null, d);
      if (!d.isEnd()) {
        throw new IOException("framed Avro row has bytes its schema did not read");
      }
      return row;
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AvroRecordCoder c && c.schemaJson.equals(schemaJson);
  }

  @Override
  public int hashCode() {
    return schemaJson.hashCode();
  }

  @Override
  public String toString() {
    return "AvroRecordCoder(" + new Schema.Parser().parse(schemaJson).getFullName() + ")";
  }
}
