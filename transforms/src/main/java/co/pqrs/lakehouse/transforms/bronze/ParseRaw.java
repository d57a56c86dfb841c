package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.contracts.EpochMicros;
import co.pqrs.lakehouse.metrics.StepCounters;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.contracts.RawTimestamps;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Parses Raw lines and validates them against the Raw contract. Every line leaves by exactly one
 * door: {@link #PARSED} (a typed event), {@link #FAILED} (with its payload, position, code and
 * message) or {@link #BLANK}. A UTF-8 BOM and a CR before the newline are transport artefacts: they
 * are removed before parsing and the line is judged on its content.
 */
public class ParseRaw extends PTransform<PCollection<RawLine>, PCollectionTuple> {
  public static final String STEP = "ParseRaw";
  public static final TupleTag<BronzeEvent> PARSED = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILED = new TupleTag<>() {};
  public static final TupleTag<RawLine> BLANK = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<RawLine> lines) {
    PCollectionTuple out = lines.apply("ParseAndValidate",
        ParDo.of(new ParseFn()).withOutputTags(PARSED, TupleTagList.of(FAILED).and(BLANK)));
    out.get(PARSED).setCoder(BronzeEvent.Coder.of());
    out.get(FAILED).setCoder(Failure.Coder.of());
    out.get(BLANK).setCoder(RawLine.Coder.of());
    return out;
  }

  static class ParseFn extends DoFn<RawLine, BronzeEvent> {
    private transient RawContract contract;
    private transient ObjectMapper json;
    private transient CharsetDecoder utf8;

    @Setup
    public void setup() {
      // Built once per DoFn instance: compiling the schema is the expensive part.
      contract = RawContract.packaged();
      json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      utf8 = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @ProcessElement
    public void process(@Element RawLine raw, MultiOutputReceiver out) {
      byte[] b = raw.bytes();
      int start = 0;
      int end = b.length;
      if (end >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
        start = 3;
      }
      if (end > start && b[end - 1] == '\r') {
        end--;
      }
      boolean isBlank = true;
      for (int i = start; i < end && isBlank; i++) {
        isBlank = b[i] == ' ' || b[i] == '\t';
      }
      if (isBlank) {
        StepCounters.BLANK_LINES.inc();
        out.get(BLANK).output(raw);
        return;
      }
      String text;
      try {
        text = utf8.reset().decode(ByteBuffer.wrap(b, start, end - start)).toString();
      } catch (CharacterCodingException e) {
        fail(out, raw, new String(b, start, end - start, StandardCharsets.UTF_8),
            Base64.getEncoder().encodeToString(b), Failure.ENCODING,
            "line is not valid UTF-8 (" + e.getMessage() + ")");
        return;
      }
      JsonNode node;
      try {
        node = json.readTree(text);
      } catch (JsonProcessingException e) {
        fail(out, raw, text, null, Failure.JSON_MALFORMED,
            "not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
        return;
      }
      if (node == null || !node.isObject()) {
        fail(out, raw, text, null, Failure.JSON_MALFORMED, "expected a JSON object, got "
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
        fail(out, raw, text, null, code, msg);
        return;
      }
      OffsetDateTime ts = RawTimestamps.parse(node.get("ts").asText());
      if (ts == null) {
        fail(out, raw, text, null, Failure.BAD_TIMESTAMP,
            "/ts: \"" + node.get("ts").asText() + "\" is not a real date-time");
        return;
      }
      JsonNode d = node.get("data");
      out.get(PARSED).output(new BronzeEvent(
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
          raw.file(), raw.lineNumber(), start == 0 && end == b.length ? b : java.util.Arrays.copyOfRange(b, start, end),
          0));
    }

    private static String str(JsonNode d, String field) {
      JsonNode v = d.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    private void fail(MultiOutputReceiver out, RawLine raw, String payload, String base64, String code, String msg) {
      StepCounters.quarantined(code).inc();
      out.get(FAILED).output(new Failure(STEP, code, msg, raw.file(), raw.lineNumber(), payload, base64));
    }
  }
}
