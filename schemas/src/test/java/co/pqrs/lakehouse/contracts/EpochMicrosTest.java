package co.pqrs.lakehouse.contracts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class EpochMicrosTest {
  @Test
  void agreesWithJavaTimeWhereJavaTimeCanCount() {
    for (String t : new String[] {"1970-01-01T00:00:00Z", "2025-03-03T05:02:55.123456789Z",
        "1969-12-31T23:59:59.500Z", "2262-04-11T00:00:00Z", "1677-09-22T00:00:00Z"}) {
      Instant i = Instant.parse(t);
      assertThat(t, EpochMicros.of(i), equalTo(ChronoUnit.MICROS.between(Instant.EPOCH, i)));
    }
  }

  @Test
  void countsEveryYearTheContractAllowsAndRoundTrips() {
    // Beyond 2262 ChronoUnit.MICROS.between overflows (it counts nanoseconds).
    for (String t : new String[] {"9999-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z"}) {
      Instant i = Instant.parse(t);
      assertThat(t, Instant.EPOCH.plus(EpochMicros.of(i), ChronoUnit.MICROS), equalTo(i));
    }
  }
}
