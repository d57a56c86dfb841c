package co.pqrs.lakehouse.transforms.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte arrays held for a while (Bronze's de-duplication groups and day files, Silver's buckets), copied into blocks of
 * {@link #BLOCK} bytes that a step keeps from one group to the next. Held as an array each, a group
 * of a hundred thousand events outlived the young collections that copied it, was promoted, and
 * died in the old generation, which the throughput collector then compacted whole every second or
 * so (docs/benchmarks/changes.md, "Sixtieth change"). The blocks are promoted once and reused; the
 * arrays the bytes came in die young. Not thread-safe: one per step instance.
 */
public final class HeldBlocks {
  /** Bytes of a block: an array larger than this is held as it is. */
  public static final int BLOCK = 1 << 20;

  private final int blockBytes;
  private final List<byte[]> blocks = new ArrayList<>();
  private int block = -1; // the block being filled; -1 before the first array
  private int used; // its bytes in use
  private byte[] lastArray;
  private int lastAt;

  public HeldBlocks() {
    this(BLOCK);
  }

  /** In blocks of {@code blockBytes} (tests: small ones). */
  public HeldBlocks(int blockBytes) {
    this.blockBytes = blockBytes;
  }

  /** Frees every block for what comes next: what was added before is no longer read. */
  public void clear() {
    block = -1;
    used = 0;
  }

  /**
   * Copies {@code bytes} in (or, longer than a block, keeps them as they are): {@link #array()} and
   * {@link #at()} then say where they are, until the next {@link #clear}.
   */
  public void add(byte[] bytes) {
    add(bytes, 0, bytes.length);
  }

  /** The same for {@code [from, from + length)} of {@code bytes}. */
  public void add(byte[] bytes, int from, int length) {
    if (length > blockBytes) {
      lastArray = from == 0 && length == bytes.length ? bytes
          : java.util.Arrays.copyOfRange(bytes, from, from + length);
      lastAt = 0;
      return;
    }
    if (block < 0 || used + length > blockBytes) {
      block++;
      used = 0;
      if (block == blocks.size()) {
        blocks.add(new byte[blockBytes]);
      }
    }
    lastArray = blocks.get(block);
    lastAt = used;
    System.arraycopy(bytes, from, lastArray, used, length);
    used += length;
  }

  /** The array the last {@link #add} put its bytes in. */
  public byte[] array() {
    return lastArray;
  }

  /** Where in {@link #array()} they start. */
  public int at() {
    return lastAt;
  }
}
