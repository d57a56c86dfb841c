package co.pqrs.lakehouse.calendar;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {
  private final BusinessCalendar cal = BusinessCalendar.colombia();

  private static List<LocalDate> dates(String... s) {
    return java.util.Arrays.stream(s).map(LocalDate::parse).collect(Collectors.toList());
  }

  private List<LocalDate> weekdayHolidays(int year) {
    // Easter Sunday is listed by the calendar but never falls on a business day.
    return cal.holidays(year).stream()
        .filter(d -> d.getDayOfWeek().getValue() <= 5)
        .collect(Collectors.toList());
  }

  @Test
  void holidays2024FollowLey51De1983() {
    // Decreto-published list for 2024: fixed days, days moved to Monday, Easter-based days.
    assertThat(weekdayHolidays(2024), equalTo(dates(
        "2024-01-01", "2024-01-08", "2024-03-25", "2024-03-28", "2024-03-29", "2024-05-01",
        "2024-05-13", "2024-06-03", "2024-06-10", "2024-07-01", "2024-08-07", "2024-08-19",
        "2024-10-14", "2024-11-04", "2024-11-11", "2024-12-25")));
    // 20 July and 8 December 2024 fell on a weekend and are not moved.
    assertThat(cal.isHoliday(LocalDate.parse("2024-07-20")), is(true));
    assertThat(cal.isHoliday(LocalDate.parse("2024-12-08")), is(true));
  }

  @Test
  void holidays2025IncludeCoincidingMondays() {
    // 29 June (San Pedro) and Sagrado Corazón both land on Monday 30 June 2025.
    assertThat(weekdayHolidays(2025), equalTo(dates(
        "2025-01-01", "2025-01-06", "2025-03-24", "2025-04-17", "2025-04-18", "2025-05-01",
        "2025-06-02", "2025-06-23", "2025-06-30", "2025-08-07", "2025-08-18", "2025-10-13",
        "2025-11-03", "2025-11-17", "2025-12-08", "2025-12-25")));
  }

  @Test
  void businessDaysSkipWeekendsAndHolidays() {
    assertThat(cal.isBusinessDay(LocalDate.parse("2025-01-06")), is(false)); // Reyes, moved Monday
    assertThat(cal.isBusinessDay(LocalDate.parse("2025-01-07")), is(true));
    assertThat(cal.isBusinessDay(LocalDate.parse("2025-01-11")), is(false)); // Saturday
    // January 2025: 23 weekdays minus 1 January and 6 January.
    assertThat(cal.businessDaysBetween(LocalDate.parse("2025-01-01"), LocalDate.parse("2025-02-01")), is(21L));
  }

  @Test
  void businessTimeIsCountedInBogotaToTheSecond() {
    Instant friday17 = ZonedDateTime.parse("2025-01-03T17:00:00-05:00").toInstant();
    Instant tuesday09 = ZonedDateTime.parse("2025-01-07T09:00:00-05:00").toInstant();
    // Friday 17:00-24:00 (7 h) + Monday is Reyes (0) + Tuesday 00:00-09:00 (9 h).
    assertThat(cal.businessSecondsBetween(friday17, tuesday09), is(16L * 3600));
    assertThat(cal.businessMinutesBetween(tuesday09, friday17), is(0L));
    assertThat(cal.plusBusinessSeconds(friday17, 16L * 3600), equalTo(tuesday09));
    // A zone boundary in UTC is not a day boundary: 2025-01-04T02:00Z is Friday 21:00 in Bogota.
    assertThat(cal.localDate(Instant.parse("2025-01-04T02:00:00Z")), equalTo(LocalDate.parse("2025-01-03")));
  }

  @Test
  void addingBusinessTimeInvertsMeasuringIt() {
    Instant start = ZonedDateTime.parse("2025-03-20T10:15:30-05:00").toInstant(); // Thursday before San José
    for (long days = 0; days <= 40; days += 3) {
      long secs = days * BusinessCalendar.SECONDS_PER_BUSINESS_DAY + 1234;
      Instant end = cal.plusBusinessSeconds(start, secs);
      assertThat(cal.businessSecondsBetween(start, end), is(secs));
    }
    // 15 business days from Thursday 20 March 2025 10:15:30: Monday 24 March (San José) is skipped.
    Instant due = cal.plusBusinessSeconds(start, 15 * BusinessCalendar.SECONDS_PER_BUSINESS_DAY);
    assertThat(due, equalTo(ZonedDateTime.parse("2025-04-11T10:15:30-05:00").toInstant()));
  }

  // The walk through the zone's rules day by day, as the calendar did for every instant before it
  // counted days by number: the reference its answers must equal.
  private static long walkedSeconds(Instant from, Instant to) {
    long total = 0;
    for (Instant t = from; t.isBefore(to); ) {
      LocalDate d = t.atZone(BusinessCalendar.ZONE).toLocalDate();
      Instant next = d.plusDays(1).atStartOfDay(BusinessCalendar.ZONE).toInstant();
      Instant stop = next.isBefore(to) ? next : to;
      if (walkedBusinessDay(d)) {
        total += java.time.Duration.between(t, stop).getSeconds();
      }
      t = stop;
    }
    return total;
  }

  private static Instant walkedPlus(Instant from, long seconds) {
    Instant t = from;
    long left = seconds;
    while (true) {
      LocalDate d = t.atZone(BusinessCalendar.ZONE).toLocalDate();
      Instant next = d.plusDays(1).atStartOfDay(BusinessCalendar.ZONE).toInstant();
      if (walkedBusinessDay(d)) {
        long avail = java.time.Duration.between(t, next).getSeconds();
        if (left <= avail) {
          return t.plusSeconds(left);
        }
        left -= avail;
      }
      t = next;
    }
  }

  private static boolean walkedBusinessDay(LocalDate d) {
    return d.getDayOfWeek().getValue() <= 5 && !BusinessCalendar.colombia().holidays(d.getYear()).contains(d);
  }

  /**
   * Business time counted by day numbers equals the walk through the zone's rules: random instants
   * from 2019 to 2031 (whole seconds and not), spans of up to 70 days, and the edges (local midnight,
   * a span within one day, an empty or reversed span, holidays at a year's turn); and before 1993,
   * when Bogota's offset still changed, the calendar walks the rules itself.
   */
  @Test
  void dayNumbersGiveTheWalksAnswers() {
    java.util.Random r = new java.util.Random(20261206);
    Instant lo = ZonedDateTime.parse("2019-01-01T00:00:00-05:00").toInstant();
    List<Instant[]> spans = new java.util.ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      Instant from = lo.plusSeconds((long) (r.nextDouble() * 12 * 365 * 86_400L)).plusNanos(i % 3 == 0 ? 0 : r.nextInt(1_000_000_000));
      long len = i % 5 == 0 ? r.nextInt(86_400) : (long) (r.nextDouble() * 70 * 86_400L);
      Instant to = from.plusSeconds(len).plusNanos(i % 2 == 0 ? 0 : r.nextInt(1_000_000_000));
      spans.add(new Instant[] {from, to});
    }
    Instant midnight = ZonedDateTime.parse("2025-12-31T00:00:00-05:00").toInstant();
    Instant newYear = ZonedDateTime.parse("2026-01-01T00:00:00-05:00").toInstant();
    spans.add(new Instant[] {midnight, newYear});
    spans.add(new Instant[] {midnight.minusNanos(1), newYear.plusNanos(1)});
    spans.add(new Instant[] {newYear, newYear.plusSeconds(15 * 86_400L)}); // 1 and 12 January 2026
    spans.add(new Instant[] {newYear, newYear});
    spans.add(new Instant[] {newYear.plusSeconds(5), newYear});
    spans.add(new Instant[] {midnight.plusMillis(1500), midnight.plusMillis(2500)});
    // Bogota's daylight saving of 1992-93: the calendar's own walk, before the offset was fixed.
    Instant dst = ZonedDateTime.parse("1992-06-01T12:00:00-04:00").toInstant();
    spans.add(new Instant[] {dst, dst.plusSeconds(400 * 86_400L)});
    for (Instant[] s : spans) {
      assertThat(s[0] + " to " + s[1], cal.businessSecondsBetween(s[0], s[1]), is(walkedSeconds(s[0], s[1])));
      long business = Math.max(0, walkedSeconds(s[0], s[1]));
      for (long add : new long[] {0, 1, business, business / 3 + 7}) {
        assertThat(s[0] + " + " + add, cal.plusBusinessSeconds(s[0], add), equalTo(walkedPlus(s[0], add)));
      }
      for (Instant t : s) {
        assertThat(t.toString(), cal.localDate(t), equalTo(t.atZone(BusinessCalendar.ZONE).toLocalDate()));
      }
      LocalDate a = s[0].atZone(BusinessCalendar.ZONE).toLocalDate();
      LocalDate b = s[1].atZone(BusinessCalendar.ZONE).toLocalDate();
      long days = a.datesUntil(b.isAfter(a) ? b : a).filter(BusinessCalendarTest::walkedBusinessDay).count();
      assertThat(a + " to " + b, cal.businessDaysBetween(a, b), is(days));
      assertThat(a.toString(), cal.isBusinessDay(a), is(walkedBusinessDay(a)));
    }
  }
}
