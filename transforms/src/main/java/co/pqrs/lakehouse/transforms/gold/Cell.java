package co.pqrs.lakehouse.transforms.gold;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * The partial aggregate of one grain of a KPI: additive sums (counts, totals) and, for the KPIs with
 * percentiles, the sample values themselves. Two cells of the same grain merge by adding sums and
 * concatenating samples, so the result does not depend on how the input was split.
 */
public final class Cell implements Serializable {
  final double[] sums;
  double[] samples;
  int sampleCount;

  public Cell(int measures) {
    this.sums = new double[measures];
    this.samples = new double[0];
  }

  /** A cell adding {@code values} to the first sums. */
  public static Cell of(double... values) {
    Cell c = new Cell(values.length);
    System.arraycopy(values, 0, c.sums, 0, values.length);
    return c;
  }

  /** Adds one sample value (kept for percentiles). */
  public Cell sample(double v) {
    if (sampleCount == samples.length) {
      samples = Arrays.copyOf(samples, Math.max(4, samples.length * 2));
    }
    samples[sampleCount++] = v;
    return this;
  }

  public double sum(int i) {
    return sums[i];
  }

  public long count(int i) {
    return Math.round(sums[i]);
  }

  /** The samples in ascending order. */
  public double[] sortedSamples() {
    double[] s = Arrays.copyOf(samples, sampleCount);
    Arrays.sort(s);
    return s;
  }

  /** Adds {@code other} into this cell. */
  void merge(Cell other) {
    if (other.sums.length != sums.length) {
      throw new IllegalArgumentException("cells of different shapes: " + sums.length + " vs " + other.sums.length);
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    for (int i = 0; i < other.sampleCount; i++) {
      sample(other.samples[i]);
    }
  }

  Cell copy() {
    Cell c = new Cell(sums.length);
    c.merge(this);
    return c;
  }

  /** Nearest-rank percentile of sorted values: the value at rank ceil(q * n); NaN when empty. */
  public static double percentile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(1, rank) - 1];
  }

  public static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /** Field by field: shape, sums, samples. */
  public static final class Coder extends CustomCoder<Cell> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Cell c, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeInt(c.sums.length);
      for (double v : c.sums) {
        d.writeDouble(v);
      }
      d.writeInt(c.sampleCount);
      for (int i = 0; i < c.sampleCount; i++) {
        d.writeDouble(c.samples[i]);
      }
      d.flush();
    }

    @Override
    public Cell decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      Cell c = new Cell(d.readInt());
      for (int i = 0; i < c.sums.length; i++) {
        c.sums[i] = d.readDouble();
      }
      int n = d.readInt();
      c.samples = new double[n];
      for (int i = 0; i < n; i++) {
        c.samples[i] = d.readDouble();
      }
      c.sampleCount = n;
      return c;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
