package co.pqrs.lakehouse.contracts;

import co.pqrs.lakehouse.config.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raw event contract ({@code data/contracts/v1/RAW-PQRS.schema.json}). Build one per worker (the
 * compiled schema is not serialisable); {@link #validate} is thread-safe.
 */
public final class RawContract {
  public static final String FILE = "RAW-PQRS.schema.json";
  public static final String SCHEMA_VERSION = "1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger LOG = LoggerFactory.getLogger(RawContract.class);

  private final JsonNode schemaNode;
  private final JsonSchema schema;
  /** Null when the schema uses a keyword the fast path does not implement: every event is then fully validated. */
  private final SchemaFastPath fast;

  private RawContract(JsonNode schemaNode) {
    this.schemaNode = schemaNode;
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
    SchemaFastPath compiled;
    try {
      compiled = SchemaFastPath.compile(schemaNode);
    } catch (SchemaFastPath.Unsupported e) {
      LOG.info("{}: every event goes through the full validator ({})", FILE, e.getMessage());
      compiled = null;
    }
    this.fast = compiled;
  }

  /** Whether events the contract surely accepts skip the full validator (see {@link SchemaFastPath}). */
  public boolean hasFastPath() {
    return fast != null;
  }

  public static RawContract load(Source source) {
    try {
      return new RawContract(JSON.readTree(source.bytes()));
    } catch (IOException e) {
      throw new co.pqrs.lakehouse.config.ConfigException(source.name(), null, "invalid JSON: " + e.getMessage());
    }
  }

  public static RawContract packaged() {
    return load(Source.packaged(Source.Kind.CONTRACTS, FILE));
  }

  /** One violation: where in the event (a JSON pointer), the schema keyword broken, and what is wrong. */
  public record Violation(String pointer, String keyword, String message) implements Serializable {
    @Override
    public String toString() {
      return pointer + ": " + message;
    }
  }

  /** Violations of a parsed event, sorted by pointer; empty when valid. */
  public List<Violation> validate(JsonNode event) {
    SchemaFastPath.Verdict verdict = fast == null ? SchemaFastPath.Verdict.UNSURE : fast.test(event);
    if (verdict == SchemaFastPath.Verdict.VALID) {
      return List.of();
    }
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(event)) {
      String pointer = m.getInstanceLocation().toString().replaceFirst("^\\$", "").replace('.', '/');
      if (pointer.isEmpty()) {
        pointer = "/";
      }
      String message = m.getMessage().replaceFirst("^\\$[^:]*: ", "");
      if ("enum".equals(m.getType()) || "const".equals(m.getType())) {
        // Name the offending value and what was allowed: /data/priority: "urgente" not in [alta, media, baja]
        JsonNode value = event.at(pointer.equals("/") ? "" : pointer);
        String allowed = m.getArguments() != null && m.getArguments().length > 0
            ? String.valueOf(m.getArguments()[0]) : "";
        message = value + " not in " + allowed;
      }
      out.add(new Violation(pointer, m.getType(), message));
    }
    if (out.isEmpty() && verdict == SchemaFastPath.Verdict.INVALID) {
      // The full validator reads a pattern's $ as java.util.regex does, matching before a final line
      // terminator ("<uuid>\n" would pass); JSON Schema reads it as ECMA-262 does, as the fast path.
      for (String pointer : fast.lineTerminatorBreaches(event)) {
        out.add(new Violation(pointer, "pattern",
            JSON.valueToTree(event.at(pointer).textValue()) + " holds a line terminator the pattern does not allow"));
      }
    }
    out.sort(java.util.Comparator.comparing(Violation::pointer).thenComparing(Violation::message));
    return out;
  }

  /** The values of an {@code enum} at a JSON pointer of the schema, e.g. /properties/event_type/enum. */
  public List<String> enumAt(String pointer) {
    JsonNode n = schemaNode.at(pointer);
    if (!n.isArray()) {
      throw new IllegalArgumentException("no enum at " + pointer + " in " + FILE);
    }
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** The pattern the schema gives {@code ts} (anchored with ^ and $, as JSON Schema patterns are searched). */
  public String tsPattern() {
    JsonNode n = schemaNode.at("/properties/ts/pattern");
    if (!n.isTextual()) {
      throw new IllegalArgumentException("no pattern at /properties/ts in " + FILE);
    }
    return n.asText();
  }

  public List<String> eventTypes() {
    return enumAt("/properties/event_type/enum");
  }

  public List<String> channels() {
    return enumAt("/$defs/ticket_created/properties/channel/enum");
  }

  public List<String> pqrsTypes() {
    return enumAt("/$defs/ticket_created/properties/pqrs_type/enum");
  }

  public List<String> priorities() {
    return enumAt("/$defs/ticket_created/properties/priority/enum");
  }

  public List<String> statuses() {
    return enumAt("/$defs/status/enum");
  }

  /** Field names a TICKET_CREATED payload may carry. */
  public List<String> ticketCreatedFields() {
    List<String> out = new ArrayList<>();
    schemaNode.at("/$defs/ticket_created/properties").fieldNames().forEachRemaining(out::add);
    return out;
  }
}
