package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.transforms.io.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A valid Raw event with typed fields, on its way to the Bronze {@code events} table
 * ({@code data/contracts/v1/bronze_events.avsc}). {@code lineUtf8} is the normalised source line (no
 * BOM, no CR) as UTF-8 bytes, kept to quarantine duplicates with their payload: bytes, because every
 * event carries it through the de-duplication shuffle and only duplicates ever read it as text.
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
    byte[] lineUtf8,
    int duplicatesDropped)
    implements Serializable {
  private static final byte[] NO_LINE = new byte[0];

  /** The normalised source line as text ("" once dropped). */
  public String line() {
    return new String(lineUtf8, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * The survivor of de-duplication: its duplicate count set, and its source line dropped (only
   * duplicates need their line, for quarantine), which halves what later shuffles carry.
   */
  public BronzeEvent survivor(int duplicatesDropped) {
    return new BronzeEvent(eventId, ticketId, eventType, schemaVersion, tsMicros, offsetMinutes, eventDay,
        externalId, channel, pqrsType, priority, municipalityCode, subject, text, authorRole, fromStatus,
        toStatus, reason, fileName, mimeType, sizeBytes, sourceFile, sourceLine, NO_LINE, duplicatesDropped);
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

    static void write(BronzeEvent e, Frame.Writer w) {
      w.string(e.eventId()).string(e.ticketId()).string(e.eventType()).string(e.schemaVersion())
          .varLong(e.tsMicros()).varInt(e.offsetMinutes()).varInt(e.eventDay())
          .nullableString(e.externalId()).nullableString(e.channel()).nullableString(e.pqrsType())
          .nullableString(e.priority()).nullableString(e.municipalityCode()).nullableString(e.subject())
          .nullableString(e.text()).nullableString(e.authorRole()).nullableString(e.fromStatus())
          .nullableString(e.toStatus()).nullableString(e.reason()).nullableString(e.fileName())
          .nullableString(e.mimeType()).nullableLong(e.sizeBytes())
          .string(e.sourceFile()).varLong(e.sourceLine()).bytes(e.lineUtf8()).varInt(e.duplicatesDropped());
    }

    static BronzeEvent read(Frame.Reader r) throws IOException {
      return new BronzeEvent(r.string(), r.string(), r.string(), r.string(), r.varLong(), r.varInt(), r.varInt(),
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(), r.nullableString(),
          r.nullableString(), r.nullableString(), r.nullableString(), r.nullableLong(), r.string(), r.varLong(),
          r.bytes(), r.varInt());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
