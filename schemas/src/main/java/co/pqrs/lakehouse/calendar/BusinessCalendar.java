package co.pqrs.lakehouse.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayCalendar;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Colombian business calendar: Monday to Friday, minus the national holidays of Ley 51 de 1983 (fixed
 * dates, dates moved to the next Monday, and Easter-based dates), in America/Bogota. A business day
 * counts whole (00:00 to 24:00 local time); business time is measured to the second and reported in
 * minutes or days.
 *
 * <p>Holidays come from jollyday's Colombian calendar, computed once per year and per JVM.
 */
public final class BusinessCalendar implements Serializable {
  public static final ZoneId ZONE = ZoneId.of("America/Bogota");
  public static final long SECONDS_PER_BUSINESS_DAY = 86_400L;

  private static final BusinessCalendar COLOMBIA = new BusinessCalendar();
  private static final Map<Integer, NavigableSet<LocalDate>> HOLIDAYS = new ConcurrentHashMap<>();
  private static volatile HolidayManager manager;

  private BusinessCalendar() {}

  public static BusinessCalendar colombia() {
    return COLOMBIA;
  }

  private Object readResolve() {
    return COLOMBIA;
  }

  private static HolidayManager manager() {
    if (manager == null) {
      synchronized (BusinessCalendar.class) {
        if (manager == null) {
          manager = HolidayManager.getInstance(ManagerParameters.create(HolidayCalendar.COLOMBIA));
        }
      }
    }
    return manager;
  }

  /** The national holidays of a year, sorted (dates as observed, after any move to Monday). */
  public NavigableSet<LocalDate> holidays(int year) {
    return HOLIDAYS.computeIfAbsent(year, y -> {
      TreeSet<LocalDate> out = new TreeSet<>();
      for (Holiday h : manager().getHolidays(Year.of(y))) {
        out.add(h.getDate()); // the observed date, after any move to Monday
      }
      return Collections.unmodifiableNavigableSet(out);
    });
  }

  public boolean isHoliday(LocalDate d) {
    return isHolidayDay(d.toEpochDay());
  }

  public boolean isBusinessDay(LocalDate d) {
    return isBusinessDay(d.toEpochDay());
  }

  public LocalDate localDate(Instant t) {
    return LocalDate.ofEpochDay(localDay(t.getEpochSecond()));
  }

  /** Business days in [from, to): whole local days, from inclusive, to exclusive. */
  public long businessDaysBetween(LocalDate from, LocalDate to) {
    long n = 0;
    for (long d = from.toEpochDay(); d < to.toEpochDay(); d++) {
      if (isBusinessDay(d)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Seconds of [from, to) that fall on business days; 0 when to is not after from. Each local day's
   * part counts in whole seconds (a part that starts or ends within a second drops its fraction).
   */
  public long businessSecondsBetween(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return 0;
    }
    long day = localDay(from.getEpochSecond());
    Instant next = Instant.ofEpochSecond(startOfDay(day + 1));
    if (!next.isBefore(to)) {
      return isBusinessDay(day) ? Duration.between(from, to).getSeconds() : 0;
    }
    long total = isBusinessDay(day) ? Duration.between(from, next).getSeconds() : 0;
    long last = localDay(to.getEpochSecond());
    for (long d = day + 1; d < last; d++) {
      if (isBusinessDay(d)) {
        total += startOfDay(d + 1) - startOfDay(d); // 86,400 but on a day the offset changed
      }
    }
    if (isBusinessDay(last)) {
      total += Duration.between(Instant.ofEpochSecond(startOfDay(last)), to).getSeconds();
    }
    return total;
  }

  public long businessMinutesBetween(Instant from, Instant to) {
    return businessSecondsBetween(from, to) / 60;
  }

  /** The instant at which {@code seconds} of business time have passed since {@code from}. */
  public Instant plusBusinessSeconds(Instant from, long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("negative business time: " + seconds);
    }
    long at = from.getEpochSecond();
    int nanos = from.getNano();
    long left = seconds;
    for (long day = localDay(at); ; day++) {
      long next = startOfDay(day + 1);
      if (isBusinessDay(day)) {
        long avail = next - at - (nanos > 0 ? 1 : 0); // whole seconds to midnight, as Duration counts them
        if (left <= avail) {
          return Instant.ofEpochSecond(at + left, nanos);
        }
        left -= avail;
      }
      at = next;
      nanos = 0;
    }
  }

  // Since its last transition (1993) America/Bogota keeps one offset and has no rule for another: from
  // there on a local day is a division of epoch seconds, and a day's kind a lookup by its number. The
  // walks through the zone's rules and a map of sets per year took 5 % of Silver's and Gold's profile
  // samples at 5.2 M events (docs/benchmarks/changes.md, fortieth change); before that instant the two day
  // helpers below still ask the rules.

  /** A calendar day's seconds (a business day's SLA length, SECONDS_PER_BUSINESS_DAY, is another thing). */
  private static final long SECONDS_PER_DAY = 86_400L;
  /** The first epoch second from which the zone's offset never changes; Long.MAX_VALUE if it keeps changing. */
  private static final long FIXED_FROM;
  /** The zone's offset from FIXED_FROM on, in seconds. */
  private static final int FIXED_OFFSET;

  static {
    ZoneRules rules = ZONE.getRules();
    List<ZoneOffsetTransition> past = rules.getTransitions();
    if (!rules.getTransitionRules().isEmpty()) {
      FIXED_FROM = Long.MAX_VALUE;
      FIXED_OFFSET = 0;
    } else if (past.isEmpty()) {
      FIXED_FROM = Long.MIN_VALUE;
      FIXED_OFFSET = rules.getOffset(Instant.EPOCH).getTotalSeconds();
    } else {
      ZoneOffsetTransition last = past.get(past.size() - 1);
      FIXED_FROM = last.toEpochSecond();
      FIXED_OFFSET = last.getOffsetAfter().getTotalSeconds();
    }
  }

  /** The local day (epoch day) of an epoch second. */
  private static long localDay(long epochSecond) {
    if (epochSecond >= FIXED_FROM) {
      return Math.floorDiv(epochSecond + FIXED_OFFSET, SECONDS_PER_DAY);
    }
    return Instant.ofEpochSecond(epochSecond).atZone(ZONE).toLocalDate().toEpochDay();
  }

  /** The epoch second at which a local day starts. */
  private static long startOfDay(long epochDay) {
    long fixed = epochDay * SECONDS_PER_DAY - FIXED_OFFSET;
    if (fixed - SECONDS_PER_DAY >= FIXED_FROM) { // a day after the last change: its midnight is fixed too
      return fixed;
    }
    return LocalDate.ofEpochDay(epochDay).atStartOfDay(ZONE).toEpochSecond();
  }

  private static boolean isBusinessDay(long epochDay) {
    int weekday = (int) Math.floorMod(epochDay + 3, 7); // 1970-01-01, day 0, was a Thursday: Monday is 0
    return weekday < 5 && !isHolidayDay(epochDay);
  }

  /** Whether an epoch day is among its year's holidays ({@link #holidays}), looked up in a flag per day. */
  private static boolean isHolidayDay(long epochDay) {
    HolidayDays h = holidayDays;
    long i = epochDay - h.first;
    if (i < 0 || i >= h.holiday.length) {
      h = holidayDaysWith(epochDay);
      i = epochDay - h.first;
    }
    return h.holiday[(int) i];
  }

  /** A flag per day of whole years, true on the days in their own year's {@link #holidays}. */
  private record HolidayDays(long first, boolean[] holiday) {}

  private static volatile HolidayDays holidayDays = new HolidayDays(0, new boolean[0]);

  /** The flags extended to the year of {@code epochDay}, and the years between. */
  private static synchronized HolidayDays holidayDaysWith(long epochDay) {
    HolidayDays h = holidayDays;
    if (epochDay >= h.first && epochDay - h.first < h.holiday.length) {
      return h;
    }
    int year = LocalDate.ofEpochDay(epochDay).getYear();
    int firstYear = year;
    int lastYear = year;
    if (h.holiday.length > 0) { // the years it already has: from its first day to its last
      firstYear = Math.min(LocalDate.ofEpochDay(h.first).getYear(), year);
      lastYear = Math.max(LocalDate.ofEpochDay(h.first + h.holiday.length - 1).getYear(), year);
    }
    long first = LocalDate.of(firstYear, 1, 1).toEpochDay();
    boolean[] holiday = new boolean[(int) (LocalDate.of(lastYear + 1, 1, 1).toEpochDay() - first)];
    for (int y = firstYear; y <= lastYear; y++) {
      for (LocalDate d : COLOMBIA.holidays(y)) {
        if (d.getYear() == y) { // as isHoliday always did: a day is looked up in its own year's holidays
          holiday[(int) (d.toEpochDay() - first)] = true;
        }
      }
    }
    holidayDays = new HolidayDays(first, holiday);
    return holidayDays;
  }
}
