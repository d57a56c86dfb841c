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
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A duration in business hours per event day × type × channel: count, mean, p50 and p90 (nearest
 * rank). Two instances: time to the first agent message, and time to the last closure.
 */
public final class Durations implements Kpi<GoldTicket> {
  private final GoldTable table;

  private Durations(GoldTable table) {
    this.table = table;
  }

  public static Durations firstResponse() {
    return new Durations(GoldTable.KPI_FIRST_RESPONSE_DAILY);
  }

  public static Durations closeTime() {
    return new Durations(GoldTable.KPI_CLOSE_TIME_DAILY);
  }

  @Override
  public GoldTable table() {
    return table;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    LocalDate day;
    Double hours;
    if (table == GoldTable.KPI_FIRST_RESPONSE_DAILY) {
      day = t.firstResponseDay();
      hours = t.hoursToFirstResponse();
    } else {
      day = t.closedWithCreation() ? t.closedDay() : null;
      hours = t.hoursToClose();
    }
    if (day != null && hours != null) {
      out.accept(Grain.of(day, t.pqrsType(), t.channel()), Cell.of(1).sample(hours));
    }
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table.schema();
    List<GenericRecord> rows = new ArrayList<>();
    long total = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      double[] v = e.getValue().sortedSamples();
      total += v.length;
      rows.add(Rows.of(s, ctx.runId(), Grain.day(g.get(0)), g.get(1), g.get(2), (long) v.length,
          Cell.mean(v), Cell.percentile(v, 0.5), Cell.percentile(v, 0.9)));
    }
    String fact = table == GoldTable.KPI_FIRST_RESPONSE_DAILY ? "first_response.tickets" : "close_time.tickets";
    return new Result(rows, Map.of(fact, total));
  }
}
