package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.Source;
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

  /** The Bronze row of an event (the writer encodes its texts to UTF-8 once, for Parquet and the hash). */
  public static GenericRecord toRecord(Schema s, String runId, BronzeEvent e) {
    GenericData.Record r = new GenericData.Record(s);
    r.put("run_id", runId);
    r.put("event_id", e.eventId());
    r.put("ticket_id", e.ticketId());
    r.put("event_type", e.eventType());
    r.put("schema_version", e.schemaVersion());
    r.put("event_ts", e.tsMicros());
    r.put("event_ts_offset_minutes", e.offsetMinutes());
    r.put("event_day", e.eventDay());
    r.put("external_id", e.externalId());
    r.put("channel", e.channel());
    r.put("pqrs_type", e.pqrsType());
    r.put("priority", e.priority());
    r.put("municipality_code", e.municipalityCode());
    r.put("subject", e.subject());
    r.put("text", e.text());
    r.put("author_role", e.authorRole());
    r.put("from_status", e.fromStatus());
    r.put("to_status", e.toStatus());
    r.put("reason", e.reason());
    r.put("file_name", e.fileName());
    r.put("mime_type", e.mimeType());
    r.put("size_bytes", e.sizeBytes());
    r.put("source_file", e.sourceFile());
    r.put("source_line", e.sourceLine());
    r.put("duplicates_dropped", e.duplicatesDropped());
    return r;
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
