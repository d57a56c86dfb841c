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

  /**
   * Where a line's content starts in {@code b[from, to)}: after a UTF-8 BOM, which is a transport
   * artefact and not content.
   */
  static int contentStart(byte[] b, int from, int to) {
    return to - from >= 3 && (b[from] & 0xFF) == 0xEF && (b[from + 1] & 0xFF) == 0xBB
        && (b[from + 2] & 0xFF) == 0xBF ? from + 3 : from;
  }

  /** Where a line's content ends: before the CR a CRLF newline leaves behind. */
  static int contentEnd(byte[] b, int start, int to) {
    return to > start && b[to - 1] == '\r' ? to - 1 : to;
  }

  /**
   * Whether {@code b[from, to)} is a blank line: nothing but spaces and tabs once its BOM and CR are
   * removed. Blank lines are not events: the parser skips them and the line counter counts them, by
   * this one rule.
   */
  static boolean isBlank(byte[] b, int from, int to) {
    int start = contentStart(b, from, to);
    return isBlankContent(b, start, contentEnd(b, start, to));
  }

  /** {@link #isBlank} for content already cut by {@link #contentStart} and {@link #contentEnd}. */
  static boolean isBlankContent(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

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
