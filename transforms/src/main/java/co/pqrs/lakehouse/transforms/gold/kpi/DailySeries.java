package co.pqrs.lakehouse.transforms.gold.kpi;

import co.pqrs.lakehouse.transforms.gold.Cell;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.gold.GoldTicket;
import co.pqrs.lakehouse.transforms.gold.Grain;
import co.pqrs.lakehouse.transforms.gold.Kpi;
import co.pqrs.lakehouse.transforms.gold.Rows;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Daily created, closed and backlog (as {@link BacklogDaily}) with 7-day moving averages and changes
 * against the previous day and the same day a week before, nationally or per department. Days run
 * from the first creation day of the run to the as-of day with no gaps.
 */
public final class DailySeries implements Kpi<GoldTicket> {
  static final int WINDOW = 7;
  private final boolean perDepartment;

  private DailySeries(boolean perDepartment) {
    this.perDepartment = perDepartment;
  }

  public static DailySeries national() {
    return new DailySeries(false);
  }

  public static DailySeries department() {
    return new DailySeries(true);
  }

  @Override
  public GoldTable table() {
    return perDepartment ? GoldTable.TS_DEPARTMENT_DAILY : GoldTable.TS_NATIONAL_DAILY;
  }

  private String grain(GoldTicket t, LocalDate day) {
    return perDepartment ? Grain.of(t.departmentCode(), day) : Grain.of(day);
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (!t.created()) {
      return;
    }
    out.accept(grain(t, t.createdDay()), Cell.of(1, 0));
    if (t.closedWithCreation()) {
      out.accept(grain(t, t.closedDay()), Cell.of(0, 1));
    }
  }

  private static Double movingAverage(List<long[]> days, int i, int field) {
    if (i + 1 < WINDOW) {
      return null;
    }
    long sum = 0;
    for (int j = i - WINDOW + 1; j <= i; j++) {
      sum += days.get(j)[field];
    }
    return sum / (double) WINDOW;
  }

  private static Long change(List<long[]> days, int i, int back, int field) {
    return i - back < 0 ? null : days.get(i)[field] - days.get(i - back)[field];
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    String fact = (perDepartment ? "series_department" : "series_national") + ".created";
    BacklogDaily.Flows flows = BacklogDaily.Flows.of(cells);
    List<GenericRecord> rows = new ArrayList<>();
    if (flows.firstDay() == null) {
      return new Result(rows, Map.of(fact, 0L));
    }
    long created = 0;
    Map<String, TreeMap<LocalDate, long[]>> areas = flows.byArea();
    for (var area : areas.entrySet()) {
      // Per day: created, closed, backlog at the end of the day.
      List<long[]> days = new ArrayList<>();
      List<LocalDate> dates = new ArrayList<>();
      long stock = 0;
      for (LocalDate d = flows.firstDay(); !d.isAfter(ctx.lastDay()); d = d.plusDays(1)) {
        long[] f = area.getValue().getOrDefault(d, new long[2]);
        stock += f[0] - f[1];
        created += f[0];
        days.add(new long[] {f[0], f[1], stock});
        dates.add(d);
      }
      for (int i = 0; i < days.size(); i++) {
        long[] v = days.get(i);
        List<Object> values = new ArrayList<>();
        values.add(ctx.runId());
        if (perDepartment) {
          values.add(area.getKey());
        }
        values.addAll(java.util.Arrays.asList(dates.get(i), v[0], v[1], v[2],
            movingAverage(days, i, 0), movingAverage(days, i, 1),
            change(days, i, 1, 0), change(days, i, WINDOW, 0), change(days, i, 1, 2), change(days, i, WINDOW, 2)));
        rows.add(Rows.of(s, values.toArray()));
      }
    }
    return new Result(rows, Map.of(fact, created));
  }
}
