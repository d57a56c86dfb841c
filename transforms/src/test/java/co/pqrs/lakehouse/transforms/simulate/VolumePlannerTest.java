package co.pqrs.lakehouse.transforms.simulate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumePlannerTest {
  private final BusinessCalendar cal = BusinessCalendar.colombia();
  private final SimulationConfig base = LakehouseConfig.packaged().simulation();

  /** Runs of consecutive spike days, as [first index, length]. */
  static List<int[]> runs(List<DayPlan> plan) {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      if (plan.get(i).spike() && (i == 0 || !plan.get(i - 1).spike())) {
        int j = i;
        while (j < plan.size() && plan.get(j).spike()) {
          j++;
        }
        out.add(new int[] {i, j - i});
      }
    }
    return out;
  }

  @Test
  void exactlyTheConfiguredSpikeWindowsForManySeeds() {
    SimulationConfig.Spikes s = base.spikes();
    for (long seed = 1; seed <= 200; seed++) {
      SimulationConfig c = base.with(seed, LocalDate.parse("2025-01-01"), LocalDate.parse("2025-01-30"));
      List<DayPlan> plan = VolumePlanner.plan(c, cal);
      List<int[]> runs = runs(plan);
      assertThat("seed " + seed, runs.size(), is(s.windowCount()));
      for (int[] r : runs) {
        assertThat(r[1], allOf(greaterThanOrEqualTo(s.minDays()), lessThanOrEqualTo(s.maxDays())));
        for (int i = r[0]; i < r[0] + r[1]; i++) {
          assertThat(plan.get(i).tickets(),
              allOf(greaterThanOrEqualTo(s.minDailyVolume()), lessThanOrEqualTo(s.maxDailyVolume())));
        }
      }
    }
  }

  @Test
  void ordinaryDaysFollowTheWeekdayAndHolidayProfile() {
    SimulationConfig c = base; // 181 days
    List<DayPlan> plan = VolumePlanner.plan(c, cal);
    double ratio = 0;
    int n = 0;
    for (DayPlan d : plan) {
      if (!d.spike()) {
        ratio += d.tickets() / VolumePlanner.expectedVolume(c, cal, d.day());
        n++;
      }
    }
    assertThat(ratio / n, closeTo(1.0, 0.03));
    // The profile itself: a week averages volume_daily_avg; holidays get holiday_factor of it.
    double week = 0;
    for (java.time.DayOfWeek w : java.time.DayOfWeek.values()) {
      week += VolumePlanner.weekdayFactor(c, w);
    }
    assertThat(week / 7, closeTo(1.0, 1e-9));
    LocalDate holiday = LocalDate.parse("2025-01-06");
    assertThat(VolumePlanner.expectedVolume(c, cal, holiday),
        closeTo(c.volumeDailyAvg() * VolumePlanner.weekdayFactor(c, holiday.getDayOfWeek()) * c.holidayFactor(), 1e-9));
  }

  @Test
  void planIsAFunctionOfTheSeed() {
    List<DayPlan> a = VolumePlanner.plan(base, cal);
    assertThat(VolumePlanner.plan(base, cal), equalTo(a));
    SimulationConfig other = base.with(base.seed() + 1, null, null);
    assertThat(VolumePlanner.plan(other, cal), not(equalTo(a)));
  }
}
