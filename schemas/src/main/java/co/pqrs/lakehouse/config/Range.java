package co.pqrs.lakehouse.config;

import java.io.Serializable;

/** A closed interval [lo, hi] read from a two-element YAML list. */
public record Range(double lo, double hi) implements Serializable {
  static Range of(double[] r) {
    return new Range(r[0], r[1]);
  }

  public double at(double u) {
    return lo + (hi - lo) * u;
  }

  /** A whole number in [lo, hi], inclusive, for u in [0, 1). */
  public int intAt(double u) {
    int l = (int) lo;
    int h = (int) hi;
    return l + (int) Math.floor(u * (h - l + 1));
  }
}
