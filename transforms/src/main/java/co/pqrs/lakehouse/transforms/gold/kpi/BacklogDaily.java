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
 * Open tickets at the end of each day × type × department. A ticket enters the stock on its creation
 * day and leaves it on the day of its last closure (a ticket open at the as-of never leaves), so the
 * stock is the running sum of created minus closed. Every (type, department) seen gets every day from
 * the first creation day of the run to the as-of day, zeros included.
 */
public final class BacklogDaily implements Kpi<GoldTicket> {
  static final String FACT = "backlog.final";
  static final int CREATED = 0;
  static final int CLOSED = 1;

  @Override
  public GoldTable table() {
    return GoldTable.KPI_BACKLOG_DAILY;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (!t.created()) {
      return;
    }
    out.accept(Grain.of(t.pqrsType(), t.departmentCode(), t.createdDay()), Cell.of(1, 0));
    if (t.closedWithCreation()) {
      out.accept(Grain.of(t.pqrsType(), t.departmentCode(), t.closedDay()), Cell.of(0, 1));
    }
  }

  /** Daily created and closed per area (the grain without its day), and the first day of all. */
  record Flows(Map<String, TreeMap<LocalDate, long[]>> byArea, LocalDate firstDay) {
    static Flows of(SortedMap<String, Cell> cells) {
      Map<String, TreeMap<LocalDate, long[]>> byArea = new TreeMap<>();
      LocalDate first = null;
      for (var e : cells.entrySet()) {
        List<String> g = Grain.parts(e.getKey());
        LocalDate day = Grain.day(g.get(g.size() - 1));
        String area = Grain.of(g.subList(0, g.size() - 1).toArray());
        byArea.computeIfAbsent(area, k -> new TreeMap<>())
            .put(day, new long[] {e.getValue().count(CREATED), e.getValue().count(CLOSED)});
        first = first == null || day.isBefore(first) ? day : first;
      }
      return new Flows(byArea, first);
    }
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    Flows flows = Flows.of(cells);
    List<GenericRecord> rows = new ArrayList<>();
    if (flows.firstDay() == null) {
      return new Result(rows, Map.of(FACT, 0L));
    }
    long finalStock = 0;
    for (var area : flows.byArea().entrySet()) {
      List<String> g = Grain.parts(area.getKey());
      long stock = 0;
      for (LocalDate d = flows.firstDay(); !d.isAfter(ctx.lastDay()); d = d.plusDays(1)) {
        long[] f = area.getValue().getOrDefault(d, new long[2]);
        stock += f[CREATED] - f[CLOSED];
        rows.add(Rows.of(s, ctx.runId(), d, g.get(0), g.get(1), stock, f[CREATED], f[CLOSED]));
      }
      finalStock += stock;
    }
    return new Result(rows, Map.of(FACT, finalStock));
  }
}
