package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.transforms.io.Frame;
import java.io.IOException;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.transforms.SerializableFunction;

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

  /** The columns {@link #rows} fills and {@link Reader} reads: run_id, then in BronzeEvent's order. */
  private static final String[] COLUMNS = {"run_id", "event_id", "ticket_id", "event_type", "schema_version",
      "event_ts", "event_ts_offset_minutes", "event_day", "external_id", "channel", "pqrs_type", "priority",
      "municipality_code", "subject", "text", "author_role", "from_status", "to_status", "reason", "file_name",
      "mime_type", "size_bytes", "source_file", "source_line", "duplicates_dropped"};

  /**
   * The Bronze rows of a run's events, made from the events themselves: the mapping of fields to
   * columns written out plainly, which the day writer's rows ({@link FieldRows}, made from the events'
   * bytes) are tested against; the pipeline itself writes through {@link FieldRows}.
   */
  public static Function<BronzeEvent, GenericRecord> rows(Schema s, String runId) {
    int[] at = allPositions(s);
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

  /**
   * The Bronze rows of a day's events as the day writer writes them: each made from the fields an
   * event crossed the shuffle in ({@code BronzeEvent.Coder}), in one record whose texts are buffers
   * reused from row to row (Parquet and the rows' hash copy what they keep). No String is made for a
   * text only to be encoded back to UTF-8, and nothing is held per row. One per worker thread.
   */
  public static final class FieldRows {
    private final GenericData.Record row;
    private final int[] at;
    private final Utf8[] texts = new Utf8[COLUMNS.length];

    public FieldRows(Schema s, String runId) {
      this.at = allPositions(s);
      this.row = new GenericData.Record(s);
      row.put(at[0], new Utf8(runId));
      for (int i = 1; i < texts.length; i++) {
        texts[i] = new Utf8();
      }
    }

    /**
     * The row of an event's fields, held at {@code [from, from + length)} of {@code array}: the same
     * record every time, valid until the next call.
     */
    public GenericRecord of(byte[] array, int from, int length) throws IOException {
      BronzeEvent.Coder.readRow(Frame.Reader.of(array, from, length), row, at, texts);
      return row;
    }
  }

  private static int[] allPositions(Schema s) {
    int[] at = positions(s);
    for (int i = 0; i < at.length; i++) {
      if (at[i] < 0) {
        throw new IllegalArgumentException("the Bronze schema has no column " + COLUMNS[i]);
      }
    }
    return at;
  }

  /** Where each of {@link #COLUMNS} is in {@code s}; -1 for a column it lacks (a projection). */
  private static int[] positions(Schema s) {
    int[] at = new int[COLUMNS.length];
    for (int i = 0; i < at.length; i++) {
      Schema.Field f = s.getField(COLUMNS[i]);
      at[i] = f == null ? -1 : f.pos();
    }
    return at;
  }

  private static String str(Object v) {
    return v == null ? null : v.toString();
  }

  static <T> T or(T v, T empty) {
    return v == null ? empty : v;
  }

  /** The row's value of COLUMNS[i], at its position {@code at[i]}; null when the row lacks the column. */
  static Object value(GenericRecord r, int[] at, int i) {
    return at[i] < 0 ? null : r.get(at[i]);
  }

  /**
   * A Bronze row read back from Parquet, as the event it was written from. A row read with only some
   * columns (Silver reads those it curates) leaves the other fields empty: null, "" or 0.
   */
  public static BronzeEvent fromRecord(GenericRecord r) {
    return new Reader().apply(r);
  }

  /**
   * Reads Bronze rows as events ({@link #fromRecord}), looking the columns' positions up once per
   * schema the rows carry (a file's), not once per row and column. Silver read its rows through this
   * until it coded them straight from the row ({@link CodedReader}); it stays the plain mapping the
   * tests check {@code CodedReader} against, and what bench/apart/RowCosts times.
   */
  public static final class Reader implements SerializableFunction<GenericRecord, BronzeEvent> {
    private transient Schema schema;
    private transient int[] at;

    @Override
    public BronzeEvent apply(GenericRecord r) {
      if (r.getSchema() != schema) {
        schema = r.getSchema();
        at = positions(schema);
      }
      // By COLUMNS' index: BronzeEvent's order, after run_id.
      return new BronzeEvent(str(v(r, 1)), str(v(r, 2)), str(v(r, 3)), or(str(v(r, 4)), ""), (Long) v(r, 5),
          or((Integer) v(r, 6), 0), or((Integer) v(r, 7), 0), str(v(r, 8)), str(v(r, 9)), str(v(r, 10)),
          str(v(r, 11)), str(v(r, 12)), str(v(r, 13)), str(v(r, 14)), str(v(r, 15)), str(v(r, 16)),
          str(v(r, 17)), str(v(r, 18)), str(v(r, 19)), str(v(r, 20)), (Long) v(r, 21), or(str(v(r, 22)), ""),
          or((Long) v(r, 23), 0L), new byte[0], or((Integer) v(r, 24), 0));
    }

    private Object v(GenericRecord r, int i) {
      return value(r, at, i);
    }
  }
  /**
   * Reads Bronze rows as {@link BronzeEvent.Coded} events, what Silver groups by ticket: the fields
   * {@code Coded.of(new Reader().apply(row))} has, written from the row's values, its texts as the
   * UTF-8 Parquet read them in: the texts decoded into Strings only to be encoded again, the event
   * between, were 5 % of Silver's samples at 5.2 M events (docs/benchmarks/changes.md, thirty-ninth change).
   * Positions looked up once per schema, as {@link Reader} does.
   */
  public static final class CodedReader implements SerializableFunction<GenericRecord, BronzeEvent.Coded> {
    private transient Schema schema;
    private transient int[] at;
    private transient Frame.Writer fields;

    @Override
    public BronzeEvent.Coded apply(GenericRecord r) {
      if (r.getSchema() != schema) {
        schema = r.getSchema();
        at = positions(schema);
        fields = new Frame.Writer(256);
      }
      BronzeEvent.Coder.writeRow(r, at, fields.clear());
      return BronzeEvent.Coded.ofFields(fields.toByteArray());
    }
  }

}
