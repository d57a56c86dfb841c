package co.pqrs.lakehouse.transforms.silver;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.contracts.RawEventType;
import co.pqrs.lakehouse.config.StatusModel.SlaBehavior;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import java.io.Serializable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One ticket's life replayed from its Bronze events, as of an instant: the status path checked
 * against the state machine, the derived timestamps, and the SLA clock in business time (see
 * docs/02-adr/ADR-0002 and ADR-0003). Events after the as-of instant have not happened yet.
 */
public final class TicketHistory {
  private TicketHistory() {}

  /** Violation kinds, as quality checks and {@code first_violation} name them. */
  public static final String ORPHAN = "orphan_events";
  public static final String OUT_OF_ORDER = "out_of_order";
  public static final String INVALID_TRANSITION = "invalid_transition";

  /** SLA statuses. */
  public static final String IN_TIME = "IN_TIME";
  public static final String LATE = "LATE";
  public static final String HEALTHY = "HEALTHY";
  public static final String AT_RISK = "AT_RISK";
  public static final String OVERDUE = "OVERDUE";

  private static final long DAY = BusinessCalendar.SECONDS_PER_BUSINESS_DAY;

  /** A status change with its place in the ticket's history. */
  public record StatusStep(
      String eventId, int sequence, String fromStatus, String toStatus, Instant ts,
      long businessSecondsInPrevious, boolean valid) implements Serializable {}

  /** Everything Silver derives for a ticket. Timestamps are null when the event has not happened. */
  public record Replay(
      String ticketId,
      BronzeEvent created,
      Instant createdTs,
      Instant radicatedTs,
      Instant firstAgentResponseTs,
      Instant respondedTs,
      Instant closedTs,
      Instant archivedTs,
      String currentState,
      int reopenCount,
      int onHoldCount,
      long onHoldBusinessSeconds,
      int messageCount,
      int attachmentCount,
      List<StatusStep> steps,
      List<String> violations,
      Long slaTargetBusinessDays,
      Instant slaDueTs,
      long slaElapsedBusinessSeconds,
      String slaStatus)
      implements Serializable {
    public boolean lifecycleValid() {
      return violations.isEmpty();
    }

    public String firstViolation() {
      return violations.isEmpty() ? null : violations.get(0);
    }
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  /** The order a ticket's events are replayed in: by time, then event_id (a total order on a run's events). */
  static final Comparator<BronzeEvent> REPLAY_ORDER =
      Comparator.comparingLong(BronzeEvent::tsMicros).thenComparing(BronzeEvent::eventId);

  /**
   * The ticket's creation: the first TICKET_CREATED in replay order at or before {@code asOf}, or
   * null. Whoever needs it before the replay (its type sets the SLA target) picks the same one,
   * whatever order the events arrive in.
   */
  public static BronzeEvent creation(List<BronzeEvent> events, Instant asOf) {
    BronzeEvent first = null;
    for (BronzeEvent e : events) {
      if (e.eventType().equals(RawEventType.TICKET_CREATED.name()) && !instant(e.tsMicros()).isAfter(asOf)
          && (first == null || REPLAY_ORDER.compare(e, first) < 0)) {
        first = e;
      }
    }
    return first;
  }

  /**
   * @param targetDays SLA target of the ticket's type in business days; null when unknown (orphans)
   */
  public static Replay replay(String ticketId, List<BronzeEvent> events, StatusModel model, Long targetDays,
      Instant asOf) {
    BusinessCalendar cal = BusinessCalendar.colombia();
    List<BronzeEvent> sorted = new ArrayList<>();
    for (BronzeEvent e : events) {
      if (!instant(e.tsMicros()).isAfter(asOf)) {
        sorted.add(e);
      }
    }
    sorted.sort(REPLAY_ORDER);

    BronzeEvent created = creation(sorted, asOf);
    List<String> violations = new ArrayList<>();
    Instant createdTs = created == null ? null : instant(created.tsMicros());
    if (created == null) {
      violations.add(ORPHAN + ": no TICKET_CREATED for this ticket");
    }

    Instant radicated = null;
    Instant firstAgent = null;
    Instant responded = null;
    Instant closed = null;
    Instant archived = null;
    int reopen = 0;
    int holds = 0;
    long holdSeconds = 0;
    int messages = 0;
    int attachments = 0;
    String state = model.initialState();
    Instant since = createdTs;
    long elapsed = 0;
    boolean running = createdTs != null && model.state(state).clockRuns();
    Instant due = null;
    long target = targetDays == null ? -1 : targetDays * DAY;
    List<StatusStep> steps = new ArrayList<>();

    for (BronzeEvent e : sorted) {
      Instant t = instant(e.tsMicros());
      if (createdTs != null && t.isBefore(createdTs)) {
        violations.add(OUT_OF_ORDER + ": " + e.eventType() + " " + e.eventId() + " at " + t + " precedes TICKET_CREATED");
      }
      // Bronze only lets contract event types through.
      switch (RawEventType.valueOf(e.eventType())) {
        case MESSAGE_ADDED -> {
          messages++;
          if ("AGENT".equals(e.authorRole()) && firstAgent == null) {
            firstAgent = t;
          }
        }
        case ATTACHMENT_ADDED -> attachments++;
        case STATUS_CHANGED -> {
          String from = e.fromStatus();
          String to = e.toStatus();
          boolean valid = true;
          if (!from.equals(state)) {
            violations.add(OUT_OF_ORDER + ": event " + e.eventId() + " leaves " + from + " but the ticket is in " + state);
            valid = false;
          } else if (!model.allows(from, to)) {
            violations.add(INVALID_TRANSITION + ": " + from + " -> " + to + " (event " + e.eventId() + ")");
            valid = false;
          }
          long inPrevious = since == null ? 0 : cal.businessSecondsBetween(since, t);
          if (running) {
            if (due == null && target >= 0 && elapsed + inPrevious >= target) {
              due = cal.plusBusinessSeconds(since, target - elapsed);
            }
            elapsed += inPrevious;
          }
          if (model.state(state).slaBehavior() == SlaBehavior.PAUSE) {
            holdSeconds += inPrevious;
          }
          steps.add(new StatusStep(e.eventId(), steps.size() + 1, from, to, t, inPrevious, valid));
          // The event says where the ticket went; trust it, so one bad event is one violation.
          state = to;
          since = t;
          SlaBehavior b = model.state(to).slaBehavior();
          if (b == SlaBehavior.START || b == SlaBehavior.RUN) {
            running = createdTs != null;
          } else if (b == SlaBehavior.PAUSE || b == SlaBehavior.STOP) {
            running = false;
          }
          if (b == SlaBehavior.PAUSE) {
            holds++;
          }
          if (to.equals("RADICATED") && radicated == null) {
            radicated = t;
          }
          if (to.equals("RESPONDED") && responded == null) {
            responded = t;
          }
          if (b == SlaBehavior.STOP) {
            closed = t;
          }
          if (model.state(to).isTerminal() && b == SlaBehavior.NONE) {
            archived = t;
          }
          if (b == SlaBehavior.RUN && model.state(from).slaBehavior() == SlaBehavior.STOP) {
            reopen++;
          }
        }
        default -> { }
      }
    }

    String slaStatus = null;
    if (createdTs != null && target >= 0) {
      if (running) {
        long open = cal.businessSecondsBetween(since, asOf);
        if (due == null && elapsed + open >= target) {
          due = cal.plusBusinessSeconds(since, target - elapsed);
        }
        elapsed += open;
      }
      if (due == null) {
        // Not reached yet: when it would be reached if the clock ran from now on (a pause moves the
        // due date), or, for a stopped clock, from the stop on.
        boolean paused = model.state(state).slaBehavior() == SlaBehavior.PAUSE;
        Instant from = running || paused ? asOf : since;
        due = cal.plusBusinessSeconds(from, target - elapsed);
      }
      boolean isClosed = model.state(state).slaBehavior() == SlaBehavior.STOP
          || (model.state(state).slaBehavior() == SlaBehavior.NONE && closed != null);
      if (isClosed) {
        slaStatus = elapsed > target ? LATE : IN_TIME;
      } else if (elapsed > target) {
        slaStatus = OVERDUE;
      } else if (target - elapsed <= 2 * DAY) {
        slaStatus = AT_RISK;
      } else {
        slaStatus = HEALTHY;
      }
    }
    return new Replay(ticketId, created, createdTs, radicated, firstAgent, responded, closed, archived, state,
        reopen, holds, holdSeconds, messages, attachments, List.copyOf(steps), List.copyOf(violations),
        targetDays, due, elapsed, slaStatus);
  }
}
