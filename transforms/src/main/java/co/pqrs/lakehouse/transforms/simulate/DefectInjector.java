package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.DefectKind;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.contracts.RawEventType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Damages one ticket's events in one way, as real feeds do. Each defect marks exactly one line with
 * its kind, so the manifest can count what was injected and later layers can be checked against it.
 * Line-level damage goes to messages or attachments only, so the ticket's creation and status chain
 * stay readable and one defect never masquerades as another.
 */
final class DefectInjector implements Serializable {
  /** A value no contract enum holds. */
  static final String WRONG_PRIORITY = "urgente";
  /** An event type the contract does not know. */
  static final String UNKNOWN_TYPE = "PRIORITY_CHANGED";

  private final StatusModel status;
  private final Storyline story;

  DefectInjector(StatusModel status, Storyline story) {
    this.status = status;
    this.story = story;
  }

  private static List<SimEvent> ofType(List<SimEvent> events, RawEventType type) {
    List<SimEvent> out = new ArrayList<>();
    for (SimEvent e : events) {
      if (e.eventType.equals(type.name())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Injects {@code kind} into {@code events} when the ticket has what it needs; no-op otherwise. */
  void inject(DefectKind kind, List<SimEvent> events, SplitMix64 rng, IntSupplier nextSeq) {
    List<SimEvent> messages = ofType(events, RawEventType.MESSAGE_ADDED);
    List<SimEvent> statuses = ofType(events, RawEventType.STATUS_CHANGED);
    SimEvent creation = events.get(0);
    String ticketId = creation.ticketId;
    switch (kind) {
      case MALFORMED_JSON -> {
        SimEvent m = rng.pick(messages);
        m.truncate = true;
        m.defect = kind;
      }
      case DUPLICATE_EVENT -> {
        SimEvent m = rng.pick(messages);
        SimEvent dup = m.copy(m.eventId);
        if (rng.chance(0.5)) {
          // Same event_id, different content: a resend after an edit.
          ((ObjectNode) dup.data).put("text", dup.data.get("text").asText() + " (reenviado)");
        }
        dup.defect = kind;
        events.add(dup);
      }
      case UNKNOWN_EVENT_TYPE -> {
        SimEvent m = rng.pick(messages);
        ObjectNode d = m.data.objectNode();
        d.put("priority", creation.data.get("priority").asText());
        SimEvent e = new SimEvent(m.ts, TicketSimulator.uuid("event:" + ticketId + ":" + nextSeq.getAsInt()),
            ticketId, UNKNOWN_TYPE, d, m.utc);
        e.defect = kind;
        events.add(e);
      }
      case WRONG_ENUM -> {
        ((ObjectNode) creation.data).put("priority", WRONG_PRIORITY);
        creation.defect = kind;
      }
      case BAD_TIMESTAMP -> {
        SimEvent m = rng.pick(messages);
        m.dropOffset = true;
        m.defect = kind;
      }
      case OUT_OF_ORDER -> {
        if (statuses.size() >= 2) {
          int i = rng.nextInt(statuses.size() - 1);
          SimEvent a = statuses.get(i);
          SimEvent b = statuses.get(i + 1);
          java.time.Instant ta = a.ts;
          a.ts = b.ts;
          b.ts = ta;
          a.defect = kind;
        }
      }
      case INVALID_TRANSITION -> {
        if (!statuses.isEmpty()) {
          SimEvent s = rng.pick(statuses);
          String from = s.data.get("from_status").asText();
          List<String> allowed = status.next(from);
          for (String to : status.states().keySet()) {
            if (!to.equals(from) && !allowed.contains(to)) {
              ((ObjectNode) s.data).put("to_status", to);
              s.defect = kind;
              break;
            }
          }
        }
      }
      case ORPHAN_EVENT -> {
        SimEvent m = rng.pick(messages);
        String orphanTicket = TicketSimulator.uuid("orphan:" + ticketId);
        SimEvent e = m.copy(TicketSimulator.uuid("event:" + orphanTicket + ":0"));
        e.ticketId = orphanTicket;
        e.defect = kind;
        events.add(e);
      }
      default -> throw new IllegalStateException("unhandled defect " + kind);
    }
  }
}
