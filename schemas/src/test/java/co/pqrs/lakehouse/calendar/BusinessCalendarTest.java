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
}
