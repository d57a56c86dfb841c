package co.pqrs.lakehouse.contracts;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** The contract's timestamp rule (RFC 3339 with an explicit offset) and the event day it implies. */
public final class RawTimestamps {
  private static final Pattern RFC3339 = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  private RawTimestamps() {}

  /** The instant with its original offset, or null when {@code ts} breaks the contract. */
  public static OffsetDateTime parse(String ts) {
    if (ts == null || !RFC3339.matcher(ts).matches()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(ts);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The calendar day in America/Bogota, the {@code day=} partition of an event. */
  public static LocalDate eventDay(OffsetDateTime ts) {
    return ts.atZoneSameInstant(BusinessCalendar.ZONE).toLocalDate();
  }
}
