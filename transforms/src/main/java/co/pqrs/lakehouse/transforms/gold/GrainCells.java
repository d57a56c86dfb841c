package co.pqrs.lakehouse.transforms.gold;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One table's cells of a bundle, merged per grain. A grain's parts are looked up in a dictionary
 * shared by the bundle's tables ({@link Parts}) and kept as their numbers, side by side in one int
 * array probed by their hash: a contribution costs a few small lookups and one probe, where a grain
 * as a string cost building the string (a day written out), hashing it and comparing it with a key
 * in a map of tens of thousands (docs/benchmarks.md, forty-fifth change). The grains become
 * strings ({@link Grain#of}) once per cell, when the bundle hands its cells over.
 */
final class GrainCells implements Kpi.Out {
  private static final int FIRST_CAPACITY = 64;

  /** The parts of every grain of a bundle, numbered in the order first seen. */
  static final class Parts {
    private final Map<Object, Integer> numbers = new HashMap<>();
    private final List<Object> parts = new ArrayList<>();

    int number(Object part) {
      Integer n = numbers.get(part);
      if (n == null) {
        n = parts.size();
        numbers.put(part, n);
        parts.add(part);
      }
      return n;
    }

    Object part(int number) {
      return parts.get(number);
    }
  }

  private final String table;
  private final Parts dictionary;
  private int arity = -1;
  private int[] keys;
  private Cell[] cells;
  private int size;
  private int[] scratch;

  GrainCells(String table, Parts dictionary) {
    this.table = table;
    this.dictionary = dictionary;
  }

  @Override
  public void add(Cell cell, Object... parts) {
    if (arity != parts.length) {
      if (arity >= 0) {
        throw new IllegalArgumentException("gold: table " + table + " has grains of " + arity
            + " parts, and a contribution of " + parts.length + " (" + Grain.of(parts) + ")");
      }
      arity = parts.length;
      keys = new int[FIRST_CAPACITY * arity];
      cells = new Cell[FIRST_CAPACITY];
      scratch = new int[arity];
    }
    for (int i = 0; i < arity; i++) {
      scratch[i] = dictionary.number(parts[i]);
    }
    int slot = find(scratch);
    Cell c = cells[slot];
    if (c == null) {
      System.arraycopy(scratch, 0, keys, slot * arity, arity);
      cells[slot] = cell.copy();
      if (++size * 2 > cells.length) {
        grow();
      }
    } else {
      c.merge(cell);
    }
  }

  /** The slot of {@code key}: where it is, or the free slot where it goes. */
  private int find(int[] key) {
    int mask = cells.length - 1;
    int slot = hash(key, 0, arity) & mask;
    while (cells[slot] != null && !Arrays.equals(keys, slot * arity, slot * arity + arity, key, 0, arity)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private static int hash(int[] a, int from, int length) {
    int h = 1;
    for (int i = from; i < from + length; i++) {
      h = 31 * h + a[i];
    }
    // Numbers are small and dense: spread them over the high bits too before masking.
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void grow() {
    int[] oldKeys = keys;
    Cell[] oldCells = cells;
    keys = new int[oldCells.length * 2 * arity];
    cells = new Cell[oldCells.length * 2];
    int[] key = new int[arity];
    for (int s = 0; s < oldCells.length; s++) {
      if (oldCells[s] != null) {
        System.arraycopy(oldKeys, s * arity, key, 0, arity);
        int slot = find(key);
        System.arraycopy(key, 0, keys, slot * arity, arity);
        cells[slot] = oldCells[s];
      }
    }
  }

  /**
   * The cells by grain as {@link Grain#of} writes it, in the grains' order. Parts that are different
   * objects but read the same (a day and its ISO text) make one grain, as they did as strings.
   */
  TreeMap<String, Cell> byGrain() {
    TreeMap<String, Cell> out = new TreeMap<>();
    Object[] parts = new Object[Math.max(arity, 0)];
    for (int s = 0; cells != null && s < cells.length; s++) {
      if (cells[s] != null) {
        for (int i = 0; i < arity; i++) {
          parts[i] = dictionary.part(keys[s * arity + i]);
        }
        out.merge(Grain.of(parts), cells[s], (a, b) -> {
          a.merge(b);
          return a;
        });
      }
    }
    return out;
  }
}
