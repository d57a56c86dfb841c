package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.contracts.RawContract;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One event of a simulated ticket before it becomes a Raw JSONL line. */
public final class SimEvent {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  private static final DateTimeFormatter NO_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  static final ZoneOffset BOGOTA = ZoneOffset.ofHours(-5);

  Instant ts;
  final String eventId;
  String ticketId;
  String eventType;
  final ObjectNode data;
  final boolean utc;
  /** Set by defect injection. */
  DefectKind defect;
  boolean dropOffset;
  boolean truncate;

  SimEvent(Instant ts, String eventId, String ticketId, String eventType, ObjectNode data, boolean utc) {
    this.ts = ts;
    this.eventId = eventId;
    this.ticketId = ticketId;
    this.eventType = eventType;
    this.data = data;
    this.utc = utc;
  }

  SimEvent copy(String newEventId) {
    SimEvent e = new SimEvent(ts, newEventId, ticketId, eventType, data.deepCopy(), utc);
    return e;
  }

  public Instant ts() {
    return ts;
  }

  public String eventId() {
    return eventId;
  }

  public String eventType() {
    return eventType;
  }

  public DefectKind defect() {
    return defect;
  }

  public String tsText() {
    if (dropOffset) {
      return NO_OFFSET.format(ts.atOffset(BOGOTA));
    }
    return RFC3339.format(ts.atOffset(utc ? ZoneOffset.UTC : BOGOTA));
  }

  /** The JSONL line, fields in contract order. */
  public String render() {
    ObjectNode n = JSON.createObjectNode();
    n.put("schema_version", RawContract.SCHEMA_VERSION);
    n.put("event_id", eventId);
    n.put("ticket_id", ticketId);
    n.put("event_type", eventType);
    n.put("ts", tsText());
    n.set("data", data);
    String line;
    try {
      line = JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return truncate ? line.substring(0, line.length() / 2) : line;
  }
}
