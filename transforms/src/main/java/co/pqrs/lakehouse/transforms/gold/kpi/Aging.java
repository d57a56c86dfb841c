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
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Open tickets at the as-of by age (whole business days since creation) in four buckets, per type ×
 * department; every (type, department) with an open ticket gets all four buckets.
 */
public final class Aging implements Kpi<GoldTicket> {
  /** Bucket labels in order, and the highest age each holds (the last has no bound). */
  static final List<String> BUCKETS = List.of("0-3", "4-7", "8-15", ">15");
  private static final int[] UPPER = {3, 7, 15};

  public static String bucket(int age) {
    for (int i = 0; i < UPPER.length; i++) {
      if (age <= UPPER[i]) {
        return BUCKETS.get(i);
      }
    }
    return BUCKETS.get(BUCKETS.size() - 1);
  }

  @Override
  public GoldTable table() {
    return GoldTable.KPI_AGING;
  }

  @Override
  public void contribute(GoldTicket t, BiConsumer<String, Cell> out) {
    if (t.openWithCreation()) {
      int age = t.ageBusinessDays();
      out.accept(Grain.of(t.pqrsType(), t.departmentCode(), bucket(age)), Cell.of(1, age));
    }
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    TreeSet<String> areas = new TreeSet<>();
    for (String k : cells.keySet()) {
      List<String> g = Grain.parts(k);
      areas.add(Grain.of(g.get(0), g.get(1)));
    }
    List<GenericRecord> rows = new ArrayList<>();
    long total = 0;
    for (String area : areas) {
      List<String> a = Grain.parts(area);
      for (String b : BUCKETS) {
        Cell c = cells.get(Grain.of(a.get(0), a.get(1), b));
        long n = c == null ? 0 : c.count(0);
        total += n;
        rows.add(Rows.of(s, ctx.runId(), a.get(0), a.get(1), b, n, n == 0 ? null : c.sum(1) / n));
      }
    }
    return new Result(rows, Map.of("aging.open", total));
  }
}
