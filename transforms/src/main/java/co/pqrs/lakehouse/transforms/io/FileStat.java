package co.pqrs.lakehouse.transforms.io;

import co.pqrs.lakehouse.manifest.DataHash;
import co.pqrs.lakehouse.manifest.Manifest;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a writer learnt about one file while writing it: where it is (relative to the lakehouse root),
 * its partition, row count, size, SHA-256, its share of the data hash and named counts.
 */
public record FileStat(
    String relativePath,
    String partition,
    long rows,
    long sizeBytes,
    String sha256,
    DataHash dataHash,
    TreeMap<String, Long> counts)
    implements Serializable {

  public Manifest.FileEntry entry() {
    return new Manifest.FileEntry(relativePath, partition, rows, sizeBytes, sha256);
  }

  /** Sums named counts over files. */
  public static Map<String, Long> totals(Iterable<FileStat> files) {
    Map<String, Long> out = new TreeMap<>();
    for (FileStat f : files) {
      f.counts().forEach((k, v) -> out.merge(k, v, Long::sum));
    }
    return out;
  }

  public static DataHash dataHash(Iterable<FileStat> files) {
    DataHash h = DataHash.EMPTY;
    for (FileStat f : files) {
      h = h.plus(f.dataHash());
    }
    return h;
  }
}
