package co.pqrs.lakehouse.transforms.gold.kpi;

import co.pqrs.lakehouse.transforms.gold.Cell;
import co.pqrs.lakehouse.transforms.gold.GoldTable;
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

/** Status changes (Silver status_events) per from × to state, with invalid ones and time spent before. */
public final class TransitionMatrix implements Kpi<GenericRecord> {
  /** The columns of {@code silver_status_events} {@link #contribute} reads. */
  public static final List<String> SILVER_COLUMNS =
      List.of("from_status", "to_status", "business_seconds_in_previous", "is_valid");

  @Override
  public GoldTable table() {
    return GoldTable.KPI_TRANSITION_MATRIX;
  }

  @Override
  public void contribute(GenericRecord e, BiConsumer<String, Cell> out) {
    boolean valid = (Boolean) e.get("is_valid");
    out.accept(Grain.of(Rows.string(e, "from_status"), Rows.string(e, "to_status")),
        Cell.of(1, valid ? 0 : 1, Rows.number(e, "business_seconds_in_previous")));
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    List<GenericRecord> rows = new ArrayList<>();
    long total = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      Cell c = e.getValue();
      total += c.count(0);
      rows.add(Rows.of(s, ctx.runId(), g.get(0), g.get(1), c.count(0), c.count(1), c.sum(2) / 3600.0 / c.count(0)));
    }
    return new Result(rows, Map.of("transitions.rows", total));
  }
}
