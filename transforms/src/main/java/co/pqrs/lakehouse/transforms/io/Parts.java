package co.pqrs.lakehouse.transforms.io;

/**
 * How many parts (files, shards, buckets, groups) a number of items is split into so that each holds
 * about a fixed number: the rule every layer sizes its writers and groupings by, a function of the
 * input only, so the same input gives the same parts on any runner.
 */
public final class Parts {
  private Parts() {}

  /**
   * {@code items / perPart} rounded up, within {@code [min, max]}; without overflow for any count
   * (a run of unknown size may be given as {@link Long#MAX_VALUE}).
   */
  public static int of(long items, long perPart, int min, int max) {
    if (perPart < 1 || min > max) {
      throw new IllegalArgumentException(
          "perPart must be >= 1 and min <= max, got " + perPart + ", " + min + ", " + max);
    }
    long n = items / perPart + (items % perPart > 0 ? 1 : 0);
    return (int) Math.max(min, Math.min(max, n));
  }
}
