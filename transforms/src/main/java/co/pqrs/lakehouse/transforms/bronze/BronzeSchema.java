package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.Source;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The Bronze events table schema, read from the contract ({@code data/contracts/v1/bronze_events.avsc}). */
public final class BronzeSchema {
  public static final String FILE = "bronze_events.avsc";
  public static final String TABLE = "events";

  private BronzeSchema() {}

  public static String json() {
    return Source.packaged(Source.Kind.CONTRACTS, FILE).text();
  }

  public static Schema schema() {
    return new Schema.Parser().parse(json());
  }

  /** The columns {@link #rows} fills, in the order of its values. */
  private static final String[] COLUMNS = {"run_id", "event_id", "ticket_id", "event_type", "schema_version",
      "event_ts", "event_ts_offset_minutes", "event_day", "external_id", "channel", "pqrs_type", "priority",
      "municipality_code", "subject", "text", "author_role", "from_status", "to_status", "reason", "file_name",
      "mime_type", "size_bytes", "source_file", "source_line", "duplicates_dropped"};

  /**
   * The Bronze rows of a run's events. The columns' positions are looked up once: put by name looks
   * each one up in every row (2.6 % of Bronze's CPU samples). The writer encodes the texts to UTF-8
   * once, for Parquet and the hash.
   */
  public static Function<BronzeEvent, GenericRecord> rows(Schema s, String runId) {
    int[] at = new int[COLUMNS.length];
    for (int i = 0; i < at.length; i++) {
      Schema.Field f = s.getField(COLUMNS[i]);
      if (f == null) {
        throw new IllegalArgumentException("the Bronze schema has no column " + COLUMNS[i]);
      }
      at[i] = f.pos();
    }
    return e -> {
      Object[] values = {runId, e.eventId(), e.ticketId(), e.eventType(), e.schemaVersion(), e.tsMicros(),
          e.offsetMinutes(), e.eventDay(), e.externalId(), e.channel(), e.pqrsType(), e.priority(),
          e.municipalityCode(), e.subject(), e.text(), e.authorRole(), e.fromStatus(), e.toStatus(), e.reason(),
          e.fileName(), e.mimeType(), e.sizeBytes(), e.sourceFile(), e.sourceLine(), e.duplicatesDropped()};
      GenericData.Record r = new GenericData.Record(s);
      for (int i = 0; i < at.length; i++) {
        r.put(at[i], values[i]);
      }
      return r;
    };
  }

  /** A column's value, or null when the row was read without it (a projection). */
  private static Object get(GenericRecord r, String f) {
    Schema.Field field = r.getSchema().getField(f);
    return field == null ? null : r.get(field.pos());
  }

  private static String str(GenericRecord r, String f) {
    Object v = get(r, f);
    return v == null ? null : v.toString();
  }

  private static <T> T or(T v, T empty) {
    return v == null ? empty : v;
  }

  /**
   * A Bronze row read back from Parquet, as the event it was written from. A row read with only some
   * columns (Silver reads those it curates) leaves the other fields empty: null, "" or 0.
   */
  public static BronzeEvent fromRecord(GenericRecord r) {
    return new BronzeEvent(str(r, "event_id"), str(r, "ticket_id"), str(r, "event_type"),
        or(str(r, "schema_version"), ""), (Long) get(r, "event_ts"), or((Integer) get(r, "event_ts_offset_minutes"), 0),
        or((Integer) get(r, "event_day"), 0), str(r, "external_id"), str(r, "channel"), str(r, "pqrs_type"),
        str(r, "priority"), str(r, "municipality_code"), str(r, "subject"), str(r, "text"), str(r, "author_role"),
        str(r, "from_status"), str(r, "to_status"), str(r, "reason"), str(r, "file_name"), str(r, "mime_type"),
        (Long) get(r, "size_bytes"), or(str(r, "source_file"), ""), or((Long) get(r, "source_line"), 0L), new byte[0],
        or((Integer) get(r, "duplicates_dropped"), 0));
  }
}
