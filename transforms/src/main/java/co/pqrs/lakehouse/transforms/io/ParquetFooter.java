package co.pqrs.lakehouse.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Makes a Parquet file's footer reproducible. parquet-java lists each column chunk's encodings in the
 * order of a HashSet of enum constants, whose identity hash codes differ from one JVM to the next
 * (apache/parquet-java#3215), so the same rows written by two processes differed in a few footer
 * bytes. Sorting those lists by encoding number leaves the footer's length, and every offset, as
 * they were.
 */
public final class ParquetFooter {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetFooter() {}

  /** Sorts, in place, the encodings of every column chunk of {@code file} (a whole Parquet file). */
  public static void sortEncodings(byte[] file, int length) throws IOException {
    if (length < 12 || !endsWithMagic(file, length)) {
      throw new IOException("not a Parquet file: no PAR1 at its end");
    }
    int footerLength = ByteBuffer.wrap(file, length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int start = length - 8 - footerLength;
    if (footerLength <= 0 || start < 4) {
      throw new IOException("not a Parquet file: footer length " + footerLength + " of a " + length + "-byte file");
    }
    FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(file, start, footerLength));
    boolean changed = false;
    for (RowGroup group : meta.getRow_groups()) {
      for (ColumnChunk chunk : group.getColumns()) {
        ColumnMetaData column = chunk.getMeta_data();
        if (column == null || column.getEncodings() == null) {
          continue;
        }
        List<Encoding> sorted = new ArrayList<>(column.getEncodings());
        sorted.sort(Comparator.comparingInt(Encoding::getValue));
        if (!sorted.equals(column.getEncodings())) {
          column.setEncodings(sorted);
          changed = true;
        }
      }
    }
    if (!changed) {
      return;
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream(footerLength);
    Util.writeFileMetaData(meta, footer);
    if (footer.size() != footerLength) {
      throw new IOException("Parquet footer changed length when its encodings were sorted: "
          + footerLength + " -> " + footer.size() + " bytes");
    }
    System.arraycopy(footer.toByteArray(), 0, file, start, footerLength);
  }

  private static boolean endsWithMagic(byte[] file, int length) {
    for (int i = 0; i < 4; i++) {
      if (file[length - 4 + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
