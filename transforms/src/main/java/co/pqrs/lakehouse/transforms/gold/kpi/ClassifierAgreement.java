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
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** The confusion matrix of the rules pre-classifier (Silver preclassification) against declared types. */
public final class ClassifierAgreement implements Kpi<GenericRecord> {
  /** The columns of {@code silver_preclassification} {@link #contribute} reads. */
  public static final List<String> SILVER_COLUMNS = List.of("declared_type", "predicted_type");

  @Override
  public GoldTable table() {
    return GoldTable.KPI_CLASSIFIER_AGREEMENT;
  }

  @Override
  public void contribute(GenericRecord p, BiConsumer<String, Cell> out) {
    out.accept(Grain.of(Rows.string(p, "declared_type"), Rows.string(p, "predicted_type")), Cell.of(1));
  }

  @Override
  public Result finish(SortedMap<String, Cell> cells, Context ctx) {
    Schema s = table().schema();
    Map<String, Long> declared = new TreeMap<>();
    cells.forEach((k, c) -> declared.merge(Grain.parts(k).get(0), c.count(0), Long::sum));
    List<GenericRecord> rows = new ArrayList<>();
    long agreeing = 0;
    for (var e : cells.entrySet()) {
      List<String> g = Grain.parts(e.getKey());
      long n = e.getValue().count(0);
      boolean agrees = g.get(0).equals(g.get(1));
      agreeing += agrees ? n : 0;
      rows.add(Rows.of(s, ctx.runId(), g.get(0), g.get(1), n, n / (double) declared.get(g.get(0)), agrees));
    }
    return new Result(rows, Map.of("classifier.agrees", agreeing));
  }
}
