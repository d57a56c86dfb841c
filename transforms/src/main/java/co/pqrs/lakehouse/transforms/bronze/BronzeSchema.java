package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.Source;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

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

  /**
   * The Bronze row of an event. Strings go in as Avro's {@link Utf8}: the Parquet writer takes its
   * bytes as they are, where a {@code String} is re-encoded through a CharsetEncoder (7 % of a
   * Bronze run in a profile); the data hash's Avro encoding is the same either way.
   */
  public static GenericRecord toRecord(Schema s, String runId, BronzeEvent e) {
    GenericData.Record r = new GenericData.Record(s);
    r.put("run_id", utf8(runId));
    r.put("event_id", utf8(e.eventId()));
    r.put("ticket_id", utf8(e.ticketId()));
    r.put("event_type", utf8(e.eventType()));
    r.put("schema_version", utf8(e.schemaVersion()));
    r.put("event_ts", e.tsMicros());
    r.put("event_ts_offset_minutes", e.offsetMinutes());
    r.put("event_day", e.eventDay());
    r.put("external_id", utf8(e.externalId()));
    r.put("channel", utf8(e.channel()));
    r.put("pqrs_type", utf8(e.pqrsType()));
    r.put("priority", utf8(e.priority()));
    r.put("municipality_code", utf8(e.municipalityCode()));
    r.put("subject", utf8(e.subject()));
    r.put("text", utf8(e.text()));
    r.put("author_role", utf8(e.authorRole()));
    r.put("from_status", utf8(e.fromStatus()));
    r.put("to_status", utf8(e.toStatus()));
    r.put("reason", utf8(e.reason()));
    r.put("file_name", utf8(e.fileName()));
    r.put("mime_type", utf8(e.mimeType()));
    r.put("size_bytes", e.sizeBytes());
    r.put("source_file", utf8(e.sourceFile()));
    r.put("source_line", e.sourceLine());
    r.put("duplicates_dropped", e.duplicatesDropped());
    return r;
  }

  private static Utf8 utf8(String v) {
    return v == null ? null : new Utf8(v);
  }

  private static String str(GenericRecord r, String f) {
    Object v = r.get(f);
    return v == null ? null : v.toString();
  }

  /** A Bronze row read back from Parquet, as the event it was written from. */
  public static BronzeEvent fromRecord(GenericRecord r) {
    Object size = r.get("size_bytes");
    return new BronzeEvent(str(r, "event_id"), str(r, "ticket_id"), str(r, "event_type"), str(r, "schema_version"),
        (Long) r.get("event_ts"), (Integer) r.get("event_ts_offset_minutes"), (Integer) r.get("event_day"),
        str(r, "external_id"), str(r, "channel"), str(r, "pqrs_type"), str(r, "priority"),
        str(r, "municipality_code"), str(r, "subject"), str(r, "text"), str(r, "author_role"),
        str(r, "from_status"), str(r, "to_status"), str(r, "reason"), str(r, "file_name"), str(r, "mime_type"),
        size == null ? null : (Long) size, str(r, "source_file"), (Long) r.get("source_line"), new byte[0],
        (Integer) r.get("duplicates_dropped"));
  }
}
