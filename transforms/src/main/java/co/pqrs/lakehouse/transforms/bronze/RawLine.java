package co.pqrs.lakehouse.transforms.bronze;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One line of a Raw file as bytes (its {@code \n} removed, nothing else), with the file it came from
 * (relative to the lakehouse root) and its 1-based line number.
 */
public record RawLine(String file, long lineNumber, byte[] bytes) {

  public static final class Coder extends AtomicCoder<RawLine> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RawLine v, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(v.file(), out);
      VarLongCoder.of().encode(v.lineNumber(), out);
      ByteArrayCoder.of().encode(v.bytes(), out);
    }

    @Override
    public RawLine decode(InputStream in) throws IOException {
      return new RawLine(StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in), ByteArrayCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
