package co.pqrs.lakehouse.contracts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import co.pqrs.lakehouse.config.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchemaFastPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final RawContract CONTRACT = RawContract.packaged();

  private static JsonNode schema(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static SchemaFastPath.Verdict fast(String schema, String instance) throws Exception {
    return SchemaFastPath.compile(schema(schema)).test(JSON.readTree(instance));
  }

  @Test
  void thePackagedContractRunsOnTheFastPath() {
    assertThat(CONTRACT.hasFastPath(), equalTo(true));
  }

  @Test
  void aLineTerminatorIsFoundWhereverItStandsAndNothingElseIs() {
    String terminators = "\n\r\u0085\u2028\u2029";
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      boolean is = terminators.indexOf(c) >= 0;
      String ch = String.valueOf((char) c);
      assertThat("U+" + Integer.toHexString(c), SchemaFastPath.hasLineTerminator(ch), equalTo(is));
      assertThat("U+" + Integer.toHexString(c), SchemaFastPath.hasLineTerminator("2025-03-03" + ch + "x"), equalTo(is));
    }
    assertThat(SchemaFastPath.hasLineTerminator(""), equalTo(false));
  }

  @Test
  void lengthsAreCountedInCodePoints() throws Exception {
    String max2 = "{\"type\":\"string\",\"maxLength\":2}";
    String min2 = "{\"type\":\"string\",\"minLength\":2}";
    assertThat(fast(max2, "\"\uD83D\uDE00\uD83D\uDE00\""), equalTo(SchemaFastPath.Verdict.VALID));
    assertThat(fast(max2, "\"\uD83D\uDE00\uD83D\uDE00x\""), equalTo(SchemaFastPath.Verdict.INVALID));
    assertThat(fast(min2, "\"\uD83D\uDE00\""), equalTo(SchemaFastPath.Verdict.INVALID));
    assertThat(fast(min2, "\"ab\""), equalTo(SchemaFastPath.Verdict.VALID));
  }

  @Test
  void leavesToTheFullValidatorWhatValidatorsMayReadDifferently() throws Exception {
    assertThat(fast("{\"type\":\"integer\"}", "1.0"), equalTo(SchemaFastPath.Verdict.UNSURE));
    assertThat(fast("{\"type\":\"integer\"}", "\"1\""), equalTo(SchemaFastPath.Verdict.INVALID));
    // $ is the end of the string, as in ECMA-262, where the plain matcher decides; java.util.regex's
    // patterns leave a line terminator undecided.
    assertThat(fast("{\"pattern\":\"^[0-9]{5}$\"}", "\"11001\\n\""), equalTo(SchemaFastPath.Verdict.INVALID));
    assertThat(fast("{\"pattern\":\"^[0-9]{5}\\\\b\"}", "\"11001\\n\""), equalTo(SchemaFastPath.Verdict.UNSURE));
    assertThat(fast("{\"minimum\":0}", "123456789012345678901234567890"), equalTo(SchemaFastPath.Verdict.UNSURE));
    // An undecided condition leaves the whole if/then undecided, whatever the then says.
    assertThat(fast("{\"if\":{\"type\":\"integer\"},\"then\":false}", "2.0"), equalTo(SchemaFastPath.Verdict.UNSURE));
    assertThat(fast("{\"if\":{\"type\":\"integer\"},\"then\":false}", "2"), equalTo(SchemaFastPath.Verdict.INVALID));
    assertThat(fast("{\"if\":{\"type\":\"integer\"},\"then\":false}", "\"2\""), equalTo(SchemaFastPath.Verdict.VALID));
  }

  @Test
  void refusesASchemaWithAKeywordItDoesNotImplementAndTheContractStillValidates() {
    SchemaFastPath.Unsupported e = assertThrows(SchemaFastPath.Unsupported.class,
        () -> SchemaFastPath.compile(schema("{\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"string\"}]}}}")));
    assertThat(e.getMessage(), containsString("/properties/a/oneOf"));
    assertThrows(SchemaFastPath.Unsupported.class,
        () -> SchemaFastPath.compile(schema("{\"$ref\":\"https://example.org/other.json\"}")));
    assertThrows(SchemaFastPath.Unsupported.class,
        () -> SchemaFastPath.compile(schema("{\"additionalProperties\":false,\"patternProperties\":{\"^x\":{}}}")));

    RawContract slow = RawContract.load(new Source("narrow.schema.json",
        "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"string\"}]}}}"
            .getBytes(StandardCharsets.UTF_8)));
    assertThat(slow.hasFastPath(), equalTo(false));
    assertThat(slow.validate(schema("{\"a\":\"x\"}")).size(), equalTo(0));
    assertThat(slow.validate(schema("{\"a\":1}")).size(), greaterThan(0));
    assertThat(slow.validate(schema("{}")).size(), greaterThan(0));
  }

  /**
   * The fast path against the full validator on seeded events of every type and their mutations: it may
   * leave an event undecided, but never calls valid what the validator refuses, nor invalid what it
   * accepts (save a pattern-bound string with a line terminator, which JSON Schema refuses and the
   * validator does not); and it decides every unmutated event.
   */
  @Test
  void neverContradictsTheFullValidatorOnMutatedEvents() throws Exception {
    JsonNode schemaNode = JSON.readTree(Source.packaged(Source.Kind.CONTRACTS, RawContract.FILE).bytes());
    JsonSchema full = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
    SchemaFastPath fast = SchemaFastPath.compile(schemaNode);
    Random random = new Random(20250304);
    Map<SchemaFastPath.Verdict, Integer> seen = new EnumMap<>(SchemaFastPath.Verdict.class);
    int fullValid = 0;
    int terminated = 0;
    for (int round = 0; round < 6_000; round++) {
      ObjectNode event = event(random, CONTRACT.eventTypes().get(random.nextInt(4)));
      int mutations = round % 5 == 0 ? 0 : 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        mutate(random, event);
      }
      boolean valid = full.validate(event).isEmpty();
      SchemaFastPath.Verdict verdict = fast.test(event);
      seen.merge(verdict, 1, Integer::sum);
      fullValid += valid ? 1 : 0;
      if (verdict == SchemaFastPath.Verdict.VALID) {
        assertThat("fast path accepted what the validator refuses: " + event, valid, equalTo(true));
      }
      if (verdict == SchemaFastPath.Verdict.INVALID && valid) {
        // Allowed in one case: a pattern's $ before a final line terminator, which the validator lets
        // match and JSON Schema does not; the contract then names each such field.
        List<RawContract.Violation> v = CONTRACT.validate(event);
        assertThat("fast path refused what the validator accepts: " + event, v.isEmpty(), equalTo(false));
        for (RawContract.Violation x : v) {
          assertThat(x.toString(), x.message(), containsString("holds a line terminator"));
        }
        terminated++;
      }
      if (mutations == 0) {
        assertThat("an unmutated event left undecided: " + event, verdict, equalTo(SchemaFastPath.Verdict.VALID));
      }
    }
    // Both answers, and undecided ones, were exercised; most valid events are decided.
    assertThat(seen.getOrDefault(SchemaFastPath.Verdict.INVALID, 0), greaterThan(1_500));
    assertThat(seen.getOrDefault(SchemaFastPath.Verdict.UNSURE, 0), greaterThan(0));
    assertThat(terminated, greaterThan(0));
    assertThat(seen.getOrDefault(SchemaFastPath.Verdict.VALID, 0), greaterThan(fullValid * 9 / 10));
  }

  private static String uuid(Random r) {
    String hex = "0123456789abcdef";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        s.append('-');
      }
      s.append(hex.charAt(r.nextInt(16)));
    }
    return s.toString();
  }

  private static String text(Random r, int length) {
    String letters = "abcdefghijklmnñopqrstuvwxyzáéíóú ABCÑ.,";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(letters.charAt(r.nextInt(letters.length())));
    }
    return s.toString();
  }

  private static <T> T pick(Random r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static ObjectNode event(Random r, String type) {
    ObjectNode e = NODES.objectNode();
    e.put("schema_version", RawContract.SCHEMA_VERSION);
    e.put("event_id", uuid(r));
    e.put("ticket_id", uuid(r));
    e.put("event_type", type);
    e.put("ts", String.format("2025-%02d-%02dT%02d:%02d:%02d%s", 1 + r.nextInt(12), 1 + r.nextInt(28),
        r.nextInt(24), r.nextInt(60), r.nextInt(60), pick(r, List.of("Z", "-05:00", ".123-05:00", "+01:30"))));
    ObjectNode d = e.putObject("data");
    switch (type) {
      case "TICKET_CREATED" -> {
        d.put("external_id", "WEB-" + r.nextInt(100_000));
        d.put("channel", pick(r, CONTRACT.channels()));
        d.put("pqrs_type", pick(r, CONTRACT.pqrsTypes()));
        d.put("priority", pick(r, CONTRACT.priorities()));
        d.put("municipality_code", String.format("%05d", r.nextInt(100_000)));
        d.put("subject", text(r, 1 + r.nextInt(200)));
        d.put("text", text(r, 1 + r.nextInt(400)));
      }
      case "MESSAGE_ADDED" -> {
        d.put("author_role", pick(r, List.of("CITIZEN", "AGENT")));
        d.put("text", text(r, 1 + r.nextInt(400)));
      }
      case "STATUS_CHANGED" -> {
        d.put("from_status", pick(r, CONTRACT.statuses()));
        d.put("to_status", pick(r, CONTRACT.statuses()));
        if (r.nextBoolean()) {
          d.put("reason", text(r, r.nextInt(500)));
        }
      }
      default -> {
        d.put("file_name", text(r, 1 + r.nextInt(255)));
        d.put("mime_type", pick(r, List.of("application/pdf", "image/jpeg", "text/plain")));
        d.put("size_bytes", r.nextInt(5_000_000));
      }
    }
    return e;
  }

  /** Values that sit on or across the edges the contract draws: types, lengths, patterns, enums. */
  private static JsonNode value(Random r, JsonNode current) {
    String smile = "\uD83D\uDE00";
    return switch (r.nextInt(22)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(true);
      case 2 -> NODES.numberNode(0);
      case 3 -> NODES.numberNode(-1);
      case 4 -> NODES.numberNode(1.0);
      case 5 -> NODES.numberNode(2.5);
      case 6 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
      case 7 -> NODES.textNode("");
      case 8 -> NODES.textNode(text(r, pick(r, List.of(64, 65, 200, 201, 255, 256, 500, 501))));
      case 9 -> NODES.textNode(smile.repeat(pick(r, List.of(1, 64, 65, 100, 101, 200, 201))));
      case 10 -> NODES.textNode(current.isTextual() ? current.textValue() + "\n" : "\n");
      case 11 -> NODES.textNode(current.isTextual() ? current.textValue().toUpperCase() : "X");
      case 12 -> NODES.textNode(current.isTextual() && !current.textValue().isEmpty()
          ? current.textValue().substring(1) : "x");
      case 13 -> NODES.textNode(pick(r, CONTRACT.statuses()));
      case 14 -> NODES.textNode(pick(r, CONTRACT.eventTypes()));
      case 15 -> NODES.textNode(pick(r, List.of("email", "P", "alta", "AGENT", "1.0", "1.1", "11001", "1100a")));
      case 16 -> NODES.textNode(uuid(r));
      case 17 -> NODES.textNode(pick(r, List.of("2025-03-03T05:02:55Z", "2025-03-03T05:02:55", "2025-03-03")));
      case 18 -> NODES.arrayNode().add("x");
      case 19 -> NODES.objectNode();
      case 20 -> NODES.textNode(pick(r, List.of("a/b", "A/b", "image/svg+xml", "image/", "x/y z")));
      default -> NODES.numberNode(r.nextInt(3) - 1);
    };
  }

  private static JsonNode edgeLength(Random r) {
    int length = pick(r, List.of(0, 1, 2, 64, 65, 200, 201, 255, 256, 500, 501, 20_000, 20_001));
    return NODES.textNode(r.nextBoolean() ? text(r, length) : "\uD83D\uDE00".repeat(length));
  }

  private static void mutate(Random r, ObjectNode event) {
    JsonNode data = event.get("data");
    ObjectNode target = data instanceof ObjectNode o && r.nextBoolean() ? o : event;
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    switch (r.nextInt(6)) {
      case 0 -> {
        if (!names.isEmpty()) {
          target.remove(pick(r, names));
        }
      }
      case 1 -> target.put(pick(r, List.of("extra", "reason", "size_bytes", "text", "channel")), "x");
      case 2 -> event.put("event_type", pick(r, CONTRACT.eventTypes()));
      default -> {
        if (!names.isEmpty()) {
          String name = pick(r, names);
          JsonNode current = target.get(name);
          // Strings are sized on and across the contract's length limits half of the time.
          target.set(name, current.isTextual() && r.nextBoolean() ? edgeLength(r) : value(r, current));
        }
      }
    }
    if (r.nextInt(50) == 0) {
      ArrayNode a = event.putArray("data");
      a.add(1);
    }
  }
}
