package co.pqrs.lakehouse.transforms.gold.kpi;

import co.pqrs.lakehouse.transforms.gold.Cell;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
import co.pqrs.lakehouse.transforms.gold.GoldTicket;
import co.pqrs.lakehouse.transforms.gold.Grain;
import co.pqrs.lakehouse.transforms.gold.Kpi;
import co.pqrs.lakehouse.transforms.gold.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Per type × channel: tickets, closed at least once, reopened at least once, and the rate. */
public final class ReopenRate implements Kpi<GoldTicket> {
  @Override
  public GoldTable table() {
    return GoldTable.KPI_REOPEN_RATE;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (!t.created()) {
      return;
    }
    // A reopened ticket was closed before, even if it is open now.
    boolean closedOnce = t.closedTs() != null || t.reopenCount() > 0;
    out.accept(Grain.of(t.pqrsType(), t.channel()),
        Cell.of(1, closedOnce ? 1 : 0, t.reopenCount() > 0 ? 1 : 0, t.reopenCount()));
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    List<GenericRecord> rows = new ArrayList<>();
    long reopened = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      Cell c = e.getValue();
      long closedOnce = c.count(1);
      reopened += c.count(2);
      rows.add(Rows.of(s, ctx.runId(), g.get(0), g.get(1), c.count(0), closedOnce, c.count(2), c.count(3),
          closedOnce == 0 ? null : c.count(2) / (double) closedOnce));
    }
    return new Result(rows, Map.of("reopen.tickets", reopened));
  }
}
