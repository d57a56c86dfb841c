package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.transforms.io.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A record that could not go on, as it goes to quarantine: the original payload, where it came from,
 * the step that refused it, an error code and a message a person can act on.
 *
 * @param payload the original line as text (invalid UTF-8 shown with U+FFFD); null for a duplicate
 *     whose line is still to be read back from Raw
 * @param payloadBase64 the exact original bytes, when the text form cannot hold them; else null
 * @param lineSha256 for a duplicate whose line is still in Raw: the SHA-256 the line had when it was
 *     parsed, which the line read back must have ({@link RawPayloads}); else null
 */
public record Failure(
    String step,
    String errorCode,
    String message,
    String sourceFile,
    long sourceLine,
    String payload,
    String payloadBase64,
    byte[] lineSha256)
    implements Serializable {

  /** A failure that carries its payload. */
  public Failure(String step, String errorCode, String message, String sourceFile, long sourceLine, String payload,
      String payloadBase64) {
    this(step, errorCode, message, sourceFile, sourceLine, payload, payloadBase64, null);
  }

  /** A duplicate's failure whose line is still in Raw, with the digest the line read back must have. */
  static Failure payloadInRaw(String step, String errorCode, String message, String sourceFile, long sourceLine,
      byte[] lineSha256) {
    return new Failure(step, errorCode, message, sourceFile, sourceLine, null, null,
        Objects.requireNonNull(lineSha256));
  }

  /** Whether the payload is still to be read back from Raw ({@link RawPayloads}). */
  public boolean payloadInRaw() {
    return payload == null && lineSha256 != null;
  }

  /** Field by field, the digest by its bytes (a record compares arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Failure f && Objects.equals(step, f.step) && Objects.equals(errorCode, f.errorCode)
        && Objects.equals(message, f.message) && Objects.equals(sourceFile, f.sourceFile) && sourceLine == f.sourceLine
        && Objects.equals(payload, f.payload) && Objects.equals(payloadBase64, f.payloadBase64)
        && Arrays.equals(lineSha256, f.lineSha256);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, errorCode, message, sourceFile, sourceLine, payload, payloadBase64) * 31
        + Arrays.hashCode(lineSha256);
  }

  /** A hash of the line's position (file, line): what spreads failures over the groupings' keys. */
  int positionHash() {
    return 31 * sourceFile.hashCode() + Long.hashCode(sourceLine);
  }

  /** This failure with its payload, read back from Raw. */
  Failure withPayload(String line) {
    return new Failure(step, errorCode, message, sourceFile, sourceLine, line, payloadBase64, null);
  }

  private static final byte[] NO_DIGEST = new byte[0];

  /** Error codes, as they appear in quarantine and in the manifest. */
  public static final String JSON_MALFORMED = "json_malformed";
  public static final String SCHEMA_VIOLATION = "schema_violation";
  public static final String UNKNOWN_EVENT_TYPE = "unknown_event_type";
  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String ENCODING = "encoding";
  public static final String DUPLICATE_EVENT_ID = "duplicate_event_id";
  public static final String LINE_TOO_LONG = "line_too_long";

  /** Field-by-field coder, framed like {@link BronzeEvent.Coder}: failures share Bronze's shuffle with events. */
  public static final class Coder extends AtomicCoder<Failure> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Failure f, OutputStream o) throws IOException {
      Frame.encode(f, o, Coder::write);
    }

    @Override
    public Failure decode(InputStream i) throws IOException {
      return Frame.decode(i, Coder::read);
    }

    // The digest as bytes, empty for none (a SHA-256 is never empty).
    static void write(Failure f, Frame.Writer w) {
      w.string(f.step()).string(f.errorCode()).string(f.message()).string(f.sourceFile()).varLong(f.sourceLine())
          .nullableString(f.payload()).nullableString(f.payloadBase64())
          .bytes(f.lineSha256() == null ? NO_DIGEST : f.lineSha256());
    }

    static Failure read(Frame.Reader r) throws IOException {
      String step = r.string();
      String code = r.string();
      String message = r.string();
      String file = r.string();
      long line = r.varLong();
      String payload = r.nullableString();
      String base64 = r.nullableString();
      byte[] digest = r.bytes();
      return new Failure(step, code, message, file, line, payload, base64, digest.length == 0 ? null : digest);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
