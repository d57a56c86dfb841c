package co.pqrs.lakehouse.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import co.pqrs.lakehouse.transforms.bronze.Failure;
import co.pqrs.lakehouse.transforms.bronze.ParseRaw;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** Framed coders give back what they were given, nest in Beam's coders, and refuse bytes that do not fit. */
class FrameTest {
  /** A test record with one field of each kind a framed coder writes. */
  record Sample(String s, String maybe, long l, int i, Long boxed, byte[] bytes) {}

  static final class SampleCoder extends AtomicCoder<Sample> {
    @Override
    public void encode(Sample v, OutputStream out) throws IOException {
      Frame.encode(v, out, (x, w) -> w.string(x.s()).nullableString(x.maybe()).varLong(x.l()).varInt(x.i())
          .nullableLong(x.boxed()).bytes(x.bytes()));
    }

    @Override
    public Sample decode(InputStream in) throws IOException {
      return Frame.decode(in, r -> new Sample(r.string(), r.nullableString(), r.varLong(), r.varInt(),
          r.nullableLong(), r.bytes()));
    }
  }

  private static void assertSame(Sample a, Sample b) {
    assertEquals(a.s(), b.s());
    assertEquals(a.maybe(), b.maybe());
    assertEquals(a.l(), b.l());
    assertEquals(a.i(), b.i());
    assertEquals(a.boxed(), b.boxed());
    assertArrayEquals(a.bytes(), b.bytes());
  }

  @Test
  void fieldsOfEveryKindRoundTrip() throws Exception {
    String big = "x".repeat(3_000_000);
    List<Sample> samples = List.of(
        new Sample("", null, 0, 0, null, new byte[0]),
        new Sample("radicado-001", "Bogotá", 1, 127, 128L, new byte[] {1, 2, 3}),
        // Non-ASCII after ASCII (the writer restarts the field), a surrogate pair, and negative numbers.
        new Sample("queja ñandú", "\uD83D\uDE00 emoji", -1, -1, Long.MIN_VALUE, new byte[] {-1}),
        new Sample("é", "", Long.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, new byte[300]),
        // Larger than a buffer keeps between elements.
        new Sample(big, big, 300, 300, 0L, big.getBytes(StandardCharsets.UTF_8)));
    SampleCoder coder = new SampleCoder();
    for (Sample s : samples) {
      assertSame(s, CoderUtils.clone(coder, s));
    }
    // Several in one stream, back to back, decode apart; the buffers survive a huge element.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Sample s : samples) {
      coder.encode(s, out);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (Sample s : samples) {
      assertSame(s, coder.decode(in));
    }
    assertEquals(0, in.available());
    assertThrows(EOFException.class, () -> coder.decode(in));
  }

  @Test
  void numbersAndStringsAreWrittenAsBeamWritesThem() throws Exception {
    // The same bytes as Beam's field coders, inside the block: a reader of the format needs no new rule.
    ByteArrayOutputStream beam = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode("año", beam);
    VarLongCoder.of().encode(-5L, beam);
    org.apache.beam.sdk.coders.VarIntCoder.of().encode(-7, beam);
    byte[] fields = beam.toByteArray();
    byte[] framed = CoderUtils.encodeToByteArray(new AtomicCoder<String>() {
      @Override
      public void encode(String v, OutputStream out) throws IOException {
        Frame.encode(v, out, (x, w) -> w.string(x).varLong(-5L).varInt(-7));
      }

      @Override
      public String decode(InputStream in) {
        throw new UnsupportedOperationException();
      }
    }, "año");
    assertEquals(fields.length, framed[0]);
    assertArrayEquals(fields, Arrays.copyOfRange(framed, 1, framed.length));
  }

  @Test
  void stringsAreEncodedAsBeamsStringCoderEncodesThem() throws Exception {
    AtomicCoder<String> framed = new AtomicCoder<>() {
      @Override
      public void encode(String v, OutputStream out) throws IOException {
        Frame.encode(v, out, (x, w) -> w.string(x));
      }

      @Override
      public String decode(InputStream in) throws IOException {
        return Frame.decode(in, Frame.Reader::string);
      }
    };
    // Every width of UTF-8, and surrogate pairs and lone halves, at random places.
    char[] alphabet = {'a', 'Z', '0', ' ', '\n', '\u007F', '\u0080', '\u00E9', '\u00F1', '\u07FF', '\u0800', '\u20AC',
        '\uFFFD', '\uFFFF', '\uD83D', '\uDE00', '\uDBFF', '\uDC00'};
    Random random = new Random(7);
    for (int n = 0; n < 5_000; n++) {
      char[] cs = new char[random.nextInt(40)];
      for (int i = 0; i < cs.length; i++) {
        cs[i] = n % 2 == 0 && random.nextInt(4) > 0 ? 'x' : alphabet[random.nextInt(alphabet.length)];
      }
      String s = new String(cs);
      byte[] beam = CoderUtils.encodeToByteArray(StringUtf8Coder.of(), s);
      byte[] ours = CoderUtils.encodeToByteArray(framed, s);
      assertArrayEquals(beam, Arrays.copyOfRange(ours, ours.length - beam.length, ours.length), s);
      assertEquals(CoderUtils.decodeFromByteArray(StringUtf8Coder.of(), beam), CoderUtils.decodeFromByteArray(framed, ours));
    }
  }

  /** An Avro row's Utf8 goes as its bytes: the bytes a String of the same text gives; and its hash from them. */
  @Test
  void textFromUtf8IsTheStringsBytesAndItsHashTheStringsHash() {
    for (String t : List.of("", "PQRS-0001", "76294440-1b45-3053-8270-173e9fa0a209", "señal ñ", "Adjunto 📎 —",
        "\u00ff\u0100", "x".repeat(300))) {
      byte[] fromString = new Frame.Writer().string(t).nullableString(t).nullableString(null).toByteArray();
      org.apache.avro.util.Utf8 u = new org.apache.avro.util.Utf8(t);
      byte[] fromUtf8 = new Frame.Writer().text(u).nullableText(u).nullableText(null).toByteArray();
      assertArrayEquals(fromString, fromUtf8, t);
      assertArrayEquals(fromString, new Frame.Writer().text(t).nullableText(t).nullableText(null).toByteArray(), t);
      byte[] b = ("··" + t).getBytes(StandardCharsets.UTF_8);
      int from = "··".getBytes(StandardCharsets.UTF_8).length;
      assertEquals(t.hashCode(), Frame.stringHash(b, from, b.length - from), t);
    }
  }

  @Test
  void nestsInBeamCoders() throws Exception {
    Coder<KV<String, Iterable<Sample>>> coder = KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(new SampleCoder()));
    List<Sample> group = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      group.add(new Sample("s" + i, i % 3 == 0 ? null : "m" + i, i * 1_000_003L, -i, i % 2 == 0 ? null : (long) i,
          new byte[i]));
    }
    KV<String, Iterable<Sample>> back = CoderUtils.clone(coder, KV.of("day=2025-03-03", group));
    assertEquals("day=2025-03-03", back.getKey());
    List<Sample> got = new ArrayList<>();
    back.getValue().forEach(got::add);
    assertEquals(group.size(), got.size());
    for (int i = 0; i < group.size(); i++) {
      assertSame(group.get(i), got.get(i));
    }
  }

  @Test
  void aCoderCalledInsideAnotherOnesFieldsGetsItsOwnBuffer() throws Exception {
    SampleCoder inner = new SampleCoder();
    Sample s = new Sample("inner", "é", 9, 9, 9L, new byte[] {9});
    AtomicCoder<Sample> outer = new AtomicCoder<>() {
      @Override
      public void encode(Sample v, OutputStream out) throws IOException {
        Frame.encode(v, out, (x, w) -> {
          w.string("before");
          inner.encode(x, new ByteArrayOutputStream());
          w.string("after");
        });
      }

      @Override
      public Sample decode(InputStream in) throws IOException {
        return Frame.decode(in, r -> {
          assertEquals("before", r.string());
          Sample back = inner.decode(new ByteArrayInputStream(CoderUtils.encodeToByteArray(inner, s)));
          assertEquals("after", r.string());
          return back;
        });
      }
    };
    assertSame(s, CoderUtils.clone(outer, s));
  }

  @Test
  void bytesThatDoNotFitTheCoderAreRefused() throws Exception {
    SampleCoder coder = new SampleCoder();
    byte[] good = CoderUtils.encodeToByteArray(coder, new Sample("abc", null, 1, 1, null, new byte[] {1}));
    // The stream ends inside the block.
    IOException cut = assertThrows(EOFException.class,
        () -> coder.decode(new ByteArrayInputStream(Arrays.copyOf(good, good.length - 1))));
    assertTrue(cut.getMessage().contains("cut short"), cut.getMessage());
    // The block says it is shorter than its fields.
    byte[] shortBlock = good.clone();
    shortBlock[0]--;
    IOException fields = assertThrows(IOException.class,
        () -> coder.decode(new ByteArrayInputStream(Arrays.copyOf(shortBlock, shortBlock.length - 1))));
    assertTrue(fields.getMessage().contains("ends before its fields"), fields.getMessage());
    // The block holds more than the coder reads.
    byte[] longBlock = Arrays.copyOf(good, good.length + 1);
    longBlock[0]++;
    IOException left = assertThrows(IOException.class, () -> coder.decode(new ByteArrayInputStream(longBlock)));
    assertTrue(left.getMessage().contains("did not read"), left.getMessage());
    // A null marker that is neither 0 nor 1.
    byte[] marker = good.clone();
    marker[5] = 7;
    IOException bad = assertThrows(IOException.class, () -> coder.decode(new ByteArrayInputStream(marker)));
    assertTrue(bad.getMessage().contains("null marker"), bad.getMessage());
    // After refusals, the thread's buffers still work.
    assertSame(new Sample("abc", null, 1, 1, null, new byte[] {1}), coder.decode(new ByteArrayInputStream(good)));
  }

  @Test
  void bronzeRecordsRoundTripThroughTheirCoders() throws Exception {
    Random random = new Random(20261203L);
    HeldBlocks blocks = new HeldBlocks(200);
    for (int n = 0; n < 200; n++) {
      BronzeEvent e = event(random, n);
      // A duplicate's failure, whose line is still in Raw, carries the line's digest instead.
      boolean inRaw = n % 4 == 0;
      Failure f = new Failure("ParseRaw", Failure.SCHEMA_VIOLATION, "campo «text» línea " + n, "raw/day=2025-03-03/p.jsonl",
          n, inRaw ? null : "{\"x\":" + n + "}", n % 5 == 0 ? "AAEC" : null, inRaw ? e.lineSha256() : null);
      CoderProperties.coderDecodeEncodeEqual(Failure.Coder.of(), f);
      BronzeEvent eb = CoderUtils.clone(BronzeEvent.Coder.of(), e);
      assertEquals(Arrays.asList(fieldsOf(e)), Arrays.asList(fieldsOf(eb)));
      assertArrayEquals(e.lineSha256(), eb.lineSha256());
      ParseRaw.Parsed pe = CoderUtils.clone(ParseRaw.Parsed.Coder.of(), ParseRaw.Parsed.of(e));
      assertNull(pe.failure());
      assertEquals(Arrays.asList(fieldsOf(e)), Arrays.asList(fieldsOf(pe.event())));
      // Silver's held form: the same bytes in a stream as the event's own coder, its ticket_id and
      // the event read back from them, before and after a stream.
      BronzeEvent.Coded coded = BronzeEvent.Coded.of(e);
      assertArrayEquals(CoderUtils.encodeToByteArray(BronzeEvent.Coder.of(), e),
          CoderUtils.encodeToByteArray(BronzeEvent.Coded.Coder.of(), coded));
      // Held in blocks (small ones: several events a block, some longer than one), read in place.
      BronzeEvent.Coded cloned = CoderUtils.clone(BronzeEvent.Coded.Coder.of(), coded);
      for (BronzeEvent.Coded c : List.of(coded, cloned, coded.heldIn(blocks), cloned.heldIn(blocks).heldIn(blocks))) {
        assertEquals(e.ticketId(), c.ticketId());
        assertEquals(e.ticketId().hashCode(), c.ticketHash());
        assertEquals(Arrays.asList(fieldsOf(e)), Arrays.asList(fieldsOf(c.event())));
        assertArrayEquals(CoderUtils.encodeToByteArray(BronzeEvent.Coder.of(), e),
            CoderUtils.encodeToByteArray(BronzeEvent.Coded.Coder.of(), c));
      }
      ParseRaw.Parsed pf = CoderUtils.clone(ParseRaw.Parsed.Coder.of(), ParseRaw.Parsed.of(f));
      assertNull(pf.event());
      assertEquals(f, pf.failure());
    }
  }

  private static String pick(Random random, String... values) {
    int i = random.nextInt(values.length + 1);
    return i == values.length ? null : values[i];
  }

  private static BronzeEvent event(Random random, int n) {
    String text = pick(random, "Solicito información", "queja por demora\ncon salto", "", "ok");
    return new BronzeEvent("e-" + n, "t-" + (n / 3), n % 2 == 0 ? "ticket_created" : "message_added", "1.0", random.nextLong(), random.nextInt(1441) - 720,
        random.nextInt(30_000), pick(random, "EXT-1"), pick(random, "web", "email"), pick(random, "P", "Q", "R"),
        pick(random, "alta"), pick(random, "11001", "05001"), pick(random, "Asunto ñ"), text,
        pick(random, "citizen"), pick(random, "RADICADO"), pick(random, "EN_TRAMITE"), pick(random, "razón"),
        pick(random, "a.pdf"), pick(random, "application/pdf"), random.nextBoolean() ? null : random.nextLong(),
        "raw/day=2025-03-0" + (n % 9) + "/part-00000.jsonl", n + 1L,
        Sha256.digest().digest(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)), random.nextInt(3));
  }

  private static Object[] fieldsOf(BronzeEvent e) {
    return new Object[] {e.eventId(), e.ticketId(), e.eventType(), e.schemaVersion(), e.tsMicros(), e.offsetMinutes(),
        e.eventDay(), e.externalId(), e.channel(), e.pqrsType(), e.priority(), e.municipalityCode(), e.subject(),
        e.text(), e.authorRole(), e.fromStatus(), e.toStatus(), e.reason(), e.fileName(), e.mimeType(), e.sizeBytes(),
        e.sourceFile(), e.sourceLine(), HexFormat.of().formatHex(e.lineSha256()), e.duplicatesDropped()};
  }

  /** UTF-8 bytes compared where they stand order texts as their Strings do (Bronze's day order of event_ids). */
  @Test
  void textsFromTheirBytesCompareAsTheirStrings() {
    String[] pieces = {"a", "b", "Z", "0", "-", "é", "ñ", "\u00ff", "\u0800", "\ue000", "\uffff", "😀", "\ud83d\udcce", ""};
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      String x = text(random, pieces);
      String y = random.nextInt(4) == 0 ? x + text(random, pieces) : text(random, pieces);
      int expected = Integer.signum(x.compareTo(y));
      // Each text somewhere inside a larger array, as a field inside an event's bytes.
      byte[] a = ("<<" + x + ">").getBytes(StandardCharsets.UTF_8);
      byte[] b = ("[" + y + "]]]").getBytes(StandardCharsets.UTF_8);
      int n = x.getBytes(StandardCharsets.UTF_8).length;
      int m = y.getBytes(StandardCharsets.UTF_8).length;
      assertEquals(expected, Integer.signum(Frame.compareAsStrings(a, 2, n, b, 1, m)), x + " against " + y);
      assertEquals(-expected, Integer.signum(Frame.compareAsStrings(b, 1, m, a, 2, n)), y + " against " + x);
    }
  }

  private static String text(Random random, String[] pieces) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(4); n > 0; n--) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  /** A text read into a reused buffer is its own bytes, however long the one before it was. */
  @Test
  void aTextReadIntoAReusedBufferIsItsOwn() throws IOException {
    Frame.Writer w = new Frame.Writer().string("una señal larga").nullableString(null).nullableString("ñ").string("");
    Frame.Reader r = Frame.Reader.of(w.toByteArray());
    org.apache.avro.util.Utf8 into = new org.apache.avro.util.Utf8();
    assertEquals("una señal larga", r.utf8(into).toString());
    assertNull(r.nullableUtf8(into));
    assertEquals("ñ", r.nullableUtf8(into).toString());
    assertEquals("", r.utf8(into).toString());
  }
}
