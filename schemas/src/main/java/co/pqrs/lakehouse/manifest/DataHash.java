package co.pqrs.lakehouse.manifest;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A hash of a multiset of rows that does not depend on how the rows were split into files or in
 * which order they were written: the sum, modulo 2^256, of each row's SHA-256, sealed with the row
 * count. Partial hashes combine by {@link #plus}, so each file's share can be computed where it is
 * written.
 */
public record DataHash(BigInteger sum, long rows) implements Serializable {
  private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);
  public static final DataHash EMPTY = new DataHash(BigInteger.ZERO, 0);

  public static DataHash ofRow(byte[] row) {
    return new DataHash(new BigInteger(1, Sha256.digest().digest(row)), 1);
  }

  /**
   * Accumulates rows one at a time, reusing one digest; for writers that see every row. The sum is
   * kept in four 64-bit words, modulo 2^256 as it goes: a writer adds a digest per row, and a
   * BigInteger per row was the larger part of that.
   */
  public static final class Builder {
    private static final VarHandle BIG_ENDIAN_LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final java.security.MessageDigest digest = Sha256.digest();
    private final byte[] rowDigest = new byte[32];
    private final long[] words = new long[4]; // the sum's words, least significant first
    private long rows;

    public Builder add(byte[] row) {
      return add(row, 0, row.length);
    }

    /** Adds the row held in {@code row[offset, offset + length)}. */
    public Builder add(byte[] row, int offset, int length) {
      return update(row, offset, length).endRow();
    }

    /** Feeds the next part of a row too long to hold at once; {@link #endRow} adds it. */
    public Builder update(byte[] part, int offset, int length) {
      digest.update(part, offset, length);
      return this;
    }

    /** Adds the row fed so far by {@link #update}. */
    public Builder endRow() {
      try {
        digest.digest(rowDigest, 0, rowDigest.length);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException("SHA-256 gave no 32-byte digest", e);
      }
      addModulo(words, rowDigest);
      rows++;
      return this;
    }

    /**
     * Adds the 32 big-endian bytes {@code digest} to {@code words} (least significant first), modulo
     * 2^256. Written out word by word: as a loop of four, Java 17's optimising compiler tried to
     * vectorise it and printed "Default case invoked for: opcode = 114" to the command's output.
     */
    static void addModulo(long[] words, byte[] digest) {
      long carry = addWord(words, 0, (long) BIG_ENDIAN_LONG.get(digest, 24), 0);
      carry = addWord(words, 1, (long) BIG_ENDIAN_LONG.get(digest, 16), carry);
      carry = addWord(words, 2, (long) BIG_ENDIAN_LONG.get(digest, 8), carry);
      addWord(words, 3, (long) BIG_ENDIAN_LONG.get(digest, 0), carry);
    }

    /** Adds {@code value} and {@code carry} (0 or 1) to {@code words[i]}; returns the carry out. */
    private static long addWord(long[] words, int i, long value, long carry) {
      long w = words[i];
      long s = w + value;
      long t = s + carry;
      words[i] = t;
      return (Long.compareUnsigned(s, w) < 0 || Long.compareUnsigned(t, s) < 0) ? 1 : 0;
    }

    public DataHash build() {
      byte[] sum = new byte[32];
      for (int i = 0; i < 4; i++) {
        BIG_ENDIAN_LONG.set(sum, 24 - 8 * i, words[i]);
      }
      return new DataHash(new BigInteger(1, sum), rows);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public DataHash plus(DataHash other) {
    return new DataHash(sum.add(other.sum).mod(MOD), rows + other.rows);
  }

  /** The published form: SHA-256 of the 64-hex-digit sum and the row count. */
  public String hex() {
    String s = String.format("%064x:%d", sum, rows);
    return HexFormat.of().formatHex(Sha256.digest().digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
