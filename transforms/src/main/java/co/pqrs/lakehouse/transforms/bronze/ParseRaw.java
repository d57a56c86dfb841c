package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.contracts.EpochMicros;
import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.contracts.RawTimestamps;
import co.pqrs.lakehouse.manifest.Sha256;
import co.pqrs.lakehouse.transforms.io.Frame;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Parses Raw lines and validates them against the Raw contract. Every line that is not blank becomes
 * one {@link Parsed}: a typed event, or a {@link Failure} with its payload, position, code and message.
 * A UTF-8 BOM and a CR before the newline are transport artefacts: they are removed before parsing and
 * the line is judged on its content. Blank lines ({@link RawLine#isBlank}) are left out and counted
 * from the Raw files by the same rule ({@link ReadRawLines.CountLines}), so the accounting check
 * still sees every line.
 *
 * <p>Events and failures leave as one stream rather than by two tagged outputs: on Flink's batch
 * runner every output of a multi-output step re-reads (decodes) all of the step's elements, and each
 * reader of an output decodes it again. One stream has one reader, {@link TypeBronze}, which passes
 * the failures on to quarantine, and decodes no event's text fields ({@link Parsed}).
 */
public class ParseRaw extends PTransform<PCollection<RawLine>, PCollection<ParseRaw.Parsed>> {
  public static final String STEP = "ParseRaw";

  /**
   * What a line became: exactly one of an event and a failure.
   *
   * <p>An event read back from a runner's stream keeps its fields as the coder wrote them and is
   * decoded only when {@link #event} is asked for. The two steps that read every parsed event before
   * the day writer need a few fields of it: the de-duplication's judge its event_id, position and
   * line's digest, the day keying its day and event_id, and a survivor of de-duplication is the same
   * bytes with its digest left out. Decoding every text field in both and encoding the survivors again were a tenth of
   * Bronze's profile samples; now only the day writer decodes an event (3 % less of Bronze's CPU at
   * 5 M events: docs/benchmarks/changes.md, "Thirtieth change").
   */
  public static final class Parsed {
    private BronzeEvent event;
    private byte[] fields; // BronzeEvent.Coder's fields of the event, when it came from a stream
    private final Failure failure;
    // >= 0 for a survivor made from fields: its fields are these with the digest left out and this
    // count. The coder splices them into the stream (BronzeEvent.Coder.writeSurvivor); they are made
    // as an array only if something reads them here.
    private int survivorDropped = -1;

    private Parsed(BronzeEvent event, byte[] fields, Failure failure) {
      this.event = event;
      this.fields = fields;
      this.failure = failure;
    }

    public static Parsed of(BronzeEvent event) {
      return new Parsed(java.util.Objects.requireNonNull(event), null, null);
    }

    /**
     * An event made here, encoded once: as fields, each encoding copies these bytes (the parser's
     * records had two readers, and Flink's batch runner encodes a record once for each:
     * docs/benchmarks/changes.md, "Fifty-third change").
     */
    static Parsed encoded(BronzeEvent event) {
      return new Parsed(null, BronzeEvent.Coder.fields(event), null);
    }

    /** An event as the fields {@code BronzeEvent.Coder} writes, as a stream would hand them over. */
    static Parsed ofFields(byte[] fields) {
      return new Parsed(null, java.util.Objects.requireNonNull(fields), null);
    }

    public static Parsed of(Failure failure) {
      return new Parsed(null, null, java.util.Objects.requireNonNull(failure));
    }

    /** The event, decoded on first use; null for a failure. */
    public BronzeEvent event() {
      if (event == null && fields != null) {
        event = fromFields(BronzeEvent.Coder::read);
      }
      return event;
    }

    /**
     * The event's fields as {@code BronzeEvent.Coder} writes them: those it came from a stream in, or
     * for an event made here its encoding.
     */
    public byte[] eventFields() {
      if (fields == null && event != null) {
        return BronzeEvent.Coder.fields(event);
      }
      return fromFields(r -> fields); // a failure's: refused, with its position
    }

    /** The failure; null for an event. */
    public Failure failure() {
      return failure;
    }

    // What the keyings read of an event, from its fields when it has them (the de-duplication's judge
    // reads its own: TypeBronze.Occurrence). They come before the digest, so a survivor reads them
    // without being spliced.

    /** {@code eventId().hashCode()}, from the fields when it has them: no String for an ASCII event_id. */
    public int eventIdHash() {
      if (event != null) {
        return event.eventId().hashCode();
      }
      return fromFirstFields(r -> {
        int at = r.fieldStart();
        return Frame.stringHash(fields, at, r.position() - at);
      });
    }

    public int eventDay() {
      return event != null ? event.eventDay() : fromFirstFields(BronzeEvent.Coder::eventDay);
    }

    /**
     * An estimate of the heap this takes while held: the bytes of its fields as they came from a
     * stream, or for an event made here twice its fields' encoding (its Strings hold a char or a byte
     * per byte, and an object header each).
     */
    public long heapBytes() {
      if (fields != null) {
        return 64 + fields.length;
      }
      if (event != null) {
        return 512 + 2L * BronzeEvent.Coder.fields(event).length;
      }
      return 512 + 2L * (failure.payload() == null ? 0 : failure.payload().length());
    }

    /**
     * The survivor of de-duplication ({@link BronzeEvent#survivor}), without decoding the event: its
     * fields are spliced from these where it is encoded (the day keying hands every survivor to the
     * batching of the day shuffle, which encodes it at once), not copied into an array of its own.
     */
    public Parsed survivor(int duplicatesDropped) {
      if (fields == null && event != null) {
        return of(event.survivor(duplicatesDropped));
      }
      Parsed s = new Parsed(null, fromFields(r -> fields), null);
      s.survivorDropped = duplicatesDropped;
      return s;
    }

    private <T> T fromFields(Frame.FieldsIn<T> read) {
      return read(read, true);
    }

    /** A read of the fields before the digest, which a survivor has as they are, unspliced. */
    private <T> T fromFirstFields(Frame.FieldsIn<T> read) {
      return read(read, false);
    }

    private <T> T read(Frame.FieldsIn<T> read, boolean splice) {
      if (fields == null) {
        throw new IllegalStateException("a failure has no event fields: " + failure.sourceFile() + ":" + failure.sourceLine());
      }
      try {
        if (splice && survivorDropped >= 0) {
          fields = BronzeEvent.Coder.survivorFields(fields, survivorDropped);
          survivorDropped = -1;
        }
        return read.read(Frame.Reader.of(fields));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("a parsed event's fields do not decode", e);
      }
    }

    public static final class Coder extends AtomicCoder<Parsed> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Parsed p, OutputStream out) throws IOException {
        Frame.encode(p, out, Coder::write);
      }

      @Override
      public Parsed decode(InputStream in) throws IOException {
        return Frame.decode(in, Coder::read);
      }

      // One block: a marker (event or failure), then that record's fields.
      private static void write(Parsed p, Frame.Writer w) throws IOException {
        if (p.fields != null && p.survivorDropped >= 0) {
          BronzeEvent.Coder.writeSurvivor(p.fields, p.survivorDropped, w.marker(true));
        } else if (p.fields != null) {
          w.marker(true).raw(p.fields, 0, p.fields.length);
        } else if (p.event != null) {
          BronzeEvent.Coder.write(p.event, w.marker(true));
        } else {
          Failure.Coder.write(p.failure, w.marker(false));
        }
      }

      private static Parsed read(Frame.Reader r) throws IOException {
        if (r.marker()) {
          return ofFields(r.rest());
        }
        return Parsed.of(Failure.Coder.read(r));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  @Override
  public PCollection<Parsed> expand(PCollection<RawLine> lines) {
    return lines.apply("ParseAndValidate", ParDo.of(new ParseFn())).setCoder(Parsed.Coder.of());
  }

  static class ParseFn extends DoFn<RawLine, Parsed> {
    private transient RawContract contract;
    private transient ObjectMapper json;
    private transient CharsetDecoder utf8;
    // Reused for every line: CharsetDecoder.decode(ByteBuffer) allocates a buffer of the line's length
    // for each (6 % of the parser's samples timed apart) only to copy it into the String.
    private transient CharBuffer chars;
    private transient MessageDigest sha256;

    @Setup
    public void setup() {
      // Built once per DoFn instance: compiling the schema is the expensive part.
      contract = RawContract.packaged();
      // A key twice and anything after the object are malformed: by Jackson's default a second event
      // on the line would be dropped unseen.
      json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      sha256 = Sha256.digest();
      utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @ProcessElement
    public void process(@Element RawLine raw, OutputReceiver<Parsed> out) {
      byte[] b = raw.bytes();
      if (raw.truncated()) {
        // Its start is kept as the payload; the whole line stays in Raw, at the file and line named.
        fail(out, raw, new String(b, StandardCharsets.UTF_8), null, Failure.LINE_TOO_LONG, String.format(
            java.util.Locale.ROOT, "line of %,d bytes, over the %,d a Raw event can take (one JSON object per "
                + "line: is the file JSON Lines?); payload: its first %,d bytes", raw.length(), RawLine.MAX_BYTES, b.length));
        return;
      }
      int start = RawLine.contentStart(b, 0, b.length);
      int end = RawLine.contentEnd(b, start, b.length);
      if (RawLine.isBlankContent(b, start, end)) {
        StepCounters.BLANK_LINES.inc();
        return;
      }
      int bytes = kinds(b, start, end);
      if ((bytes & NON_ASCII) != 0) {
        try {
          checkUtf8(b, start, end);
        } catch (CharacterCodingException e) {
          fail(out, raw, new String(b, start, end - start, StandardCharsets.UTF_8),
              Base64.getEncoder().encodeToString(b), Failure.ENCODING,
              "line is not valid UTF-8 (" + e.getMessage() + ")");
          return;
        }
      }
      // Jackson reads the bytes themselves (no String made of every line: docs/benchmarks/changes.md,
      // "Fifty-seventh change"), unless the line holds a NUL, which its byte parser's
      // detection of the encoding could take for UTF-16 or UTF-32. A line the byte parser refuses
      // is parsed again as text, so that what is refused, and how it is worded, are the text parser's.
      String text = null; // the line as text: made for a failure's payload, or to parse it as text
      JsonNode node = null;
      if ((bytes & NUL) == 0) {
        try {
          node = json.readTree(b, start, end - start);
        } catch (IOException e) {
          // a refusal (nothing else reads an array): the line is parsed as text below
        }
      }
      if (node == null) {
        text = new String(b, start, end - start, StandardCharsets.UTF_8);
        try {
          node = json.readTree(text);
        } catch (JsonProcessingException e) {
          fail(out, raw, text, null, Failure.JSON_MALFORMED,
              "not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
          return;
        }
      }
      if (node == null || !node.isObject()) {
        fail(out, raw, text(text, b, start, end), null, Failure.JSON_MALFORMED, "expected a JSON object, got "
            + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        return;
      }
      List<RawContract.Violation> v = contract.validate(node);
      if (!v.isEmpty()) {
        String code = Failure.SCHEMA_VIOLATION;
        RawContract.Violation first = v.get(0);
        for (RawContract.Violation x : v) {
          if (x.pointer().equals("/event_type")) {
            code = Failure.UNKNOWN_EVENT_TYPE;
            first = x;
            break;
          }
          if (x.pointer().equals("/ts")) {
            code = Failure.BAD_TIMESTAMP;
            first = x;
          }
        }
        String msg = first.pointer() + ": " + first.message()
            + (v.size() > 1 ? " (and " + (v.size() - 1) + " more)" : "");
        fail(out, raw, text(text, b, start, end), null, code, msg);
        return;
      }
      OffsetDateTime ts = RawTimestamps.parse(node.get("ts").asText());
      if (ts == null) {
        fail(out, raw, text(text, b, start, end), null, Failure.BAD_TIMESTAMP,
            "/ts: \"" + node.get("ts").asText() + "\" is not a real date-time");
        return;
      }
      JsonNode d = node.get("data");
      out.output(Parsed.encoded(new BronzeEvent(
          node.get("event_id").asText(),
          node.get("ticket_id").asText(),
          node.get("event_type").asText(),
          node.get("schema_version").asText(),
          EpochMicros.of(ts.toInstant()),
          ts.getOffset().getTotalSeconds() / 60,
          (int) ts.atZoneSameInstant(BusinessCalendar.ZONE).toLocalDate().toEpochDay(),
          str(d, "external_id"), str(d, "channel"), str(d, "pqrs_type"), str(d, "priority"),
          str(d, "municipality_code"), str(d, "subject"), str(d, "text"), str(d, "author_role"),
          str(d, "from_status"), str(d, "to_status"), str(d, "reason"), str(d, "file_name"),
          str(d, "mime_type"), d.has("size_bytes") ? d.get("size_bytes").asLong() : null,
          raw.file(), raw.lineNumber(), lineSha256(b, start, end), 0)));
    }

    /** The SHA-256 of the line's content: what the de-duplication compares, as {@link RawPayloads} checks. */
    private byte[] lineSha256(byte[] b, int start, int end) {
      sha256.update(b, start, end - start);
      return sha256.digest();
    }

    private static String str(JsonNode d, String field) {
      JsonNode v = d.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    private static final int NON_ASCII = 1;
    private static final int NUL = 2;

    /** Which of {@link #NON_ASCII} and {@link #NUL} bytes {@code [start, end)} hold. */
    static int kinds(byte[] b, int start, int end) {
      int kinds = 0;
      for (int i = start; i < end; i++) {
        if (b[i] <= 0) {
          kinds |= b[i] == 0 ? NUL : NON_ASCII;
        }
      }
      return kinds;
    }

    /** The line's content as text, made when a failure needs it as its payload. */
    private static String text(String made, byte[] b, int start, int end) {
      return made != null ? made : new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    /**
     * Refuses what is not strictly UTF-8: what {@code utf8.decode} refuses (the same decoder, so the
     * same refusal of a malformed or unmappable sequence), decoded into a buffer kept from line to line.
     */
    private void checkUtf8(byte[] b, int start, int end) throws CharacterCodingException {
      // UTF-8 never yields more chars than bytes.
      if (chars == null || chars.capacity() < end - start) {
        chars = CharBuffer.allocate(Math.max(1024, end - start));
      }
      chars.clear();
      ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
      CoderResult r = utf8.reset().decode(in, chars, true);
      if (r.isUnderflow()) {
        r = utf8.flush(chars);
      }
      if (!r.isUnderflow()) {
        r.throwException();
      }
    }

    private void fail(OutputReceiver<Parsed> out, RawLine raw, String payload, String base64, String code, String msg) {
      StepCounters.quarantined(code).inc();
      out.output(Parsed.of(new Failure(STEP, code, msg, raw.file(), raw.lineNumber(), payload, base64)));
    }
  }
}
