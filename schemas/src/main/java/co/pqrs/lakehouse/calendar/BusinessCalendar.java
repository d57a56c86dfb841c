package co.pqrs.lakehouse.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayCalendar;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.Collections;
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
    return holidays(d.getYear()).contains(d);
  }

  public boolean isBusinessDay(LocalDate d) {
    DayOfWeek w = d.getDayOfWeek();
    return w != DayOfWeek.SATURDAY && w != DayOfWeek.SUNDAY && !isHoliday(d);
  }

  public LocalDate localDate(Instant t) {
    return t.atZone(ZONE).toLocalDate();
  }

  private static Instant startOf(LocalDate d) {
    return d.atStartOfDay(ZONE).toInstant();
  }

  /** Business days in [from, to): whole local days, from inclusive, to exclusive. */
  public long businessDaysBetween(LocalDate from, LocalDate to) {
    long n = 0;
    for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
      if (isBusinessDay(d)) {
        n++;
      }
    }
    return n;
  }

  /** Seconds of [from, to) that fall on business days; 0 when to is not after from. */
  public long businessSecondsBetween(Instant from, Instant to) {
    long total = 0;
    Instant t = from;
    while (t.isBefore(to)) {
      LocalDate d = localDate(t);
      Instant next = startOf(d.plusDays(1));
      Instant stop = next.isBefore(to) ? next : to;
      if (isBusinessDay(d)) {
        total += Duration.between(t, stop).getSeconds();
      }
      t = stop;
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
    Instant t = from;
    long left = seconds;
    while (true) {
      LocalDate d = localDate(t);
      Instant next = startOf(d.plusDays(1));
      if (isBusinessDay(d)) {
        long avail = Duration.between(t, next).getSeconds();
        if (left <= avail) {
          return t.plusSeconds(left);
        }
        left -= avail;
      }
      t = next;
    }
  }
}
