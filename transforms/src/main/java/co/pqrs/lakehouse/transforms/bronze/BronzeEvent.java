package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.transforms.io.Frame;
import co.pqrs.lakehouse.transforms.io.HeldBlocks;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A valid Raw event with typed fields, on its way to the Bronze {@code events} table
 * ({@code data/contracts/v1/bronze_events.avsc}). {@code lineSha256} is the SHA-256 of the normalised
 * source line (no BOM, no CR) as UTF-8: what tells an identical repeat of an event_id from a
 * conflicting one. The line itself stays in Raw: only a duplicate's quarantine record needs it, and
 * the quarantine writer reads it back from there ({@link RawPayloads}), so that the parsed events,
 * which cross the de-duplication's grouping, carry 32 bytes instead of the line
 * (docs/benchmarks/changes.md, "Fifty-second change").
 */
public record BronzeEvent(
    String eventId,
    String ticketId,
    String eventType,
    String schemaVersion,
    long tsMicros,
    int offsetMinutes,
    int eventDay,
    String externalId,
    String channel,
    String pqrsType,
    String priority,
    String municipalityCode,
    String subject,
    String text,
    String authorRole,
    String fromStatus,
    String toStatus,
    String reason,
    String fileName,
    String mimeType,
    Long sizeBytes,
    String sourceFile,
    long sourceLine,
    byte[] lineSha256,
    int duplicatesDropped)
    implements Serializable {
  private static final byte[] NO_DIGEST = new byte[0];

  /**
   * The survivor of de-duplication: its duplicate count set, and its line's digest dropped (only
   * duplicates are judged by it), which later shuffles need not carry.
   */
  public BronzeEvent survivor(int duplicatesDropped) {
    return new BronzeEvent(eventId, ticketId, eventType, schemaVersion, tsMicros, offsetMinutes, eventDay,
        externalId, channel, pqrsType, priority, municipalityCode, subject, text, authorRole, fromStatus,
        toStatus, reason, fileName, mimeType, sizeBytes, sourceFile, sourceLine, NO_DIGEST, duplicatesDropped);
  }

  /**
   * An event as its coder's fields, decoded when asked: what Silver's replay holds of a bucket's
   * events until it reaches their ticket (one object and a range of a block it reuses, where a
   * decoded event is a dozen objects or more, each of which the collector copies while the bucket is
   * held: docs/benchmarks/changes.md, thirty-seventh and sixty-second changes).
   */
  public static final class Coded {
    private final byte[] fields; // the array its fields are in, at [at, at + length)
    private final int at;
    private final int length;

    private Coded(byte[] fields) {
      this(fields, 0, fields.length);
    }

    private Coded(byte[] fields, int at, int length) {
      this.fields = fields;
      this.at = at;
      this.length = length;
    }

    /**
     * The same event with its fields copied into {@code held} (blocks a step reuses), read there
     * until {@code held} is cleared: what Silver's replay holds of a bucket's events
     * (docs/benchmarks/changes.md, "Sixty-second change").
     */
    public Coded heldIn(HeldBlocks held) {
      held.add(fields, at, length);
      return new Coded(held.array(), held.at(), length);
    }

    /** The event's fields, as its own coder writes them (Silver reads rows through BronzeSchema.CodedReader). */
    public static Coded of(BronzeEvent e) {
      return new Coded(BronzeEvent.Coder.fields(e));
    }

    /** The event whose fields these are, as {@link BronzeEvent.Coder#write} writes them. */
    static Coded ofFields(byte[] fields) {
      return new Coded(fields);
    }

    /** {@code ticketId().hashCode()}, from the fields' bytes: no String for an ASCII ticket_id. */
    public int ticketHash() {
      return decoded(r -> {
        Frame.Reader at = BronzeEvent.Coder.toTicketId(r);
        int n = (int) at.varLong();
        return Frame.stringHash(fields, at.position(), n);
      });
    }

    /** The event's ticket_id, read from its fields. */
    public String ticketId() {
      return decoded(r -> BronzeEvent.Coder.toTicketId(r).string());
    }

    /** The event, decoded anew at every call. */
    public BronzeEvent event() {
      return decoded(BronzeEvent.Coder::read);
    }

    private <T> T decoded(Frame.FieldsIn<T> read) {
      try {
        return read.read(Frame.Reader.of(fields, at, length));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("a coded event's fields do not decode", e);
      }
    }

    /** Its coder writes the fields as they are: the same bytes as the event's own coder. */
    public static final class Coder extends AtomicCoder<Coded> {
      private static final Coder INSTANCE = new Coder();

      public static Coder of() {
        return INSTANCE;
      }

      @Override
      public void encode(Coded c, OutputStream o) throws IOException {
        Frame.encode(c, o, (x, w) -> w.raw(x.fields, x.at, x.length));
      }

      @Override
      public Coded decode(InputStream i) throws IOException {
        return Frame.decode(i, r -> new Coded(r.rest()));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  /**
   * Field-by-field coder, framed ({@link Frame}): every event crosses Bronze's shuffle and Silver's.
   * Java serialization would work but the DirectRunner copies grouped state through the coder on
   * every bundle, and at Java-serialization speed that dominates a run.
   */
  public static final class Coder extends AtomicCoder<BronzeEvent> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BronzeEvent e, OutputStream o) throws IOException {
      Frame.encode(e, o, Coder::write);
    }

    @Override
    public BronzeEvent decode(InputStream i) throws IOException {
      return Frame.decode(i, Coder::read);
    }

    // The fields in this order so that the steps between the parser and the day writer, which read
    // an event's position, day and line digest and drop the digest (ParseRaw.Parsed), find them at the front
    // without decoding the rest; the count is fixed-width at the end, to be replaced in place.
    static void write(BronzeEvent e, Frame.Writer w) {
      writeOccurrence(e.eventId(), e.sourceFile(), e.sourceLine(), e.eventDay(), e.lineSha256(), w)
          .string(e.ticketId()).string(e.eventType()).string(e.schemaVersion())
          .varLong(e.tsMicros()).varInt(e.offsetMinutes())
          .nullableString(e.externalId()).nullableString(e.channel()).nullableString(e.pqrsType())
          .nullableString(e.priority()).nullableString(e.municipalityCode()).nullableString(e.subject())
          .nullableString(e.text()).nullableString(e.authorRole()).nullableString(e.fromStatus())
          .nullableString(e.toStatus()).nullableString(e.reason()).nullableString(e.fileName())
          .nullableString(e.mimeType()).nullableLong(e.sizeBytes())
          .fixed32(e.duplicatesDropped());
    }

    /** The first five fields, what the de-duplication reads of an event ({@link TypeBronze.Occurrence}). */
    static Frame.Writer writeOccurrence(String eventId, String sourceFile, long sourceLine, int eventDay,
        byte[] lineSha256, Frame.Writer w) {
      return w.string(eventId).string(sourceFile).varLong(sourceLine).varInt(eventDay).bytes(lineSha256);
    }

    static BronzeEvent read(Frame.Reader r) throws IOException {
      String eventId = r.string();
      String sourceFile = r.string();
      long sourceLine = r.varLong();
      int eventDay = r.varInt();
      byte[] lineSha256 = r.bytes();
      return new BronzeEvent(eventId, r.string(), r.string(), r.string(), r.varLong(), r.varInt(), eventDay,
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableLong(), sourceFile, sourceLine,
          lineSha256, r.fixed32());
    }

    /**
     * Puts the fields into a Bronze row, each text copied as the UTF-8 it was written in into
     * {@code texts[i]} (reused from row to row: Parquet and the hash copy what they keep). {@code at[i]}
     * is the row's position of BronzeSchema's column i: run_id, then this record's components in
     * order; the line's digest is not a column.
     */
    static void readRow(Frame.Reader r, GenericData.Record row, int[] at, Utf8[] texts) throws IOException {
      row.put(at[1], r.utf8(texts[1]));
      row.put(at[22], r.utf8(texts[22]));
      row.put(at[23], r.varLong());
      row.put(at[7], r.varInt());
      r.skip();
      row.put(at[2], r.utf8(texts[2]));
      row.put(at[3], r.utf8(texts[3]));
      row.put(at[4], r.utf8(texts[4]));
      row.put(at[5], r.varLong());
      row.put(at[6], r.varInt());
      for (int i = 8; i <= 20; i++) { // externalId to mimeType: written in the record's order
        row.put(at[i], r.nullableUtf8(texts[i]));
      }
      row.put(at[21], r.nullableLong());
      row.put(at[24], r.fixed32());
    }

    /**
     * The fields {@link #write} gives the event {@code BronzeSchema.Reader} makes of a Bronze row,
     * written from the row: its texts as the UTF-8 they were read in ({@link Frame.Writer#text}), a
     * column the row lacks as the Reader leaves it (null, "" or 0), no line digest. {@code at[i]} is the row's
     * position of BronzeSchema's column i, -1 for a column it lacks.
     */
    static void writeRow(GenericRecord row, int[] at, Frame.Writer w) {
      w.text(text(row, at, 1)).text(BronzeSchema.or(text(row, at, 22), "")).varLong(number(row, at, 23))
          .varInt((int) number(row, at, 7)).varLong(0) // the line's digest, empty
          .text(text(row, at, 2)).text(text(row, at, 3)).text(BronzeSchema.or(text(row, at, 4), ""))
          .varLong((Long) BronzeSchema.value(row, at, 5)).varInt((int) number(row, at, 6));
      for (int i = 8; i <= 20; i++) { // externalId to mimeType: written in the record's order
        w.nullableText(text(row, at, i));
      }
      w.nullableLong((Long) BronzeSchema.value(row, at, 21)).fixed32((int) number(row, at, 24));
    }

    private static CharSequence text(GenericRecord row, int[] at, int column) {
      return (CharSequence) BronzeSchema.value(row, at, column);
    }

    /** An int or long column's value, 0 where the row has none (as BronzeSchema.Reader leaves it). */
    private static long number(GenericRecord row, int[] at, int column) {
      return ((Number) BronzeSchema.or(BronzeSchema.value(row, at, column), 0)).longValue();
    }

    /** An event's fields as {@link #write} gives them, in an array of their own. */
    static byte[] fields(BronzeEvent e) {
      Frame.Writer w = new Frame.Writer();
      write(e, w);
      return w.toByteArray();
    }

    /** A reader at the start of an event's fields, moved on to its line digest (past event_id, file, line, day). */
    static Frame.Reader toDigest(Frame.Reader r) throws IOException {
      r.skip().skip().varLong();
      r.varInt();
      return r;
    }

    /** A reader at the start of an event's fields, moved on to its ticket_id. */
    static Frame.Reader toTicketId(Frame.Reader r) throws IOException {
      return toDigest(r).skip();
    }

    /** A reader at the start of an event's fields, moved on to its event_type. */
    static Frame.Reader toEventType(Frame.Reader r) throws IOException {
      return toTicketId(r).skip();
    }

    /** The event's time, from a reader just past its event_type ({@link #toEventType}, then that field read). */
    static long tsMicrosAfterEventType(Frame.Reader r) throws IOException {
      return r.skip().varLong();
    }

    /**
     * The order of two events' event_ids as Strings, from their fields held at {@code [aAt, aAt +
     * aLength)} and {@code [bAt, bAt + bLength)} (the event_id comes first).
     */
    static int compareEventIds(byte[] a, int aAt, int aLength, byte[] b, int bAt, int bLength) {
      try {
        Frame.Reader x = Frame.Reader.of(a, aAt, aLength);
        Frame.Reader y = Frame.Reader.of(b, bAt, bLength);
        int n = (int) x.varLong();
        int m = (int) y.varLong();
        return Frame.compareAsStrings(a, x.position(), n, b, y.position(), m);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("an event's fields do not decode", e);
      }
    }

    /** The event's day, from a reader at the start of its fields: what the day keying reads. */
    static int eventDay(Frame.Reader r) throws IOException {
      r.skip().skip().varLong();
      return r.varInt();
    }

    /**
     * The fields {@code write} gives {@code read(fields).survivor(duplicatesDropped)}: the same bytes
     * with an empty digest and the count replaced.
     */
    static byte[] survivorFields(byte[] fields, int duplicatesDropped) throws IOException {
      return writeSurvivor(fields, duplicatesDropped, new Frame.Writer(fields.length + 1)).toByteArray();
    }

    /** Writes {@link #survivorFields} to {@code w}, from the event's fields as they are. */
    static Frame.Writer writeSurvivor(byte[] fields, int duplicatesDropped, Frame.Writer w) throws IOException {
      Frame.Reader r = toDigest(Frame.Reader.of(fields));
      int lineAt = r.position();
      int restAt = r.skip().position();
      int restEnd = fields.length - 4;
      return w.raw(fields, 0, lineAt).bytes(NO_DIGEST).raw(fields, restAt, restEnd - restAt).fixed32(duplicatesDropped);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
