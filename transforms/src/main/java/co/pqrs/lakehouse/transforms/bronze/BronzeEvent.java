package co.pqrs.lakehouse.transforms.bronze;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

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
   * Field-by-field coder. Java serialization would work but the DirectRunner copies grouped state
   * through the coder on every bundle, and at Java-serialization speed that dominates a run.
   */
  public static final class Coder extends AtomicCoder<BronzeEvent> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder S = StringUtf8Coder.of();
    private static final NullableCoder<String> N = NullableCoder.of(StringUtf8Coder.of());
    private static final NullableCoder<Long> NL = NullableCoder.of(VarLongCoder.of());
    private static final VarLongCoder L = VarLongCoder.of();
    private static final VarIntCoder I = VarIntCoder.of();
    private static final ByteArrayCoder B = ByteArrayCoder.of();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(BronzeEvent e, OutputStream o) throws IOException {
      S.encode(e.eventId(), o);
      S.encode(e.ticketId(), o);
      S.encode(e.eventType(), o);
      S.encode(e.schemaVersion(), o);
      L.encode(e.tsMicros(), o);
      I.encode(e.offsetMinutes(), o);
      I.encode(e.eventDay(), o);
      for (String v : new String[] {e.externalId(), e.channel(), e.pqrsType(), e.priority(), e.municipalityCode(),
          e.subject(), e.text(), e.authorRole(), e.fromStatus(), e.toStatus(), e.reason(), e.fileName(),
          e.mimeType()}) {
        N.encode(v, o);
      }
      NL.encode(e.sizeBytes(), o);
      S.encode(e.sourceFile(), o);
      L.encode(e.sourceLine(), o);
      B.encode(e.lineUtf8(), o);
      I.encode(e.duplicatesDropped(), o);
    }

    @Override
    public BronzeEvent decode(InputStream i) throws IOException {
      return new BronzeEvent(S.decode(i), S.decode(i), S.decode(i), S.decode(i), L.decode(i), I.decode(i),
          I.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i),
          N.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i), N.decode(i), NL.decode(i),
          S.decode(i), L.decode(i), B.decode(i), I.decode(i));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
