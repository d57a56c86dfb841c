package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.SimulationConfig;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides every day's ticket volume before any ticket exists: the weekday and holiday profile around
 * volume_daily_avg, and exactly window_count non-overlapping spike windows. A pure function of the
 * seed and the configuration, so every worker agrees on it.
 */
public final class VolumePlanner {
  private VolumePlanner() {}

  /** The weekday factor, normalised so that the seven days average 1.0. */
  public static double weekdayFactor(SimulationConfig c, DayOfWeek d) {
    double sum = c.weekdayProfile().values().stream().mapToDouble(Double::doubleValue).sum();
    return c.weekdayProfile().get(d) * 7.0 / sum;
  }

  /** Expected tickets on an ordinary (non-spike) day. */
  public static double expectedVolume(SimulationConfig c, BusinessCalendar cal, LocalDate day) {
    double v = c.volumeDailyAvg() * weekdayFactor(c, day.getDayOfWeek());
    return cal.isHoliday(day) ? v * c.holidayFactor() : v;
  }

  /** Spike windows as [first day index, length] pairs, sorted and at least one day apart. */
  static List<int[]> spikeWindows(SimulationConfig c) {
    SimulationConfig.Spikes s = c.spikes();
    SplitMix64 rng = new SplitMix64(SplitMix64.derive(c.seed(), "spikes", 0));
    int days = (int) c.days();
    int k = s.windowCount();
    List<int[]> out = new ArrayList<>();
    if (k == 0) {
      return out;
    }
    int[] len = new int[k];
    int total = 0;
    for (int i = 0; i < k; i++) {
      len[i] = s.minDays() + rng.nextInt(s.maxDays() - s.minDays() + 1);
      total += len[i];
    }
    // Shrink the longest windows while they do not fit (config validation guarantees minDays fits).
    while (total + (k - 1) > days) {
      int longest = 0;
      for (int i = 1; i < k; i++) {
        if (len[i] > len[longest]) {
          longest = i;
        }
      }
      len[longest]--;
      total--;
    }
    // Distribute the free days over the k + 1 gaps (inner gaps keep one separating day).
    int free = days - total - (k - 1);
    double[] w = new double[k + 1];
    double wsum = 0;
    for (int i = 0; i <= k; i++) {
      w[i] = rng.nextDouble() + 1e-9;
      wsum += w[i];
    }
    int[] gap = new int[k + 1];
    int used = 0;
    for (int i = 0; i <= k; i++) {
      gap[i] = (int) Math.floor(free * w[i] / wsum);
      used += gap[i];
    }
    gap[k] += free - used;
    int pos = gap[0];
    for (int i = 0; i < k; i++) {
      out.add(new int[] {pos, len[i]});
      pos += len[i] + 1 + gap[i + 1];
    }
    return out;
  }

  public static List<DayPlan> plan(SimulationConfig c, BusinessCalendar cal) {
    boolean[] spike = new boolean[(int) c.days()];
    for (int[] w : spikeWindows(c)) {
      for (int i = w[0]; i < w[0] + w[1]; i++) {
        spike[i] = true;
      }
    }
    List<DayPlan> out = new ArrayList<>();
    for (int i = 0; i < spike.length; i++) {
      LocalDate day = c.start().plusDays(i);
      long seed = SplitMix64.derive(c.seed(), "day", day.toEpochDay());
      SplitMix64 rng = new SplitMix64(SplitMix64.derive(seed, "volume", 0));
      int n;
      if (spike[i]) {
        SimulationConfig.Spikes s = c.spikes();
        n = s.minDailyVolume() + rng.nextInt(s.maxDailyVolume() - s.minDailyVolume() + 1);
      } else {
        double mean = expectedVolume(c, cal, day);
        n = (int) Math.max(0, Math.round(mean * (1 + c.volumeNoise() * rng.nextGaussian())));
      }
      out.add(new DayPlan(day, n, spike[i], cal.isHoliday(day), seed));
    }
    return out;
  }
}
