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

/** Tickets created per creation day × channel × type × priority × department. */
public final class VolumeDaily implements Kpi<GoldTicket> {
  @Override
  public GoldTable table() {
    return GoldTable.KPI_VOLUME_DAILY;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (t.created()) {
      out.accept(Grain.of(t.createdDay(), t.channel(), t.pqrsType(), t.priority(), t.departmentCode()), Cell.of(1));
    }
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    List<GenericRecord> rows = new ArrayList<>();
    long total = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      long n = e.getValue().count(0);
      total += n;
      rows.add(Rows.of(s, ctx.runId(), Grain.day(g.get(0)), g.get(1), g.get(2), g.get(3), g.get(4), n));
    }
    return new Result(rows, Map.of("volume.tickets", total));
  }
}
