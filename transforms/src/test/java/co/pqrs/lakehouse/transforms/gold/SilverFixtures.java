package co.pqrs.lakehouse.transforms.gold;

import co.pqrs.lakehouse.transforms.silver.SilverTables;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Hand-built Silver rows for Gold tests: only what a test names is set, the rest gets neutral values. */
public final class SilverFixtures {
  private SilverFixtures() {}

  /** An instant written in Bogota time, e.g. {@code bogota("2025-03-03T09:00")}. */
  public static Instant bogota(String local) {
    return OffsetDateTime.parse(local + ":00-05:00").toInstant();
  }

  static Long micros(Instant t) {
    return t == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private static GenericRecord fill(Schema s, Map<String, Object> values) {
    GenericData.Record r = new GenericData.Record(s);
    for (Schema.Field f : s.getFields()) {
      Object v = values.get(f.name());
      if (v == null && !values.containsKey(f.name()) && f.schema().getType() != Schema.Type.UNION) {
        v = switch (f.schema().getType()) {
          case STRING -> "x";
          case INT -> 0;
          case LONG -> 0L;
          case DOUBLE -> 0.0;
          case BOOLEAN -> true;
          default -> throw new IllegalArgumentException("no neutral value for " + f);
        };
      }
      r.put(f.name(), v instanceof Instant t ? micros(t) : v);
    }
    return r;
  }

  /** A Silver ticket; keys are column names, Instants are converted to micros. */
  public static GenericRecord ticket(Map<String, Object> values) {
    Map<String, Object> v = new java.util.HashMap<>(values);
    v.putIfAbsent("run_id", "r1");
    return fill(SilverTables.TICKETS.schema(), v);
  }

  public static GenericRecord statusEvent(String ticket, int seq, String from, String to, long secondsInPrevious,
      boolean valid) {
    return fill(SilverTables.STATUS_EVENTS.schema(), Map.of("ticket_id", ticket, "sequence", seq, "run_id", "r1",
        "from_status", from, "to_status", to, "business_seconds_in_previous", secondsInPrevious, "is_valid", valid,
        "status_ts", 0L));
  }

  public static GenericRecord preclass(String ticket, String declared, String predicted) {
    return fill(SilverTables.PRECLASSIFICATION.schema(), Map.of("ticket_id", ticket, "run_id", "r1",
        "declared_type", declared, "predicted_type", predicted, "type_agrees", declared.equals(predicted)));
  }
}
