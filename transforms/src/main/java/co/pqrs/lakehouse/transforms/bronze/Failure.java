package co.pqrs.lakehouse.transforms.bronze;

import co.pqrs.lakehouse.transforms.io.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * A record that could not go on, as it goes to quarantine: the original payload, where it came from,
 * the step that refused it, an error code and a message a person can act on.
 *
 * @param payload the original line as text (invalid UTF-8 shown with U+FFFD)
 * @param payloadBase64 the exact original bytes, when the text form cannot hold them; else null
 */
public record Failure(
    String step,
    String errorCode,
    String message,
    String sourceFile,
    long sourceLine,
    String payload,
    String payloadBase64)
    implements Serializable {

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

    static void write(Failure f, Frame.Writer w) {
      w.string(f.step()).string(f.errorCode()).string(f.message()).string(f.sourceFile()).varLong(f.sourceLine())
          .nullableString(f.payload()).nullableString(f.payloadBase64());
    }

    static Failure read(Frame.Reader r) throws IOException {
      return new Failure(r.string(), r.string(), r.string(), r.string(), r.varLong(), r.nullableString(),
          r.nullableString());
    }

    @Override
    public void verifyDeterministic() {}
  }
}
