package co.pqrs.lakehouse.transforms.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Rows of one Avro schema in Avro's binary encoding, framed ({@link Frame}): the runner's stream sees
 * one write and one read per row, where Beam's {@code AvroCoder} writes and reads it a byte at a time.
 */
public final class AvroRecordCoder extends CustomCoder<GenericRecord> {
  private final String schemaJson;
  // Built on first use; made anew when a worker deserialises the coder.
  private transient volatile AvroRows rows;

  private AvroRecordCoder(String schemaJson) {
    this.schemaJson = schemaJson;
  }

  public static AvroRecordCoder of(Schema schema) {
    return new AvroRecordCoder(schema.toString());
  }

  private AvroRows rows() {
    AvroRows r = rows;
    if (r == null) {
      rows = r = new AvroRows(new Schema.Parser().parse(schemaJson));
    }
    return r;
  }

  @Override
  public void encode(GenericRecord value, OutputStream out) throws IOException {
    AvroRows r = rows();
    Frame.encode(value, out, (v, block) -> r.write(block, v));
  }

  @Override
  public GenericRecord decode(InputStream in) throws IOException {
    return Frame.decode(in, rows()::read);
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
