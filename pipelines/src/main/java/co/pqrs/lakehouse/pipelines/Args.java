package co.pqrs.lakehouse.pipelines;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Parsing of option values, with errors that name the option. */
final class Args {
  private Args() {}

  /** A yyyy-MM-dd option value, or null when absent. */
  static LocalDate date(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + ": \"" + value + "\" is not a date (yyyy-MM-dd)");
    }
  }

  /** An RFC 3339 date-time option value with offset, or null when absent. */
  static java.time.Instant instant(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + option + ": \"" + value + "\" is not an RFC 3339 date-time with offset");
    }
  }

  /**
   * A number of megabytes as bytes, or {@code absent} when the option is not given; 0 and less, and
   * more than a long holds in bytes, are refused naming the option.
   */
  static long megabytes(String option, Long value, long absent) {
    if (value == null) {
      return absent;
    }
    if (value < 1 || value > Long.MAX_VALUE >> 20) {
      throw new IllegalArgumentException("--" + option + ": " + value + " is not a number of megabytes (1 or more)");
    }
    return value << 20;
  }
}
