package co.pqrs.lakehouse.transforms.gold.kpi;

import co.pqrs.lakehouse.metrics.StepCounters;

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

/** Closed tickets per closing day × type × channel, in time or late against their SLA target. */
public final class SlaDaily implements Kpi<GoldTicket> {
  @Override
  public GoldTable table() {
    return GoldTable.KPI_SLA_DAILY;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (!t.closedWithCreation()) {
      return;
    }
    boolean late = GoldTicket.LATE.equals(t.slaStatus());
    double daysLate = late && t.slaTargetBusinessDays() != null
        ? t.slaElapsedBusinessDays() - t.slaTargetBusinessDays() : 0;
    Cell c = Cell.of(1, late ? 0 : 1, late ? 1 : 0);
    if (late) {
      StepCounters.SLA_BREACHES.inc();
    }
    // Days late are kept as samples: a sum of fractions would depend on the order cells merge in.
    out.accept(Grain.of(t.closedDay(), t.pqrsType(), t.channel()), late ? c.sample(daysLate) : c);
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    List<GenericRecord> rows = new ArrayList<>();
    long total = 0;
    long inTime = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      Cell c = e.getValue();
      long closed = c.count(0);
      long late = c.count(2);
      total += closed;
      inTime += c.count(1);
      rows.add(Rows.of(s, ctx.runId(), Grain.day(g.get(0)), g.get(1), g.get(2), closed, c.count(1), late,
          100.0 * c.count(1) / closed, late == 0 ? null : Cell.mean(c.sortedSamples())));
    }
    return new Result(rows, Map.of("sla.closed", total, "sla.in_time", inTime));
  }
}
