import co.pqrs.lakehouse.transforms.io.FilledRows;
import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * What filling a Silver row by name costs, Avro's put by name against `FilledRows` (the replay's
 * rows since the forty-sixth change), per table, in alternating rounds in one JVM, the first two not
 * printed. Each row gets every column of its table in the table's order, by the code's literals as
 * the replay puts them; the rows are checked to be equal first.
 *
 *   java -cp pipelines/target/pqrs-lakehouse.jar bench/apart/FilledRowsCosts.java [rounds] [rows]
 *
 * Prints CSV without header, one row per counted round, table and way: round,table,way,ns_per_row.
 */
public class FilledRowsCosts {
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    for (SilverTables t : SilverTables.values()) {
      Schema schema = t.schema();
      String[] names = schema.getFields().stream().map(f -> f.name().intern()).toArray(String[]::new);
      Object[] values = new Object[names.length]; // nulls: the cost measured is finding the column
      FilledRows filled = new FilledRows(schema);
      if (!byName(schema, names, values).equals(filled(filled, names, values))) {
        throw new IllegalStateException("the rows of " + t.table + " differ");
      }
      for (int round = 0; round < rounds + 2; round++) {
        for (int k = 0; k < 2; k++) {
          boolean avro = (round + k) % 2 == 0; // alternate which way goes first
          long t0 = System.nanoTime();
          long sink = 0;
          for (int i = 0; i < n; i++) {
            GenericData.Record r = avro ? byName(schema, names, values) : filled(filled, names, values);
            sink += r.get(0) == null ? 1 : 0;
          }
          long t1 = System.nanoTime();
          if (sink != n) {
            throw new IllegalStateException("a row lost its first value");
          }
          if (round >= 2) {
            System.out.printf(Locale.ROOT, "%d,%s,%s,%.1f%n", round - 1, t.table, avro ? "avro put by name" : "FilledRows",
                (t1 - t0) / (double) n);
          }
        }
      }
    }
  }

  static GenericData.Record byName(Schema schema, String[] names, Object[] values) {
    GenericData.Record r = new GenericData.Record(schema);
    for (int i = 0; i < names.length; i++) {
      r.put(names[i], values[i]);
    }
    return r;
  }

  static GenericData.Record filled(FilledRows rows, String[] names, Object[] values) {
    GenericData.Record r = rows.row();
    for (int i = 0; i < names.length; i++) {
      r.put(names[i], values[i]);
    }
    return r;
  }
}
