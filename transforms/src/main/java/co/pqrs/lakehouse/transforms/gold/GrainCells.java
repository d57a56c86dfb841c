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
 * array probed by their hash; the cells' sums side by side in one double array, and samples, for the
 * KPIs that keep them, per grain. A contribution costs a few small lookups, one probe and one add
 * into memory next to its neighbours', where a grain as a string cost building the string (a day
 * written out), hashing it, comparing it with a key in a map of tens of thousands and following the
 * cell's references (docs/benchmarks.md, forty-fifth change). The grains become strings
 * ({@link Grain#of}) and the sums cells once per grain, when the bundle hands its cells over.
 */
final class GrainCells implements Kpi.Out {
  private static final int FIRST_CAPACITY = 64;

  /**
   * The parts of every grain of a bundle, numbered in the order first seen. A row's KPIs hand over
   * the same few objects again and again (its day, type, channel, department): the last parts
   * numbered are recognised by identity before the map hashes and compares a text.
   */
  static final class Parts {
    private static final int RECENT = 8;
    private final Map<Object, Integer> numbers = new HashMap<>();
    private final List<Object> parts = new ArrayList<>();
    private final Object[] recent = new Object[RECENT];
    private final int[] recentNumbers = new int[RECENT];
    private int next;

    int number(Object part) {
      for (int i = 0; i < RECENT; i++) {
        if (recent[i] == part && part != null) {
          return recentNumbers[i];
        }
      }
      Integer n = numbers.get(part);
      if (n == null) {
        n = parts.size();
        numbers.put(part, n);
        parts.add(part);
      }
      recent[next] = part;
      recentNumbers[next] = n;
      next = (next + 1) & (RECENT - 1);
      return n;
    }

    Object part(int number) {
      return parts.get(number);
    }
  }

  private final String table;
  private final Parts dictionary;
  private int arity = -1;
  private int measures;
  // Per slot: its grain's part numbers plus one (0: a free slot), its sums, its samples if any.
  private int[] keys;
  private double[] sums;
  private double[][] samples;
  private int[] sampleCounts;
  private int capacity;
  private int size;
  private int[] scratch;

  GrainCells(String table, Parts dictionary) {
    this.table = table;
    this.dictionary = dictionary;
  }

  @Override
  public void add(Cell cell, Object... parts) {
    if (arity != parts.length || measures != cell.sums.length) {
      shape(cell, parts);
    }
    for (int i = 0; i < arity; i++) {
      scratch[i] = dictionary.number(parts[i]) + 1;
    }
    int slot = find(scratch);
    if (keys[slot * arity] == 0) {
      System.arraycopy(scratch, 0, keys, slot * arity, arity);
      size++;
    }
    int base = slot * measures;
    for (int i = 0; i < measures; i++) {
      sums[base + i] += cell.sums[i];
    }
    for (int i = 0; i < cell.sampleCount; i++) {
      sample(slot, cell.samples[i]);
    }
    if (size * 2 > capacity) {
      grow();
    }
  }

  /** Sizes the table for the first contribution; a later one of another shape is an error. */
  private void shape(Cell cell, Object[] parts) {
    if (arity >= 0) {
      throw new IllegalArgumentException("gold: table " + table + " has grains of " + arity + " parts and cells of "
          + measures + " sums, and a contribution of " + parts.length + " parts and " + cell.sums.length
          + " sums (" + Grain.of(parts) + ")");
    }
    if (parts.length == 0) {
      throw new IllegalArgumentException("gold: table " + table + " was given a grain of no parts");
    }
    arity = parts.length;
    measures = cell.sums.length;
    scratch = new int[arity];
    allocate(FIRST_CAPACITY);
  }

  private void allocate(int slots) {
    capacity = slots;
    keys = new int[slots * arity];
    sums = new double[slots * measures];
    samples = new double[slots][];
    sampleCounts = new int[slots];
  }

  private void sample(int slot, double v) {
    double[] s = samples[slot];
    int n = sampleCounts[slot];
    if (s == null || n == s.length) {
      s = s == null ? new double[4] : Arrays.copyOf(s, s.length * 2);
      samples[slot] = s;
    }
    s[n] = v;
    sampleCounts[slot] = n + 1;
  }

  /** The slot of {@code key}: where it is, or the free slot where it goes. */
  private int find(int[] key) {
    int mask = capacity - 1;
    int slot = hash(key) & mask;
    while (keys[slot * arity] != 0 && !Arrays.equals(keys, slot * arity, slot * arity + arity, key, 0, arity)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private static int hash(int[] key) {
    int h = 1;
    for (int k : key) {
      h = 31 * h + k;
    }
    // Numbers are small and dense: spread them over the high bits too before masking.
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private void grow() {
    int[] oldKeys = keys;
    double[] oldSums = sums;
    double[][] oldSamples = samples;
    int[] oldCounts = sampleCounts;
    int oldCapacity = capacity;
    allocate(capacity * 2);
    int[] key = new int[arity];
    for (int s = 0; s < oldCapacity; s++) {
      if (oldKeys[s * arity] != 0) {
        System.arraycopy(oldKeys, s * arity, key, 0, arity);
        int slot = find(key);
        System.arraycopy(key, 0, keys, slot * arity, arity);
        System.arraycopy(oldSums, s * measures, sums, slot * measures, measures);
        samples[slot] = oldSamples[s];
        sampleCounts[slot] = oldCounts[s];
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
    for (int s = 0; s < capacity; s++) {
      if (keys[s * arity] != 0) {
        for (int i = 0; i < arity; i++) {
          parts[i] = dictionary.part(keys[s * arity + i] - 1);
        }
        Cell c = new Cell(measures);
        System.arraycopy(sums, s * measures, c.sums, 0, measures);
        for (int i = 0; i < sampleCounts[s]; i++) {
          c.sample(samples[s][i]);
        }
        out.merge(Grain.of(parts), c, (a, b) -> {
          a.merge(b);
          return a;
        });
      }
    }
    return out;
  }
}
