package co.pqrs.lakehouse.contracts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RawTimestampsTest {
  /** The rule as the contract states it: its own `ts` pattern (read from the schema), then what java.time accepts. */
  private static final Pattern CONTRACT = Pattern.compile(RawContract.packaged().tsPattern());

  private static OffsetDateTime reference(String ts) {
    if (!CONTRACT.matcher(ts).find()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(ts);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void readsWhatTheContractAllowsWithItsOffsetAndFraction() {
    assertThat(RawTimestamps.parse("2025-03-03T00:02:55-05:00"),
        equalTo(OffsetDateTime.parse("2025-03-03T00:02:55-05:00")));
    assertThat(RawTimestamps.parse("2025-03-03T05:02:55.123456789Z").getNano(), equalTo(123_456_789));
    assertThat(RawTimestamps.parse("2025-03-03T05:02:55.5+01:30").getNano(), equalTo(500_000_000));
    assertThat(RawTimestamps.parse("2025-03-03T05:02:55.5+01:30").getOffset().getTotalSeconds(), equalTo(5400));
  }

  @Test
  void refusesWhatTheContractOrTheCalendarRefuses() {
    for (String bad : List.of("", "2025-03-03", "2025-03-03T05:02:55", "2025-03-03 05:02:55Z",
        "2025-02-30T05:02:55Z", "2025-13-01T05:02:55Z", "2025-03-03T24:00:00Z", "2025-03-03T05:60:00Z",
        "2025-03-03T05:02:60Z", "2025-03-03T05:02:55.Z", "2025-03-03T05:02:55.1234567890Z",
        "2025-03-03T05:02:55+19:00", "2025-03-03T05:02:55+05:60", "2025-03-03T05:02:55z",
        "2025-03-03T05:02:55-0500", "2025-03-03T05:02:55Z ", "２025-03-03T05:02:55Z", "+2025-03-03T05:02:55Z")) {
      assertThat(bad, RawTimestamps.parse(bad), nullValue());
    }
    assertThat(RawTimestamps.parse(null), nullValue());
  }

  @Test
  void givesTheSameAnswerAsTheContractPatternAndJavaTimeOnMutatedStamps() {
    // Seeded mutations of valid stamps: every character position replaced, dropped or doubled.
    Random random = new Random(20250303);
    String alphabet = "0123456789-+:.TZz 9";
    List<String> seeds = List.of("2025-03-03T00:02:55-05:00", "2024-02-29T23:59:59.999999999Z",
        "2025-12-31T12:00:00.5+14:00", "1999-01-01T00:00:00-18:00");
    int checked = 0;
    for (String seed : seeds) {
      for (int round = 0; round < 5_000; round++) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && s.length() > 0; e++) {
          int at = random.nextInt(s.length());
          switch (random.nextInt(3)) {
            case 0 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            case 1 -> s.deleteCharAt(at);
            default -> s.insert(at, s.charAt(at));
          }
        }
        String ts = s.toString();
        assertThat(ts, RawTimestamps.parse(ts), equalTo(reference(ts)));
        checked++;
      }
    }
    assertThat(checked, equalTo(20_000));
  }
}
