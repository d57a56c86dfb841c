package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** Avro rows framed for the runner's stream come back equal, nest in Beam's coders, and a wrong block is refused. */
class AvroRecordCoderTest {
  private static final Schema SCHEMA = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"snap\",\"fields\":["
      + "{\"name\":\"ticket_id\",\"type\":\"string\"},"
      + "{\"name\":\"closed_ts\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}],\"default\":null},"
      + "{\"name\":\"state\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"ratio\",\"type\":\"double\"},{\"name\":\"open\",\"type\":\"boolean\"}]}");

  private static GenericRecord row(String id, Long closed, String state, double ratio, boolean open) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("ticket_id", id);
    r.put("closed_ts", closed);
    r.put("state", state);
    r.put("ratio", ratio);
    r.put("open", open);
    return r;
  }

  private static final List<GenericRecord> ROWS = List.of(row("t-1", null, null, 0.0, true),
      row("radicado ñandú", 1_700_000_000_000_000L, "CERRADO", -2.5, false), row("", Long.MIN_VALUE, "", Double.NaN, true));

  @Test
  void rowsRoundTripAloneAndNested() throws Exception {
    AvroRecordCoder coder = AvroRecordCoder.of(SCHEMA);
    for (GenericRecord r : ROWS) {
      assertEquals(r.toString(), CoderUtils.clone(coder, r).toString());
    }
    KvCoder<String, GenericRecord> kv = KvCoder.of(StringUtf8Coder.of(), coder);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (GenericRecord r : ROWS) {
      kv.encode(KV.of("k" + r.get("ticket_id"), r), out);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (GenericRecord r : ROWS) {
      KV<String, GenericRecord> back = kv.decode(in);
      assertEquals("k" + r.get("ticket_id"), back.getKey());
      assertEquals(r.toString(), back.getValue().toString());
    }
    assertEquals(0, in.available());
  }

  @Test
  void travelsToAWorkerAndComparesBySchema() throws Exception {
    AvroRecordCoder coder = AvroRecordCoder.of(SCHEMA);
    AvroRecordCoder onWorker = SerializableUtils.clone(coder);
    assertEquals(coder, onWorker);
    assertEquals(coder.hashCode(), onWorker.hashCode());
    assertNotEquals(coder, AvroRecordCoder.of(new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}")));
    GenericRecord r = ROWS.get(1);
    assertEquals(r.toString(),
        CoderUtils.decodeFromByteArray(onWorker, CoderUtils.encodeToByteArray(coder, r)).toString());
  }

  @Test
  void aBlockLongerThanItsRowIsRefused() throws Exception {
    AvroRecordCoder coder = AvroRecordCoder.of(SCHEMA);
    byte[] good = CoderUtils.encodeToByteArray(coder, ROWS.get(0));
    byte[] longer = Arrays.copyOf(good, good.length + 2);
    longer[0] += 2;
    IOException e = assertThrows(IOException.class, () -> coder.decode(new ByteArrayInputStream(longer)));
    assertTrue(e.getMessage().contains("did not read"), e.getMessage());
  }
}
