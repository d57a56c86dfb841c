package co.pqrs.lakehouse.transforms.silver;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.transforms.bronze.BronzeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lifecycles and the SLA clock on hand-written tickets whose answers are worked out in comments. */
class TicketHistoryTest {
  private static final StatusModel MODEL = LakehouseConfig.packaged().status();
  private static final long DAY = BusinessCalendar.SECONDS_PER_BUSINESS_DAY;
  private static final Instant FAR = Instant.parse("2026-01-01T00:00:00Z");

  private final List<BronzeEvent> events = new ArrayList<>();
  private int seq;

  private static long micros(String bogota) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, OffsetDateTime.parse(bogota + "-05:00").toInstant());
  }

  private static Instant at(String bogota) {
    return OffsetDateTime.parse(bogota + "-05:00").toInstant();
  }

  private BronzeEvent event(String type, String ts, String from, String to, String role) {
    String id = String.format("e-%03d", seq++);
    BronzeEvent e = new BronzeEvent(id, "t", type, "1.0", micros(ts), -300, 0, null, null, "R", "media", "11001",
        null, null, role, from, to, null, null, null, null, "f", seq, new byte[0], 0);
    events.add(e);
    return e;
  }

  private TicketHistoryTest created(String ts) {
    event("TICKET_CREATED", ts, null, null, null);
    return this;
  }

  private TicketHistoryTest status(String ts, String from, String to) {
    event("STATUS_CHANGED", ts, from, to, null);
    return this;
  }

  private TicketHistory.Replay replay(long targetDays, Instant asOf) {
    return TicketHistory.replay("t", events, MODEL, targetDays, asOf);
  }

  /** RECEIVED → … → IN_PROGRESS at the given times, all on 2025-03-03..04. */
  private TicketHistoryTest toInProgress() {
    return created("2025-03-03T09:00:00")
        .status("2025-03-03T10:00:00", "RECEIVED", "RADICATED")
        .status("2025-03-03T11:00:00", "RADICATED", "CLASSIFIED")
        .status("2025-03-03T12:00:00", "CLASSIFIED", "ASSIGNED")
        .status("2025-03-04T09:00:00", "ASSIGNED", "IN_PROGRESS");
  }

  @Test
  void theCreationIsTheFirstInReplayOrderWhateverOrderTheEventsArriveIn() {
    BronzeEvent a = event("TICKET_CREATED", "2025-03-03T09:00:00", null, null, null); // e-000
    BronzeEvent b = event("TICKET_CREATED", "2025-03-03T09:00:00", null, null, null); // e-001, same instant
    BronzeEvent later = event("TICKET_CREATED", "2025-03-04T09:00:00", null, null, null);
    for (List<BronzeEvent> arrival : List.of(List.of(b, a, later), List.of(later, a, b), List.of(a, later, b))) {
      assertThat(TicketHistory.creation(arrival, FAR), is(a));
      assertThat(TicketHistory.replay("t", arrival, MODEL, 15L, FAR).created(), is(a));
    }
    // A creation after the as-of instant is not one yet: the ticket is an orphan until then.
    Instant before = at("2025-03-03T08:00:00");
    assertThat(TicketHistory.creation(events, before), nullValue());
    assertThat(TicketHistory.replay("t", events, MODEL, 15L, before).created(), nullValue());
    assertThat(TicketHistory.creation(List.of(later, b), at("2025-03-03T12:00:00")), is(b));
  }

  @Test
  void straightPathClosedInTime() {
    toInProgress()
        .status("2025-03-07T09:00:00", "IN_PROGRESS", "RESPONDED")
        .status("2025-03-10T09:00:00", "RESPONDED", "CLOSED");
    event("MESSAGE_ADDED", "2025-03-05T09:00:00", null, null, "AGENT");
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.violations(), empty());
    assertThat(r.currentState(), equalTo("CLOSED"));
    assertThat(r.steps().size(), is(6));
    assertThat(r.radicatedTs(), equalTo(at("2025-03-03T10:00:00")));
    assertThat(r.firstAgentResponseTs(), equalTo(at("2025-03-05T09:00:00")));
    // Mon 09:00 to the next Mon 09:00 is 5 business days (the weekend does not count).
    assertThat(r.slaElapsedBusinessSeconds(), is(5 * DAY));
    assertThat(r.slaStatus(), equalTo(TicketHistory.IN_TIME));
    // Time in the previous state: RESPONDED lasted Fri 09:00 → Mon 09:00 = 15 h Fri + 9 h Mon.
    assertThat(r.steps().get(5).businessSecondsInPrevious(), is(24L * 3600));
  }

  @Test
  void onHoldPausesTheClockAndMovesTheDueDate() {
    toInProgress()
        .status("2025-03-05T09:00:00", "IN_PROGRESS", "ON_HOLD")
        .status("2025-03-07T09:00:00", "ON_HOLD", "IN_PROGRESS")
        .status("2025-03-10T09:00:00", "IN_PROGRESS", "RESPONDED")
        .status("2025-03-11T09:00:00", "RESPONDED", "CLOSED");
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.violations(), empty());
    assertThat(r.onHoldCount(), is(1));
    assertThat(r.onHoldBusinessSeconds(), is(2 * DAY));
    // Mon 03 09:00 → Tue 11 09:00 is 6 business days, 2 of them on hold.
    assertThat(r.slaElapsedBusinessSeconds(), is(4 * DAY));
    // 8 business days of running time from Mon 03 09:00, plus the 2-day pause: Fri 14 09:00... the
    // clock stopped on Tue 11 with 4 days used, so the target would be reached 4 days later: Mon 17.
    assertThat(r.slaDueTs(), equalTo(at("2025-03-17T09:00:00")));
  }

  @Test
  void reopenedTicketsResumeTheClock() {
    toInProgress()
        .status("2025-03-05T09:00:00", "IN_PROGRESS", "RESPONDED")
        .status("2025-03-06T09:00:00", "RESPONDED", "CLOSED")
        .status("2025-03-12T09:00:00", "CLOSED", "REOPENED")
        .status("2025-03-13T09:00:00", "REOPENED", "IN_PROGRESS")
        .status("2025-03-18T09:00:00", "IN_PROGRESS", "RESPONDED")
        .status("2025-03-19T09:00:00", "RESPONDED", "CLOSED");
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.violations(), empty());
    assertThat(r.reopenCount(), is(1));
    // First cycle Mon 03 09:00 → Thu 06 09:00: 3 days. Closed until Wed 12 09:00: stopped.
    // Second cycle Wed 12 09:00 → Wed 19 09:00: 5 days. 8 days used: not more than 8, in time.
    assertThat(r.slaElapsedBusinessSeconds(), is(8 * DAY));
    assertThat(r.slaStatus(), equalTo(TicketHistory.IN_TIME));
    assertThat(r.closedTs(), equalTo(at("2025-03-19T09:00:00")));
    assertThat(replay(7, FAR).slaStatus(), equalTo(TicketHistory.LATE));
  }

  @Test
  void invalidTransitionIsFlaggedAndTheTicketKept() {
    created("2025-03-03T09:00:00").status("2025-03-03T10:00:00", "RECEIVED", "CLOSED");
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.lifecycleValid(), is(false));
    assertThat(r.firstViolation(), startsWith("invalid_transition: RECEIVED -> CLOSED"));
    assertThat(r.steps().get(0).valid(), is(false));
  }

  @Test
  void outOfOrderEventsBreakTheChain() {
    created("2025-03-03T09:00:00")
        .status("2025-03-03T12:00:00", "RECEIVED", "RADICATED")
        .status("2025-03-03T11:00:00", "RADICATED", "CLASSIFIED"); // written earlier than its cause
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.firstViolation(), startsWith("out_of_order: event e-002 leaves RADICATED but the ticket is in RECEIVED"));
  }

  @Test
  void orphanEventsHaveNoSla() {
    event("MESSAGE_ADDED", "2025-03-03T09:00:00", null, null, "CITIZEN");
    TicketHistory.Replay r = replay(8, FAR);
    assertThat(r.firstViolation(), startsWith("orphan_events"));
    assertThat(r.slaStatus(), nullValue());
    assertThat(r.messageCount(), is(1));
  }

  @Test
  void openTicketsAreHealthyAtRiskOrOverdueAsOfTheRunNotTheClock() {
    toInProgress();
    // Target 8 business days from Mon 03 09:00 → due Thu 13 09:00.
    assertThat(replay(8, at("2025-03-07T09:00:00")).slaStatus(), equalTo(TicketHistory.HEALTHY));
    assertThat(replay(8, at("2025-03-11T09:00:00")).slaStatus(), equalTo(TicketHistory.AT_RISK));
    TicketHistory.Replay late = replay(8, at("2025-03-14T09:00:00"));
    assertThat(late.slaStatus(), equalTo(TicketHistory.OVERDUE));
    assertThat(late.slaDueTs(), equalTo(at("2025-03-13T09:00:00")));
    assertThat(late.currentState(), equalTo("IN_PROGRESS"));
    // Events after the as-of instant have not happened yet.
    assertThat(replay(8, at("2025-03-03T11:30:00")).currentState(), equalTo("CLASSIFIED"));
  }

  @Test
  void dueDateAcrossSemanaSanta() {
    // Radicated Wed 16 Apr 2025 10:00; Holy Thursday and Good Friday are holidays.
    // 8 days: Wed 16 (14 h) + Mon 21..Fri 25 (5) + Mon 28, Tue 29 (2) + 10 h of Wed 30.
    created("2025-04-16T10:00:00");
    assertThat(replay(8, FAR).slaDueTs(), equalTo(at("2025-04-30T10:00:00")));
  }

  @Test
  void dueDateAcrossAHolidayMovedToMonday() {
    // Fri 21 Mar 2025 09:00; San José (19 Mar) was moved to Mon 24 Mar.
    // 10 days: Fri 21 (15 h) + Tue 25..Fri 28 (4) + Mon 31..Fri 4 (5) + 9 h of Mon 7 Apr.
    created("2025-03-21T09:00:00");
    assertThat(replay(10, FAR).slaDueTs(), equalTo(at("2025-04-07T09:00:00")));
  }

  @Test
  void dueDateAcrossAWeekend() {
    // Fri 7 Mar 2025 18:00: 6 h on Friday, then Mon 10..Fri 14 (5), Mon 17, Tue 18, 18 h of Wed 19.
    created("2025-03-07T18:00:00");
    assertThat(replay(8, FAR).slaDueTs(), equalTo(at("2025-03-19T18:00:00")));
  }
}
