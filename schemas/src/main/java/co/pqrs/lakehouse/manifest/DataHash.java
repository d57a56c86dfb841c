package co.pqrs.lakehouse.manifest;

import java.io.Serializable;
import java.math.BigInteger;
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

  /** Accumulates rows one at a time, reusing one digest; for writers that see every row. */
  public static final class Builder {
    private final java.security.MessageDigest digest = Sha256.digest();
    private BigInteger sum = BigInteger.ZERO;
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
      sum = sum.add(new BigInteger(1, digest.digest()));
      rows++;
      return this;
    }

    public DataHash build() {
      return new DataHash(sum.mod(MOD), rows);
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
