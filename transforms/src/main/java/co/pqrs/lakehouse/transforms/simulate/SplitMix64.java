package co.pqrs.lakehouse.transforms.simulate;

import java.nio.charset.StandardCharsets;

/**
 * A small, fully specified pseudo-random generator (SplitMix64). The simulator uses it instead of
 * java.util.Random so that its bytes depend only on the seed, never on the JDK or on which worker
 * runs a day.
 */
public final class SplitMix64 {
  private long state;

  public SplitMix64(long seed) {
    this.state = seed;
  }

  /** A seed derived from a parent seed and a label, e.g. (seed, "day", 20090). */
  public static long derive(long seed, String label, long n) {
    long h = seed;
    for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h + b);
    }
    return mix(h ^ mix(n + 0x632BE59BD9B4E019L));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, n). */
  public int nextInt(int n) {
    return (int) Math.floor(nextDouble() * n);
  }

  public boolean chance(double p) {
    return nextDouble() < p;
  }

  /** Standard normal by Box-Muller (one value per call, deterministic). */
  public double nextGaussian() {
    double u1 = Math.max(nextDouble(), 1e-300);
    double u2 = nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  public <T> T pick(java.util.List<T> items) {
    return items.get(nextInt(items.size()));
  }
}
