package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.contracts.EpochMicros;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Conversions between Java values and the Avro representation Silver and Gold files use. */
public final class Rows {
  private Rows() {}

  /** A row of {@code schema} from values in column order; LocalDate and Instant are converted. */
  public static GenericRecord of(Schema schema, Object... values) {
    if (values.length != schema.getFields().size()) {
      throw new IllegalArgumentException(schema.getName() + ": " + values.length + " values for "
          + schema.getFields().size() + " columns");
    }
    GenericData.Record r = new GenericData.Record(schema);
    for (int i = 0; i < values.length; i++) {
      r.put(i, toAvro(values[i]));
    }
    return r;
  }

  /** The values of {@code row}'s columns that {@code projection} keeps, as a row of it. */
  public static GenericRecord project(GenericRecord row, Schema projection) {
    GenericData.Record r = new GenericData.Record(projection);
    for (Schema.Field f : projection.getFields()) {
      r.put(f.pos(), row.get(f.name()));
    }
    return r;
  }

  static Object toAvro(Object v) {
    if (v instanceof LocalDate d) {
      return (int) d.toEpochDay();
    }
    if (v instanceof Instant t) {
      return EpochMicros.of(t);
    }
    return v;
  }

  public static String string(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  public static Instant instant(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : Instant.EPOCH.plus((Long) v, ChronoUnit.MICROS);
  }

  public static LocalDate date(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : LocalDate.ofEpochDay((Integer) v);
  }

  public static long number(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? 0 : ((Number) v).longValue();
  }

  public static double decimal(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? 0 : ((Number) v).doubleValue();
  }
}
