import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * What the business calendar's two walks cost per call, two builds side by side in one JVM: each
 * jar's `BusinessCalendar` is loaded by a class loader of its own and given the same spans, in
 * alternating rounds, the first two not printed; both must give the same sums.
 *
 *   java bench/apart/CalendarCosts.java OLD.jar NEW.jar [rounds] [spans]
 *
 * The spans are what Silver's replay and Gold ask: from instants in March 2025 (whole seconds and
 * not), of up to 30 days, 20 % of them within a day. Prints CSV without header, one row per counted
 * round and jar: round,jar,seconds_between_ns_per_call,plus_seconds_ns_per_call.
 */
public class CalendarCosts {
  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: CalendarCosts.java OLD.jar NEW.jar [rounds] [spans]");
      System.exit(2);
    }
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
    Random r = new Random(6);
    Instant start = Instant.parse("2025-03-03T05:00:00Z");
    Instant[] from = new Instant[n];
    Instant[] to = new Instant[n];
    long[] add = new long[n];
    for (int i = 0; i < n; i++) {
      from[i] = start.plusSeconds((long) (r.nextDouble() * 28 * 86_400)).plusNanos(i % 4 == 0 ? r.nextInt(1_000_000_000) : 0);
      long len = i % 5 == 0 ? r.nextInt(86_400) : (long) (r.nextDouble() * 30 * 86_400);
      to[i] = from[i].plusSeconds(len);
      add[i] = len / 2;
    }
    Calendar[] jars = {new Calendar(args[0]), new Calendar(args[1])};
    for (int round = 0; round < rounds + 2; round++) {
      long[] sums = new long[2];
      for (int k = 0; k < 2; k++) {
        Calendar c = jars[(round + k) % 2]; // alternate which jar goes first
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < n; i++) {
          sum += (long) c.between.invoke(c.calendar, from[i], to[i]);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sum += ((Instant) c.plus.invoke(c.calendar, from[i], add[i])).getEpochSecond();
        }
        long t2 = System.nanoTime();
        sums[(round + k) % 2] = sum;
        if (round >= 2) {
          System.out.printf(Locale.ROOT, "%d,%s,%.1f,%.1f%n", round - 1, c.jar, (t1 - t0) / (double) n,
              (t2 - t1) / (double) n);
        }
      }
      if (sums[0] != sums[1]) {
        throw new IllegalStateException("the two calendars disagree: " + sums[0] + " against " + sums[1]);
      }
    }
  }

  /** One jar's calendar and its two walks. */
  static final class Calendar {
    final String jar;
    final Object calendar;
    final MethodHandle between;
    final MethodHandle plus;

    Calendar(String jar) throws Throwable {
      this.jar = Path.of(jar).getFileName().toString();
      ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
      Class<?> c = Class.forName("co.pqrs.lakehouse.calendar.BusinessCalendar", true, loader);
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      this.calendar = l.findStatic(c, "colombia", MethodType.methodType(c)).invoke();
      this.between = l.findVirtual(c, "businessSecondsBetween", MethodType.methodType(long.class, Instant.class, Instant.class))
          .asType(MethodType.methodType(long.class, Object.class, Instant.class, Instant.class));
      this.plus = l.findVirtual(c, "plusBusinessSeconds", MethodType.methodType(Instant.class, Instant.class, long.class))
          .asType(MethodType.methodType(Instant.class, Object.class, Instant.class, long.class));
      // jollyday finds its data through the context class loader: its holidays, once, from this jar's.
      ClassLoader before = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(loader);
      try {
        Instant t = Instant.parse("2025-03-03T05:00:00Z");
        long ignored = (long) between.invoke(calendar, t, t.plusSeconds(400L * 86_400));
      } finally {
        Thread.currentThread().setContextClassLoader(before);
      }
    }
  }
}
