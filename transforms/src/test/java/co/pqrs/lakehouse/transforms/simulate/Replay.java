package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.StatusModel;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An independent reading of one ticket's Raw events, written for the tests from the contract and
 * the state machine only (not from the simulator's plan): its status path and its SLA clock.
 */
final class Replay {
  final String ticketId;
  JsonNode created;
  Instant createdAt;
  final List<JsonNode> events = new ArrayList<>();

  Replay(String ticketId) {
    this.ticketId = ticketId;
  }

  static Instant ts(JsonNode e) {
    return OffsetDateTime.parse(e.get("ts").asText()).toInstant();
  }

  List<JsonNode> statuses() {
    List<JsonNode> s = new ArrayList<>();
    for (JsonNode e : events) {
      if (e.get("event_type").asText().equals("STATUS_CHANGED")) {
        s.add(e);
      }
    }
    s.sort(Comparator.comparing(Replay::ts).thenComparing(e -> e.get("event_id").asText()));
    return s;
  }

  List<String> path(StatusModel m) {
    List<String> p = new ArrayList<>();
    p.add(m.initialState());
    for (JsonNode s : statuses()) {
      p.add(s.get("data").get("to_status").asText());
    }
    return p;
  }

  /** The first problem with the status path, or null: every step allowed, and chained. */
  String pathProblem(StatusModel m) {
    String cur = m.initialState();
    for (JsonNode s : statuses()) {
      String from = s.get("data").get("from_status").asText();
      String to = s.get("data").get("to_status").asText();
      if (!m.allows(from, to)) {
        return "invalid " + from + " -> " + to;
      }
      if (!from.equals(cur)) {
        return "chain break: in " + cur + " but event says from " + from;
      }
      cur = to;
    }
    return null;
  }

  /** SLA outcome as of {@code asOf}: true breached, false in time, null not yet known. */
  Boolean breached(StatusModel m, BusinessCalendar cal, long targetSeconds, Instant asOf) {
    String state = m.initialState();
    Instant since = createdAt;
    long elapsed = 0;
    for (JsonNode s : statuses()) {
      Instant t = ts(s);
      if (m.state(state).clockRuns()) {
        elapsed += cal.businessSecondsBetween(since, t);
      }
      state = s.get("data").get("to_status").asText();
      since = t;
      if (m.state(state).slaBehavior() == StatusModel.SlaBehavior.STOP && !hasLaterReopen(s, m)) {
        return elapsed > targetSeconds;
      }
    }
    if (m.state(state).clockRuns()) {
      elapsed += cal.businessSecondsBetween(since, asOf);
    }
    return elapsed > targetSeconds ? Boolean.TRUE : null;
  }

  private boolean hasLaterReopen(JsonNode stop, StatusModel m) {
    boolean after = false;
    for (JsonNode s : statuses()) {
      if (after && m.state(s.get("data").get("to_status").asText()).clockRuns()) {
        return true;
      }
      after = after || s == stop;
    }
    return false;
  }
}
