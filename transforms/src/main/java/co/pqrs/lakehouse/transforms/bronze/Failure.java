package co.pqrs.lakehouse.transforms.bronze;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

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

  /** Field-by-field coder (see {@link BronzeEvent.Coder} for why not Java serialization). */
  public static final class Coder extends AtomicCoder<Failure> {
    private static final Coder INSTANCE = new Coder();
    private static final StringUtf8Coder S = StringUtf8Coder.of();
    private static final NullableCoder<String> N = NullableCoder.of(StringUtf8Coder.of());

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Failure f, OutputStream o) throws IOException {
      S.encode(f.step(), o);
      S.encode(f.errorCode(), o);
      S.encode(f.message(), o);
      S.encode(f.sourceFile(), o);
      VarLongCoder.of().encode(f.sourceLine(), o);
      N.encode(f.payload(), o);
      N.encode(f.payloadBase64(), o);
    }

    @Override
    public Failure decode(InputStream i) throws IOException {
      return new Failure(S.decode(i), S.decode(i), S.decode(i), S.decode(i), VarLongCoder.of().decode(i),
          N.decode(i), N.decode(i));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
