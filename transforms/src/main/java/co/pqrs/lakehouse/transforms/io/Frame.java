package co.pqrs.lakehouse.transforms.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.util.Utf8;

/**
 * One element's fields as one length-prefixed block of bytes, for the coders of the elements a
 * pipeline shuffles by the million.
 *
 * <p>Why: Flink's batch runner hands a coder a stream whose every one-byte write and read is a chain
 * of calls into its paged memory. Beam's field coders (VarInt, StringUtf8, Nullable) write a field's
 * length and markers a byte at a time, which made encoding and decoding Bronze's parsed events a
 * fifth of that layer's profile samples. Here an element's fields are written into a byte array, and
 * the stream sees one varint length and one bulk write; a reader takes the block with one bulk read
 * and decodes it from the array. The block is self-delimiting, so a framed coder nests in Beam's
 * {@code KvCoder} and iterable coders like any other.
 *
 * <p>Fields: varints as Beam writes them (unsigned LEB128, longs in up to 10 bytes); strings as a
 * varint byte length and UTF-8; a nullable field as one byte 0 (null) or 1 before the value;
 * fixed-width numbers least significant byte first; raw bytes as given, for a format that delimits
 * its own fields (Avro rows, {@link AvroRows}).
 */
public final class Frame {
  private Frame() {}

  /** Writes a value's fields; a static method of the coder makes no object per element. */
  @FunctionalInterface
  public interface FieldsOut<T> {
    void write(T value, Writer w) throws IOException;
  }

  /** Reads a value back from its fields, in the order they were written. */
  @FunctionalInterface
  public interface FieldsIn<T> {
    T read(Reader r) throws IOException;
  }

  /** Decodes bytes {@code [offset, offset + length)} of {@code bytes}, which it must not keep. */
  @FunctionalInterface
  public interface Rest<T> {
    T read(byte[] bytes, int offset, int length) throws IOException;
  }

  // One writer and one reader per thread: a coder instance is shared by every task of a JVM.
  private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);
  private static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(Reader::new);
  private static final int INITIAL = 512;
  // A buffer grown past this by one huge element is let go once it is written or read.
  private static final int KEEP = 1 << 20;

  /** Writes {@code value} to {@code out} as one block: its length, then its fields. */
  public static <T> void encode(T value, OutputStream out, FieldsOut<T> fields) throws IOException {
    Writer w = WRITERS.get();
    // A framed coder called from inside another one's fields gets a buffer of its own.
    Writer own = w.busy ? new Writer() : w;
    own.busy = true;
    own.size = 0;
    try {
      fields.write(value, own);
      own.writeTo(out);
    } finally {
      own.busy = false;
      if (own.buf.length > KEEP) {
        own.buf = new byte[INITIAL];
      }
    }
  }

  /**
   * Reads one block from {@code in} and decodes it.
   *
   * @throws EOFException if the stream ends before the block does
   * @throws IOException if the block and its coder disagree (fields cut short or left unread)
   */
  public static <T> T decode(InputStream in, FieldsIn<T> fields) throws IOException {
    long length = readVarLong(in);
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      throw new IOException("framed element of impossible length " + length);
    }
    Reader r = READERS.get();
    Reader own = r.busy ? new Reader() : r;
    own.busy = true;
    try {
      own.fill(in, (int) length);
      T value = fields.read(own);
      if (own.pos != own.size) {
        throw new IOException("framed element has " + (own.size - own.pos) + " bytes its coder did not read");
      }
      return value;
    } finally {
      own.busy = false;
      if (own.buf.length > KEEP) {
        own.buf = new byte[INITIAL];
      }
    }
  }

  /** Fields written into a growing array, then handed to a stream at once. */
  public static final class Writer {
    private byte[] buf = new byte[INITIAL];
    private final byte[] head = new byte[10];
    private int size;
    private boolean busy;

    /** A writer of one's own, for bytes that go somewhere else than a runner's stream. */
    public Writer() {}

    /** The same, with room for {@code capacity} bytes before it grows. */
    public Writer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    /** Forgets what was written, keeping the buffer. */
    public Writer clear() {
      size = 0;
      return this;
    }

    /** The bytes written so far are {@code array()[0, size())}; valid until the next write. */
    public byte[] array() {
      return buf;
    }

    public int size() {
      return size;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    public Writer varLong(long v) {
      ensure(10);
      size = putVarLong(buf, size, v);
      return this;
    }

    /** An int as Beam's VarIntCoder writes it: negative values take five bytes. */
    public Writer varInt(int v) {
      return varLong(v & 0xFFFFFFFFL);
    }

    /**
     * A string as its UTF-8 length and bytes. The JDK's encoder, vectorised, beat a loop over the
     * characters into the block (0.5 against 0.7 µs an event, timed apart): one copy is cheaper.
     */
    public Writer string(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #nullableText} for a String: a String goes through {@link #string} there. */
    public Writer nullableString(String s) {
      return nullableText(s);
    }

    /**
     * Text as {@link #string} writes it. An Avro row's {@link Utf8} goes as the UTF-8 it holds, not
     * decoded to a String to be encoded again: the same bytes for any text a String's encoder wrote,
     * as every lakehouse file's texts were.
     */
    public Writer text(CharSequence s) {
      if (s instanceof Utf8 u) {
        varLong(u.getByteLength());
        append(u.getBytes(), 0, u.getByteLength());
        return this;
      }
      return string(s.toString());
    }

    public Writer nullableText(CharSequence s) {
      if (s == null) {
        return marker(false);
      }
      return marker(true).text(s);
    }

    public Writer nullableLong(Long v) {
      if (v == null) {
        return marker(false);
      }
      return marker(true).varLong(v);
    }

    /** A byte array as its length and its bytes. */
    public Writer bytes(byte[] b) {
      varLong(b.length);
      append(b, 0, b.length);
      return this;
    }

    /** The block as a stream, for an encoder of another format (Avro's) to append a field to. */
    public OutputStream stream() {
      return stream;
    }

    private final OutputStream stream = new OutputStream() {
      @Override
      public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        append(b, off, len);
      }
    };

    private void append(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    /** Bytes as they are, no length before them. */
    public Writer raw(byte[] b, int off, int len) {
      append(b, off, len);
      return this;
    }

    /** Eight bytes, least significant first. */
    public Writer fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buf[size++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    /** Four bytes, least significant first. */
    public Writer fixed32(int v) {
      ensure(4);
      for (int i = 0; i < 4; i++) {
        buf[size++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    public Writer marker(boolean present) {
      ensure(1);
      buf[size++] = (byte) (present ? 1 : 0);
      return this;
    }

    private void writeTo(OutputStream out) throws IOException {
      out.write(head, 0, putVarLong(head, 0, size));
      out.write(buf, 0, size);
    }
  }

  /** The fields of one block, read in the order they were written. */
  public static final class Reader {
    private byte[] buf;
    private int size;
    private int pos;
    private boolean busy;

    private Reader() {
      buf = new byte[INITIAL];
    }

    private Reader(byte[] block) {
      buf = block;
      size = block.length;
    }

    /** A reader of a block kept in memory (without its length), read in place. */
    public static Reader of(byte[] block) {
      return new Reader(block);
    }

    /**
     * A reader of the block {@code [from, from + length)} of a larger array, read in place: its
     * {@link #position()} is an index into {@code array}, as a whole array's is into it.
     */
    public static Reader of(byte[] array, int from, int length) {
      Reader r = new Reader(array);
      r.pos = from;
      r.size = from + length;
      return r;
    }

    /** Bytes read so far: the index in the block's array of the next byte to read. */
    public int position() {
      return pos;
    }

    /** Skips a field written by {@link Writer#string} or {@link Writer#bytes}, undecoded. */
    public Reader skip() throws IOException {
      int n = length(); // before pos is read: `pos += length()` would add to pos as it was
      pos += n;
      return this;
    }

    /**
     * Skips a field written by {@link Writer#string} or {@link Writer#bytes} and returns where its
     * bytes begin: they end at {@link #position()}.
     */
    public int fieldStart() throws IOException {
      int n = length();
      int at = pos;
      pos += n;
      return at;
    }

    private void fill(InputStream in, int length) throws IOException {
      if (buf.length < length) {
        buf = new byte[Math.max(length, buf.length * 2)];
      }
      int got = 0;
      while (got < length) {
        int r = in.read(buf, got, length - got);
        if (r < 0) {
          throw new EOFException("framed element cut short: " + got + " of " + length + " bytes");
        }
        got += r;
      }
      size = length;
      pos = 0;
    }

    private void need(int n) throws IOException {
      if (n < 0 || n > size - pos) {
        throw new IOException("framed element ends before its fields do (at byte " + pos + " of " + size + ")");
      }
    }

    public long varLong() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        need(1);
        byte b = buf[pos++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IOException("varint longer than 10 bytes in a framed element");
    }

    public int varInt() throws IOException {
      return (int) varLong();
    }

    public String string() throws IOException {
      int n = length();
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    public String nullableString() throws IOException {
      return marker() ? string() : null;
    }

    /**
     * A field written by {@link Writer#string}, as UTF-8 bytes copied into {@code into} (whose
     * buffer is reused): for a value that goes on to Parquet or Avro as bytes, with no String made.
     */
    public Utf8 utf8(Utf8 into) throws IOException {
      int n = length();
      into.setByteLength(n);
      System.arraycopy(buf, pos, into.getBytes(), 0, n);
      pos += n;
      return into;
    }

    /** A field written by {@link Writer#string} or {@link Writer#bytes}, handed over where it stands. */
    public <T> T field(Rest<T> decoder) throws IOException {
      int n = length();
      T value = decoder.read(buf, pos, n);
      pos += n;
      return value;
    }

    /** The same for {@link Writer#nullableString}: null, or {@code into}. */
    public Utf8 nullableUtf8(Utf8 into) throws IOException {
      return marker() ? utf8(into) : null;
    }

    public Long nullableLong() throws IOException {
      return marker() ? varLong() : null;
    }

    public byte[] bytes() throws IOException {
      int n = length();
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    /** The rest of the block, copied: the fields of a value a coder passes on as they are. */
    public byte[] rest() throws IOException {
      return raw(size - pos);
    }

    /** The next {@code n} bytes, copied. */
    public byte[] raw(int n) throws IOException {
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    public long fixed64() throws IOException {
      need(8);
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (buf[pos++] & 0xFFL) << (8 * i);
      }
      return v;
    }

    public int fixed32() throws IOException {
      need(4);
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v |= (buf[pos++] & 0xFF) << (8 * i);
      }
      return v;
    }

    public boolean marker() throws IOException {
      need(1);
      byte b = buf[pos++];
      if (b != 0 && b != 1) {
        throw new IOException("bad null marker " + b + " in a framed element");
      }
      return b == 1;
    }

    /**
     * Hands the rest of the block to a decoder of another format (Avro's), reading from the array
     * itself; the rest counts as read.
     */
    public <T> T rest(Rest<T> decoder) throws IOException {
      T value = decoder.read(buf, pos, size - pos);
      pos = size;
      return value;
    }

    private int length() throws IOException {
      long n = varLong();
      if (n > Integer.MAX_VALUE) {
        throw new IOException("field of impossible length " + n + " in a framed element");
      }
      need((int) n);
      return (int) n;
    }
  }

  /**
   * Two texts' UTF-8 bytes in the order of their Strings ({@code String.compareTo}). Where the first
   * bytes that differ include an ASCII one, both texts have a whole character there (the bytes before
   * are the same characters), and the bytes' order is the characters'; two multi-byte characters (a
   * supplementary one against one above U+E000 orders differently) are left to the Strings.
   */
  public static int compareAsStrings(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
    int n = Math.min(aLength, bLength);
    int k = Arrays.mismatch(a, aFrom, aFrom + n, b, bFrom, bFrom + n);
    if (k < 0) {
      return Integer.compare(aLength, bLength);
    }
    if (a[aFrom + k] >= 0 || b[bFrom + k] >= 0) {
      return Integer.compare(a[aFrom + k] & 0xFF, b[bFrom + k] & 0xFF);
    }
    return new String(a, aFrom, aLength, StandardCharsets.UTF_8)
        .compareTo(new String(b, bFrom, bLength, StandardCharsets.UTF_8));
  }

  /**
   * {@code String.hashCode} of the text whose UTF-8 bytes these are, without making the String when
   * they are all ASCII (one char a byte, so the same sum).
   */
  public static int stringHash(byte[] b, int from, int length) {
    int h = 0;
    for (int i = from; i < from + length; i++) {
      if (b[i] < 0) {
        return new String(b, from, length, StandardCharsets.UTF_8).hashCode();
      }
      h = 31 * h + b[i];
    }
    return h;
  }

  /** Writes {@code v} as an unsigned varint at {@code at}; returns the index after it. */
  private static int putVarLong(byte[] dst, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      dst[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    dst[at++] = (byte) v;
    return at;
  }

  private static long readVarLong(InputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("no framed element left in the stream");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("framed element length longer than 10 bytes");
  }
}
