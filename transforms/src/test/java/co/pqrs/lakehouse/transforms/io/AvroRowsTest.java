package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** The hand-written encoding of flat rows is Avro's, byte for byte and value for value. */
class AvroRowsTest {
  private static final Schema FLAT = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"flat\",\"fields\":["
      + "{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"ns\",\"type\":[\"null\",\"string\"]},"
      + "{\"name\":\"sn\",\"type\":[\"string\",\"null\"]},{\"name\":\"i\",\"type\":\"int\"},"
      + "{\"name\":\"ni\",\"type\":[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}]},"
      + "{\"name\":\"l\",\"type\":\"long\"},"
      + "{\"name\":\"nl\",\"type\":[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}]},"
      + "{\"name\":\"f\",\"type\":\"float\"},{\"name\":\"nd\",\"type\":[\"null\",\"double\"]},"
      + "{\"name\":\"d\",\"type\":\"double\"},{\"name\":\"b\",\"type\":\"boolean\"},"
      + "{\"name\":\"nb\",\"type\":[\"null\",\"boolean\"]}]}");
  private static final String[] TEXTS = {"", "radicado", "Petición ñandú", "señal 📶", "\u0000x"};
  private static final long[] LONGS = {0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE,
      Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000_000_000L};
  private static final double[] DOUBLES = {0.0, -0.0, 1.5, -2.25e300, Double.NaN, Double.POSITIVE_INFINITY,
      Double.MIN_VALUE};

  private static Object text(SplittableRandom rng) {
    String t = TEXTS[rng.nextInt(TEXTS.length)];
    return rng.nextBoolean() ? t : new Utf8(t);
  }

  private static GenericRecord randomRow(SplittableRandom rng) {
    GenericRecord r = new GenericData.Record(FLAT);
    r.put("s", text(rng));
    r.put("ns", rng.nextInt(3) == 0 ? null : text(rng));
    r.put("sn", rng.nextInt(3) == 0 ? null : text(rng));
    r.put("i", (int) LONGS[rng.nextInt(9)]);
    r.put("ni", rng.nextInt(3) == 0 ? null : rng.nextInt());
    r.put("l", LONGS[rng.nextInt(LONGS.length)]);
    r.put("nl", rng.nextInt(3) == 0 ? null : rng.nextLong());
    r.put("f", (float) DOUBLES[rng.nextInt(DOUBLES.length)]);
    r.put("nd", rng.nextInt(3) == 0 ? null : DOUBLES[rng.nextInt(DOUBLES.length)]);
    r.put("d", DOUBLES[rng.nextInt(DOUBLES.length)]);
    r.put("b", rng.nextBoolean());
    r.put("nb", rng.nextInt(3) == 0 ? null : rng.nextBoolean());
    return r;
  }

  private static byte[] avroBytes(Schema schema, GenericRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, e);
    e.flush();
    return out.toByteArray();
  }

  private static byte[] ourBytes(AvroRows rows, GenericRecord r) throws IOException {
    Frame.Writer w = new Frame.Writer();
    rows.write(w, r);
    return w.toByteArray();
  }

  /** Our reader, given a block of exactly these bytes. */
  private static GenericRecord ourRead(AvroRows rows, byte[] bytes) throws IOException {
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    Frame.encode(bytes, framed, (b, w) -> w.raw(b, 0, b.length));
    return Frame.decode(new ByteArrayInputStream(framed.toByteArray()), rows::read);
  }

  @Test
  void flatRowsEncodeAndDecodeAsAvroDoes() throws Exception {
    AvroRows rows = new AvroRows(FLAT);
    GenericDatumReader<GenericRecord> avroReader = new GenericDatumReader<>(FLAT);
    SplittableRandom rng = new SplittableRandom(20251203L);
    for (int n = 0; n < 5_000; n++) {
      GenericRecord r = randomRow(rng);
      byte[] expected = avroBytes(FLAT, r);
      assertArrayEquals(expected, ourBytes(rows, r), r.toString());
      GenericRecord theirs = avroReader.read(null, DecoderFactory.get().binaryDecoder(expected, null));
      GenericRecord ours = ourRead(rows, expected);
      for (Schema.Field f : FLAT.getFields()) {
        Object a = theirs.get(f.pos());
        Object b = ours.get(f.pos());
        assertEquals(a == null ? null : a.getClass(), b == null ? null : b.getClass(), f.name());
        assertEquals(String.valueOf(a), String.valueOf(b), f.name());
      }
      assertEquals(theirs, ours);
    }
  }

  @Test
  void otherSchemasAndOddValuesGoThroughAvro() throws Exception {
    Schema nested = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"n\",\"fields\":["
        + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
    GenericRecord r = new GenericData.Record(nested);
    r.put("id", "t-1");
    r.put("tags", List.of("a", "b"));
    AvroRows rows = new AvroRows(nested);
    byte[] expected = avroBytes(nested, r);
    assertArrayEquals(expected, ourBytes(rows, r));
    assertEquals(r.toString(), ourRead(rows, expected).toString());

    // An Integer where the schema says long: Avro's writer takes any number.
    Schema longs = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"l\",\"fields\":[{\"name\":\"n\",\"type\":\"long\"}]}");
    GenericRecord odd = new GenericData.Record(longs);
    odd.put("n", 7);
    assertArrayEquals(avroBytes(longs, odd), ourBytes(new AvroRows(longs), odd));

    // A null where the field is not nullable: Avro's own error.
    GenericRecord missing = randomRow(new SplittableRandom(1));
    missing.put("s", null);
    assertThrows(NullPointerException.class, () -> ourBytes(new AvroRows(FLAT), missing));
  }

  // Pieces of the texts sorted below: two chars that sort apart as UTF-16 and as UTF-8 (U+FF21 and
  // an astral one), lone surrogates (UTF-8 writes '?'), prefixes of each other, a zero char (which
  // ties with the end of a shorter text in the first eight bytes a sort compares first), and a
  // piece longer than those eight bytes, so that texts differ only after them.
  private static final String[] PIECES = {"a", "é", "\uFF21", "\uE000", "📶", "\uD83D", "\uDCF6", "?", "\u0000",
      "0123456789"};

  private static Object sortText(SplittableRandom rng) {
    StringBuilder t = new StringBuilder();
    for (int k = rng.nextInt(4); k > 0; k--) {
      t.append(PIECES[rng.nextInt(PIECES.length)]);
    }
    return rng.nextInt(4) == 0 ? new Utf8(t.toString()) : t.toString();
  }

  /** Rows of few distinct values, so that comparisons often reach the last fields. */
  private static GenericRecord sortRow(SplittableRandom rng) {
    float[] floats = {0f, -0f, Float.NaN, 1f};
    double[] doubles = {0.0, -0.0, Double.NaN, -1.0};
    GenericRecord r = new GenericData.Record(FLAT);
    r.put("s", sortText(rng));
    r.put("ns", rng.nextInt(3) == 0 ? null : sortText(rng));
    r.put("sn", rng.nextInt(3) == 0 ? null : sortText(rng));
    r.put("i", rng.nextInt(-1, 2));
    r.put("ni", rng.nextInt(3) == 0 ? null : rng.nextInt(2));
    r.put("l", (long) rng.nextInt(-1, 2));
    r.put("nl", rng.nextInt(3) == 0 ? null : (long) rng.nextInt(2));
    r.put("f", floats[rng.nextInt(floats.length)]);
    r.put("nd", rng.nextInt(3) == 0 ? null : doubles[rng.nextInt(doubles.length)]);
    r.put("d", doubles[rng.nextInt(doubles.length)]);
    r.put("b", rng.nextBoolean());
    r.put("nb", rng.nextInt(3) == 0 ? null : rng.nextBoolean());
    return r;
  }

  private static void assertSortsAsAvro(Schema schema, List<GenericRecord> rows, SplittableRandom rng) {
    AvroRows order = new AvroRows(schema);
    for (int n = 0; n < 20_000; n++) {
      GenericRecord a = rows.get(rng.nextInt(rows.size()));
      GenericRecord b = rows.get(rng.nextInt(rows.size()));
      assertEquals(Integer.signum(GenericData.get().compare(a, b, schema)),
          Integer.signum(order.compare(a, b)), a + " vs " + b);
    }
    List<GenericRecord> theirs = new ArrayList<>(rows);
    theirs.sort((a, b) -> GenericData.get().compare(a, b, schema));
    List<GenericRecord> ours = new ArrayList<>(rows);
    order.sort(ours);
    for (int i = 0; i < rows.size(); i++) {
      assertSame(theirs.get(i), ours.get(i), "row " + i + " of the sorted list");
    }
  }

  @Test
  void rowsSortInAvrosOrder() {
    SplittableRandom rng = new SplittableRandom(20261203L);
    List<GenericRecord> rows = new ArrayList<>();
    for (int n = 0; n < 3_000; n++) {
      rows.add(sortRow(rng));
    }
    assertSortsAsAvro(FLAT, rows, rng);

    // Field orders: descending, and a field the order ignores.
    Schema ordered = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"o\",\"fields\":["
        + "{\"name\":\"k\",\"type\":\"string\",\"order\":\"descending\"},"
        + "{\"name\":\"x\",\"type\":\"long\",\"order\":\"ignore\"},"
        + "{\"name\":\"n\",\"type\":[\"null\",\"int\"],\"order\":\"descending\"}]}");
    List<GenericRecord> orderedRows = new ArrayList<>();
    for (int n = 0; n < 2_000; n++) {
      GenericRecord r = new GenericData.Record(ordered);
      r.put("k", sortText(rng));
      r.put("x", (long) rng.nextInt(3));
      r.put("n", rng.nextInt(3) == 0 ? null : rng.nextInt(2));
      orderedRows.add(r);
    }
    assertSortsAsAvro(ordered, orderedRows, rng);
  }

  @Test
  void aCorruptBlockIsRefused() throws Exception {
    AvroRows rows = new AvroRows(FLAT);
    byte[] good = avroBytes(FLAT, randomRow(new SplittableRandom(2)));
    IOException cut = assertThrows(IOException.class, () -> ourRead(rows, Arrays.copyOf(good, good.length - 3)));
    assertTrue(cut.getMessage().contains("ends before its fields do"), cut.getMessage());
    byte[] badBranch = good.clone();
    int firstUnion = 1 + (good[0] & 0xFF) / 2; // after the first string: its zig-zag length byte and bytes
    badBranch[firstUnion] = 4; // branch 2 of a two-branch union
    IOException branch = assertThrows(IOException.class, () -> ourRead(rows, badBranch));
    assertTrue(branch.getMessage().contains("union branch 2"), branch.getMessage());
  }
}
