package co.pqrs.lakehouse.transforms.simulate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import co.pqrs.lakehouse.calendar.BusinessCalendar;
import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.StatusModel;
import co.pqrs.lakehouse.config.Text;
import co.pqrs.lakehouse.contracts.RawContract;
import co.pqrs.lakehouse.manifest.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One 60-day run (volume scaled down, every rate as configured), measured from its Raw lines alone.
 */
class SimulationStatisticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BusinessCalendar CAL = BusinessCalendar.colombia();
  private static final double TOLERANCE = 0.015;

  @TempDir static Path dir;
  static LakehouseConfig cfg;
  static SimulationConfig sim;
  static StatusModel status;
  static Manifest manifest;
  static List<String> lines;
  static Map<String, Replay> tickets = new LinkedHashMap<>();
  static Instant asOf;

  @BeforeAll
  static void simulate() throws Exception {
    cfg = TestConfigs.with(Files.createDirectories(dir.resolve("cfg")),
        TestConfigs.small("2025-02-01", "2025-04-01", 320, 900, 1200));
    sim = cfg.simulation();
    status = cfg.status();
    asOf = TicketSimulator.asOf(sim);
    manifest = RawRuns.simulate(cfg, dir.resolve("lake"), "stats", 2);
    lines = RawRuns.lines(dir.resolve("lake"), "stats");
    for (String l : lines) {
      JsonNode e = JSON.readTree(l);
      Replay r = tickets.computeIfAbsent(e.get("ticket_id").asText(), Replay::new);
      r.events.add(e);
      if (e.get("event_type").asText().equals("TICKET_CREATED")) {
        r.created = e;
        r.createdAt = Replay.ts(e);
      }
    }
  }

  private static List<Replay> createdBetween(int fromDay, int toDay) {
    List<Replay> out = new ArrayList<>();
    for (Replay r : tickets.values()) {
      long d = CAL.localDate(r.createdAt).toEpochDay() - sim.start().toEpochDay();
      if (d >= fromDay && d < toDay) {
        out.add(r);
      }
    }
    return out;
  }

  @Test
  void manifestCountsEqualTheLines() {
    assertThat(manifest.counts().get("lines"), is((long) lines.size()));
    assertThat(manifest.counts().get("tickets"), is((long) tickets.size()));
    assertThat(manifest.partitionCounts().size(), is(60));
  }

  @Test
  void everyLineIsValidAgainstTheContract() {
    RawContract contract = RawContract.packaged();
    List<String> bad = new ArrayList<>();
    for (String l : lines) {
      try {
        List<RawContract.Violation> v = contract.validate(JSON.readTree(l));
        if (!v.isEmpty() && bad.size() < 5) {
          bad.add(v + " in " + l);
        }
      } catch (Exception e) {
        bad.add(e.getMessage());
      }
    }
    assertThat(bad, empty());
  }

  private static void assertMix(String field, co.pqrs.lakehouse.config.Categorical expected) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Replay r : tickets.values()) {
      counts.merge(r.created.get("data").get(field).asText(), 1, Integer::sum);
    }
    for (String name : expected.names()) {
      double share = counts.getOrDefault(name, 0) / (double) tickets.size();
      assertThat(field + "=" + name, share, closeTo(expected.probability(name), TOLERANCE));
    }
  }

  @Test
  void channelTypeAndPriorityMixesMatchTheConfig() {
    assertMix("channel", sim.channels());
    assertMix("pqrs_type", sim.pqrsTypes());
    assertMix("priority", sim.priorities());
  }

  @Test
  void effectiveBreachRateMeasuredWithTheRealClock() {
    // Tickets of the first 15 days have a known outcome 45 days later: closed, or past their target.
    List<Replay> cohort = createdBetween(0, 15);
    int breached = 0;
    int unknown = 0;
    for (Replay r : cohort) {
      long target = sim.slaBusinessDays().get(r.created.get("data").get("pqrs_type").asText())
          * BusinessCalendar.SECONDS_PER_BUSINESS_DAY;
      Boolean b = r.breached(status, CAL, target, asOf);
      if (b == null) {
        unknown++;
      } else if (b) {
        breached++;
      }
    }
    assertThat(cohort.size(), greaterThan(4000));
    assertThat(unknown, is(0));
    assertThat(breached / (double) cohort.size(), closeTo(sim.slaBreachRate(), TOLERANCE));
  }

  @Test
  void spikesAsConfigured() {
    Map<LocalDate, Integer> perDay = new TreeMap<>();
    for (Replay r : tickets.values()) {
      perDay.merge(CAL.localDate(r.createdAt), 1, Integer::sum);
    }
    SimulationConfig.Spikes s = sim.spikes();
    List<Integer> windows = new ArrayList<>();
    int run = 0;
    for (LocalDate d = sim.start(); !d.isAfter(sim.end()); d = d.plusDays(1)) {
      int n = perDay.getOrDefault(d, 0);
      if (n >= s.minDailyVolume()) {
        assertThat(n, lessThanOrEqualTo(s.maxDailyVolume()));
        run++;
      } else {
        if (run > 0) {
          windows.add(run);
        }
        run = 0;
      }
    }
    if (run > 0) {
      windows.add(run);
    }
    assertThat(windows.size(), is(s.windowCount()));
    assertThat(windows, everyItem(allOf(greaterThanOrEqualTo(s.minDays()), lessThanOrEqualTo(s.maxDays()))));
  }

  @Test
  void everyStatusPathFollowsTheStateMachine() {
    List<String> problems = new ArrayList<>();
    for (Replay r : tickets.values()) {
      String p = r.pathProblem(status);
      if (p != null && problems.size() < 5) {
        problems.add(r.ticketId + ": " + p);
      }
    }
    assertThat(problems, empty());
    // Some tickets are still open at the end, and every kind of state appears.
    long open = tickets.values().stream()
        .filter(r -> !status.state(r.path(status).get(r.path(status).size() - 1)).isTerminal()).count();
    assertThat(open, greaterThan(0L));
    java.util.Set<String> seen = new java.util.TreeSet<>();
    tickets.values().forEach(r -> seen.addAll(r.path(status)));
    assertThat(seen, equalTo(new java.util.TreeSet<>(status.states().keySet())));
  }

  @Test
  void onHoldAndReopenAtTheirRates() {
    List<Replay> cohort = createdBetween(0, 15);
    int held = 0;
    int closed = 0;
    int reopened = 0;
    for (Replay r : cohort) {
      List<String> p = r.path(status);
      if (p.stream().anyMatch(s -> status.state(s).slaBehavior() == StatusModel.SlaBehavior.PAUSE)) {
        held++;
      }
      if (p.stream().anyMatch(s -> status.state(s).slaBehavior() == StatusModel.SlaBehavior.STOP)) {
        closed++;
        if (p.contains("REOPENED")) {
          reopened++;
        }
      }
    }
    assertThat(held / (double) cohort.size(), closeTo(sim.lifecycle().onHoldRate(), 0.02));
    assertThat(reopened / (double) closed, closeTo(sim.lifecycle().reopenRate(), 0.015));
  }

  @Test
  void ticketCreatedCarriesNoFutureInformation() {
    RawContract contract = RawContract.packaged();
    for (Replay r : tickets.values()) {
      List<String> fields = new ArrayList<>();
      r.created.get("data").fieldNames().forEachRemaining(fields::add);
      assertThat(fields, everyItem(is(in(contract.ticketCreatedFields()))));
      for (JsonNode e : r.events) {
        assertThat(Replay.ts(e).isBefore(r.createdAt), is(false));
        assertThat(Replay.ts(e).isBefore(asOf), is(true));
      }
    }
  }

  @Test
  void textsCarryKeywordsWithNoise() {
    int withKeyword = 0;
    int accentless = 0;
    for (Replay r : tickets.values()) {
      JsonNode d = r.created.get("data");
      String folded = Text.fold(d.get("text").asText());
      if (cfg.preclass().types().get(d.get("pqrs_type").asText()).keywords().stream().anyMatch(folded::contains)) {
        withKeyword++;
      }
      if (d.get("text").asText().equals(Text.stripAccents(d.get("text").asText()))) {
        accentless++;
      }
    }
    double kw = withKeyword / (double) tickets.size();
    // Texts without a keyword, and typos inside keywords, keep this below 1.
    assertThat(kw, allOf(greaterThan(0.75), lessThanOrEqualTo(1.0 - sim.text().noKeywordRate() + TOLERANCE)));
    assertThat(accentless / (double) tickets.size(), greaterThan(sim.text().missingAccentsRate() - TOLERANCE));
  }
}
