package co.pqrs.lakehouse.transforms.bronze;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.Rule;
import org.junit.Test;

/** ParseRaw and TypeBronze on a fixture with every failure kind: PAssert on the rows, the failures and the parsed stream. */
public class ParseRawTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static final String T1 = "11111111-1111-3111-8111-111111111111";
  static final String E = "aaaaaaaa-aaaa-3aaa-8aaa-aaaaaaaaaa";

  static String event(String id, String type, String ts, String data) {
    return "{\"schema_version\":\"1.0\",\"event_id\":\"" + id + "\",\"ticket_id\":\"" + T1
        + "\",\"event_type\":\"" + type + "\",\"ts\":\"" + ts + "\",\"data\":" + data + "}";
  }

  static String created(String id, String priority) {
    return event(id, "TICKET_CREATED", "2025-01-02T08:00:00-05:00",
        "{\"external_id\":\"WEB-1\",\"channel\":\"webform\",\"pqrs_type\":\"P\",\"priority\":\"" + priority
            + "\",\"municipality_code\":\"11001\",\"subject\":\"s\",\"text\":\"t\"}");
  }

  static RawLine line(long n, byte[] bytes) {
    return new RawLine("raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl", n, bytes);
  }

  static RawLine line(long n, String text) {
    return line(n, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] sha256(String line) {
    return co.pqrs.lakehouse.manifest.Sha256.digest().digest(line.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int i = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, i, p.length);
      i += p.length;
    }
    return out;
  }

  /** The fixture: line number -> expected outcome ("ok", "blank", or an error code). */
  static final Map<Long, String> EXPECTED = new TreeMap<>();

  static List<RawLine> fixture() {
    List<RawLine> l = new ArrayList<>();
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    l.add(line(1, concat(bom, created(E + "01", "media").getBytes(StandardCharsets.UTF_8))));
    EXPECTED.put(1L, "ok"); // a BOM is stripped
    l.add(line(2, created(E + "02", "baja") + "\r"));
    EXPECTED.put(2L, "ok"); // CRLF: the CR is stripped
    l.add(line(3, created(E + "03", "alta").substring(0, 80)));
    EXPECTED.put(3L, Failure.JSON_MALFORMED); // truncated
    l.add(line(4, concat("{\"schema_version\":\"1.0\",\"x\":\"caf".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}".getBytes(StandardCharsets.UTF_8))));
    EXPECTED.put(4L, Failure.ENCODING);
    String big = "x".repeat(1_000_000);
    l.add(line(5, event(E + "05", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"CITIZEN\",\"text\":\"" + big.substring(0, 19_000) + "\"}")));
    EXPECTED.put(5L, "ok");
    l.add(line(6, event(E + "06", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"CITIZEN\",\"text\":\"" + big + "\"}")));
    EXPECTED.put(6L, Failure.SCHEMA_VIOLATION); // a 1 MB line: parsed, text longer than the contract allows
    l.add(line(7, event(E + "07", "ATTACHMENT_ADDED", "2025-01-02T09:00:00Z",
        "{\"file_name\":\"a.pdf\",\"mime_type\":\"application/pdf\",\"size_bytes\":\"1200\"}")));
    EXPECTED.put(7L, Failure.SCHEMA_VIOLATION); // number as string
    l.add(line(8, event(E + "08", "MESSAGE_ADDED", "2025-01-02T09:00:00Z", "null")));
    EXPECTED.put(8L, Failure.SCHEMA_VIOLATION); // data: null
    l.add(line(9, event(E + "09", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"t\",\"mood\":\"happy\"}")));
    EXPECTED.put(9L, Failure.SCHEMA_VIOLATION); // extra field
    l.add(line(10, created(E + "10", "urgente")));
    EXPECTED.put(10L, Failure.SCHEMA_VIOLATION); // wrong enum
    l.add(line(11, event(E + "11", "MESSAGE_ADDED", "2025-01-02T09:00:00",
        "{\"author_role\":\"AGENT\",\"text\":\"t\"}")));
    EXPECTED.put(11L, Failure.BAD_TIMESTAMP); // no offset
    l.add(line(12, event(E + "12", "TICKET_MERGED", "2025-01-02T09:00:00Z", "{}")));
    EXPECTED.put(12L, Failure.UNKNOWN_EVENT_TYPE);
    l.add(line(13, event(E + "13", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"first\"}")));
    EXPECTED.put(13L, "ok");
    l.add(line(14, event(E + "13", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"second\"}")));
    EXPECTED.put(14L, Failure.DUPLICATE_EVENT_ID); // same event_id, different content
    l.add(line(15, "  \r"));
    EXPECTED.put(15L, "blank");
    l.add(line(16, "[1,2,3]"));
    EXPECTED.put(16L, Failure.JSON_MALFORMED); // JSON, but not an object
    l.add(line(17, event(E + "17", "MESSAGE_ADDED", "2025-02-30T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"t\"}")));
    EXPECTED.put(17L, Failure.BAD_TIMESTAMP); // the pattern fits, the date does not exist
    l.add(line(18, event(E + "13", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"first\"}") + "\r"));
    EXPECTED.put(18L, Failure.DUPLICATE_EVENT_ID); // line 13 again, with a CR that is not content
    l.add(line(19, event(E + "19\\n", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"t\"}")));
    EXPECTED.put(19L, Failure.SCHEMA_VIOLATION); // an id followed by an escaped newline is not a UUID
    l.add(line(20, event(E + "20", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"AGENT\",\"text\":\"first line\\nsecond line\\n\"}")));
    EXPECTED.put(20L, "ok"); // free text may break lines
    // A line longer than RawLine.MAX_BYTES, as the reader hands it on: its start and its length.
    byte[] head = ("[" + created(E + "21", "media") + ",").repeat(3000).getBytes(StandardCharsets.UTF_8);
    l.add(new RawLine("raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl", 21,
        java.util.Arrays.copyOf(head, RawLine.MAX_BYTES), RawLine.MAX_BYTES + 5000L));
    EXPECTED.put(21L, Failure.LINE_TOO_LONG); // even though it starts like an event
    String[] around = created(E + "22", "media").split("\"text\":\"t", 2);
    l.add(line(22, concat((around[0] + "\"text\":\"t").getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, around[1].getBytes(StandardCharsets.UTF_8))));
    EXPECTED.put(22L, Failure.ENCODING); // a surrogate written as UTF-8: well-formed bits, not UTF-8
    l.add(line(23, new byte[] {'{', 0, '}', 0}));
    EXPECTED.put(23L, Failure.JSON_MALFORMED); // "{}" if its bytes were read as UTF-16
    l.add(line(24, event(E + "24", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        "{\"author_role\":\"CITIZEN\",\"text\":\"gracias \uD83D\uDE4F ñandú\"}")));
    EXPECTED.put(24L, "ok"); // four-byte and two-byte characters
    l.add(line(25, event(E + "25", "ATTACHMENT_ADDED", "2025-01-02T09:00:00Z",
        "{\"file_name\":\"a.pdf\",\"mime_type\":\"application/pdf\",\"size_bytes\":1.2e3}")));
    EXPECTED.put(25L, "ok"); // 1200 to JSON Schema: past the fast path, the full validator accepts it
    l.add(line(26, created(E + "26", "media").replace("{\"external_id\"", "{\"channel\":\"chat\",\"external_id\"")));
    EXPECTED.put(26L, Failure.JSON_MALFORMED); // a key twice in one object
    l.add(line(27, created(E + "27", "media") + " " + created(E + "28", "media")));
    EXPECTED.put(27L, Failure.JSON_MALFORMED); // two events on one line: the second must not be dropped unseen
    return l;
  }

  private static final TupleTag<BronzeEvent> ROWS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  /** TypeBronze's outcome split as the Bronze writer writes it: rows, and quarantine records. */
  static class SplitJudgedFn extends DoFn<ParseRaw.Parsed, BronzeEvent> {
    @ProcessElement
    public void process(ProcessContext c) {
      if (c.element().failure() != null) {
        c.output(FAILURES, c.element().failure());
      } else {
        c.output(c.element().event());
      }
    }
  }

  /**
   * One parser instance, lines in a known order: a long line with two- and four-byte characters, then
   * shorter ones and a malformed one, through the decode buffer it keeps from line to line.
   */
  @Test
  public void aShorterLineAfterALongerOneDecodesToItsOwnText() {
    ParseRaw.ParseFn fn = new ParseRaw.ParseFn();
    fn.setup();
    List<ParseRaw.Parsed> got = new ArrayList<>();
    DoFn.OutputReceiver<ParseRaw.Parsed> out = into(got);
    String longText = "ñandú \uD83D\uDE4F ".repeat(500);
    String message = "{\"author_role\":\"CITIZEN\",\"text\":\"%s\"}";
    fn.process(line(1, event(E + "01", "MESSAGE_ADDED", "2025-01-02T09:00:00Z", String.format(message, longText))), out);
    fn.process(line(2, event(E + "02", "MESSAGE_ADDED", "2025-01-02T09:00:00Z", String.format(message, "corto"))), out);
    fn.process(line(3, concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, (byte) 0x28},
        "\"}".getBytes(StandardCharsets.UTF_8))), out);
    fn.process(line(4, event(E + "04", "MESSAGE_ADDED", "2025-01-02T09:00:00Z", String.format(message, "é"))), out);
    assertThat(got.size(), is(4));
    assertThat(got.get(0).event().text(), equalTo(longText));
    assertThat(got.get(1).event().text(), equalTo("corto"));
    assertThat(got.get(1).event().lineSha256(), equalTo(sha256(event(E + "02", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
        String.format(message, "corto")))));
    assertThat(got.get(2).failure().errorCode(), equalTo(Failure.ENCODING));
    assertThat(got.get(3).event().text(), equalTo("é"));
  }

  /**
   * The parser reads a line's bytes, and a line its byte parser refuses is parsed again as text: the
   * message is the text parser's, which names a character as the line has it (the byte parser names
   * the first byte of a two-byte character, and the test first checks that it does).
   */
  @Test
  public void aMalformedLineIsWordedAsTheTextParserWordsIt() throws Exception {
    ObjectMapper text = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    String[] malformed = {"{\"a\":ñ}", "{\"a\":\"ñandú\" \"b\":1}", "{\"a\":1,}", "{\"texto\":\"ñandú\"", "{\"a\":tru}",
        "{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}"};
    byte[] first = malformed[0].getBytes(StandardCharsets.UTF_8);
    assertThat(messageOf(() -> text.readTree(first, 0, first.length)),
        not(equalTo(messageOf(() -> text.readTree(malformed[0])))));
    ParseRaw.ParseFn fn = new ParseRaw.ParseFn();
    fn.setup();
    List<ParseRaw.Parsed> got = new ArrayList<>();
    DoFn.OutputReceiver<ParseRaw.Parsed> out = into(got);
    for (int i = 0; i < malformed.length; i++) {
      fn.process(line(i + 1, malformed[i]), out);
      Failure f = got.get(i).failure();
      assertThat(malformed[i], f.errorCode(), equalTo(Failure.JSON_MALFORMED));
      String line = malformed[i];
      assertThat(malformed[i], f.message(), equalTo("not valid JSON: " + messageOf(() -> text.readTree(line))));
      assertThat(f.payload(), equalTo(malformed[i]));
    }
  }

  /** A receiver that keeps what the parser outputs, in order. */
  private static DoFn.OutputReceiver<ParseRaw.Parsed> into(List<ParseRaw.Parsed> got) {
    return new DoFn.OutputReceiver<>() {
      @Override
      public void output(ParseRaw.Parsed p) {
        got.add(p);
      }

      @Override
      public void outputWithTimestamp(ParseRaw.Parsed p, org.joda.time.Instant t) {
        got.add(p);
      }
    };
  }

  private interface Parse {
    void run() throws Exception;
  }

  private static String messageOf(Parse p) {
    try {
      p.run();
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage().replace('\n', ' ');
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("parsed");
  }

  @Test
  public void everyLineBecomesOneRowOrOneFailureWithTheRightCode() {
    PCollection<RawLine> lines = pipeline.apply(Create.of(fixture()).withCoder(RawLine.Coder.of()));
    PCollection<ParseRaw.Parsed> parsed = lines.apply(new ParseRaw());
    PCollectionTuple typed = parsed.apply(new TypeBronze()).apply("SplitJudged",
        ParDo.of(new SplitJudgedFn()).withOutputTags(ROWS, TupleTagList.of(FAILURES)));
    typed.get(ROWS).setCoder(BronzeEvent.Coder.of());
    PCollection<Failure> failures = typed.get(FAILURES).setCoder(Failure.Coder.of());

    PAssert.that(failures).satisfies(fs -> {
      Map<Long, String> got = new TreeMap<>();
      for (Failure f : fs) {
        assertThat("one failure per line", got.put(f.sourceLine(), f.errorCode()), is((String) null));
        // A duplicate's payload is read back from Raw where the quarantine is written, by its digest.
        assertThat(f.payload() == null, is(f.errorCode().equals(Failure.DUPLICATE_EVENT_ID)));
        assertThat(f.payloadInRaw(), is(f.errorCode().equals(Failure.DUPLICATE_EVENT_ID)));
        assertThat(f.message(), notNullValue());
        assertThat(f.sourceFile(), containsString("day=2025-01-02"));
      }
      Map<Long, String> want = new TreeMap<>();
      EXPECTED.forEach((k, v) -> {
        if (!v.equals("ok") && !v.equals("blank")) {
          want.put(k, v);
        }
      });
      assertThat(got, equalTo(want));
      for (Failure f : fs) {
        if (f.sourceLine() == 10) {
          assertThat(f.message(), equalTo("/data/priority: \"urgente\" not in [alta, media, baja]"));
        }
        if (f.sourceLine() == 4) {
          assertThat(f.payloadBase64(), notNullValue()); // the exact bytes are kept
        }
        if (f.sourceLine() == 14) {
          assertThat(f.message(), containsString("already kept from raw/pqrs/run_id=t/day=2025-01-02/part-00000.jsonl:13"));
          assertThat(f.message(), containsString("content differs"));
          assertThat(f.lineSha256(), equalTo(sha256(event(E + "13", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
              "{\"author_role\":\"AGENT\",\"text\":\"second\"}"))));
        }
        if (f.sourceLine() == 18) {
          assertThat(f.message(), containsString("identical to the kept line"));
          assertThat(f.lineSha256(), equalTo(sha256(event(E + "13", "MESSAGE_ADDED", "2025-01-02T09:00:00Z",
              "{\"author_role\":\"AGENT\",\"text\":\"first\"}")))); // its CR is not content
        }
        if (f.sourceLine() == 7) {
          assertThat(f.message(), containsString("/data/size_bytes"));
        }
        if (f.sourceLine() == 19) {
          assertThat(f.message(), containsString("/event_id: \"" + E + "19\\n\" holds a line terminator"));
        }
        if (f.sourceLine() == 22) {
          assertThat(f.message(), equalTo("line is not valid UTF-8 (Input length = 3)"));
          assertThat(f.payloadBase64(), notNullValue());
        }
        if (f.sourceLine() == 23) {
          assertThat(f.message(), containsString("not valid JSON: Illegal character ((CTRL-CHAR, code 0))"));
        }
        if (f.sourceLine() == 26) {
          assertThat(f.message(), containsString("Duplicate field 'channel'"));
        }
        if (f.sourceLine() == 27) {
          assertThat(f.message(), containsString("Trailing token"));
        }
        if (f.sourceLine() == 9) {
          assertThat(f.message(), containsString("mood"));
        }
        if (f.sourceLine() == 21) {
          assertThat(f.message(), equalTo("line of 1,053,576 bytes, over the 1,048,576 a Raw event can take (one JSON "
              + "object per line: is the file JSON Lines?); payload: its first 1,048,576 bytes"));
          assertThat(f.payload().length(), is(RawLine.MAX_BYTES));
          assertThat(f.payload().startsWith("[{\"schema_version\""), is(true));
        }
      }
      return null;
    });
    PAssert.that(typed.get(ROWS)).satisfies(es -> {
      Map<Long, BronzeEvent> got = new TreeMap<>();
      es.forEach(e -> got.put(e.sourceLine(), e));
      assertThat(got.keySet(), equalTo(new java.util.TreeSet<>(List.of(1L, 2L, 5L, 13L, 20L, 24L, 25L))));
      assertThat(got.get(25L).sizeBytes(), is(1200L));
      assertThat(got.get(24L).text(), equalTo("gracias \uD83D\uDE4F ñandú"));
      assertThat(got.get(20L).text(), equalTo("first line\nsecond line\n"));
      assertThat(got.get(13L).duplicatesDropped(), is(2));
      assertThat(got.get(13L).text(), equalTo("first"));
      BronzeEvent first = got.get(1L);
      assertThat(first.offsetMinutes(), is(-300));
      // 08:00 in Bogota is 13:00 UTC
      assertThat(first.tsMicros(), is(java.time.Instant.parse("2025-01-02T13:00:00Z").toEpochMilli() * 1000));
      assertThat(first.eventDay(), is((int) java.time.LocalDate.parse("2025-01-02").toEpochDay()));
      assertThat(got.get(13L).lineSha256().length, is(0)); // survivors no longer carry their line's digest
      return null;
    });
    PAssert.that(parsed).satisfies(ps -> {
      Map<Long, ParseRaw.Parsed> byLine = new TreeMap<>();
      ps.forEach(p -> byLine.put(p.event() != null ? p.event().sourceLine() : p.failure().sourceLine(), p));
      // Every line but the blank one is parsed once, as an event or a failure, never both.
      Map<Long, String> want = new TreeMap<>(EXPECTED);
      want.values().removeIf("blank"::equals);
      assertThat(byLine.keySet(), equalTo(want.keySet()));
      byLine.forEach((n, p) -> assertThat("line " + n, (p.event() == null) != (p.failure() == null), is(true)));
      // The CR is removed before parsing, and before the digest.
      assertThat(byLine.get(2L).event().lineSha256(), equalTo(sha256(created(E + "02", "baja"))));
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
