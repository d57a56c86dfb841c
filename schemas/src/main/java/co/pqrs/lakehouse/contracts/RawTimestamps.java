package co.pqrs.lakehouse.contracts;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The contract's timestamp rule (RFC 3339 with an explicit offset, {@code yyyy-mm-ddThh:mm:ss[.f{1,9}]}
 * then {@code Z} or {@code ±hh:mm}) and the event day it implies.
 */
public final class RawTimestamps {
  private RawTimestamps() {}

  /**
   * The instant with its original offset, or null when {@code ts} breaks the contract. Read by hand:
   * {@code OffsetDateTime.parse} took a sixth of Bronze's parsing step, and the grammar is fixed.
   * Ranges are checked as {@code OffsetDateTime.parse} checks them (no hour 24, no second 60, no
   * February 30; offsets within ±18:00); {@code RawTimestampsTest} holds the two to the same answers.
   */
  public static OffsetDateTime parse(String ts) {
    if (ts == null) {
      return null;
    }
    int n = ts.length();
    if (n < 20 || ts.charAt(4) != '-' || ts.charAt(7) != '-' || ts.charAt(10) != 'T' || ts.charAt(13) != ':'
        || ts.charAt(16) != ':') {
      return null;
    }
    int year = digits(ts, 0, 4);
    int month = digits(ts, 5, 2);
    int day = digits(ts, 8, 2);
    int hour = digits(ts, 11, 2);
    int minute = digits(ts, 14, 2);
    int second = digits(ts, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (ts.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 10 && isDigit(ts.charAt(i))) {
        nanos = nanos * 10 + (ts.charAt(i) - '0');
        i++;
      }
      int count = i - start;
      if (count < 1 || count > 9) {
        return null;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    ZoneOffset offset;
    if (i == n - 1 && ts.charAt(i) == 'Z') {
      offset = ZoneOffset.UTC;
    } else if (i == n - 6 && (ts.charAt(i) == '+' || ts.charAt(i) == '-') && ts.charAt(i + 3) == ':') {
      int oh = digits(ts, i + 1, 2);
      int om = digits(ts, i + 4, 2);
      if ((oh | om) < 0) {
        return null;
      }
      int sign = ts.charAt(i) == '-' ? -1 : 1;
      try {
        offset = ZoneOffset.ofHoursMinutes(sign * oh, sign * om);
      } catch (DateTimeException e) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, offset);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The calendar day in America/Bogota, the {@code day=} partition of an event. */
  public static LocalDate eventDay(OffsetDateTime ts) {
    return ts.atZoneSameInstant(BusinessCalendar.ZONE).toLocalDate();
  }
}
