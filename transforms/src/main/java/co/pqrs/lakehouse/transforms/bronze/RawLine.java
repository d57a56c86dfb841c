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
 *
 * @param length the line's length in bytes: that of {@code bytes}, unless the line is longer than
 *     {@link #MAX_BYTES}, of which {@code bytes} then holds the first {@code MAX_BYTES} only
 */
public record RawLine(String file, long lineNumber, byte[] bytes, long length) {
  /**
   * The most of a line kept in memory; a longer line is no event (Bronze quarantines it as
   * {@link Failure#LINE_TOO_LONG}). The contract's longest value, a 20,000-character text, takes at
   * most 240,000 bytes even with every character escaped (two {@code \\uXXXX} for one beyond the
   * BMP): a valid line stays far below, and a file that is one JSON array, not JSON Lines, is not
   * held whole.
   */
  public static final int MAX_BYTES = 1 << 20;

  /** A line of at most {@link #MAX_BYTES}, whole. */
  public RawLine(String file, long lineNumber, byte[] bytes) {
    this(file, lineNumber, bytes, bytes.length);
  }

  /** Whether the line was longer than {@link #MAX_BYTES} and {@link #bytes} holds its start only. */
  public boolean truncated() {
    return length > bytes.length;
  }

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

  /**
   * {@link #isBlank} for a line of {@code length} bytes of which {@code b[from, to)} may be the start
   * only: a line over {@link #MAX_BYTES} is never blank (the parser quarantines it before any other check).
   */
  static boolean isBlank(byte[] b, int from, int to, long length) {
    return length == to - from && isBlank(b, from, to);
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
      VarLongCoder.of().encode(v.length() - v.bytes().length, out); // bytes left out: 0, one byte, for a whole line
    }

    @Override
    public RawLine decode(InputStream in) throws IOException {
      String file = StringUtf8Coder.of().decode(in);
      long line = VarLongCoder.of().decode(in);
      byte[] bytes = ByteArrayCoder.of().decode(in);
      return new RawLine(file, line, bytes, bytes.length + VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
