package co.pqrs.lakehouse.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoadingTest {

  private static String packaged(String name) {
    return Source.packaged(Source.Kind.CONFIG, name).text();
  }

  private static ConfigException simError(String from, String to) {
    String yaml = packaged(SimulationConfig.FILE);
    assertThat("fixture edit must apply", yaml, containsString(from));
    return assertThrows(ConfigException.class,
        () -> SimulationConfig.parse(SimulationConfig.FILE, yaml.replace(from, to)));
  }

  @Test
  void packagedConfigurationLoadsWithTheSeedValues() {
    LakehouseConfig c = LakehouseConfig.packaged();
    SimulationConfig s = c.simulation();
    assertThat(s.volumeDailyAvg(), is(1150));
    assertThat(s.channels().names(), equalTo(List.of("email", "webform", "chat", "call", "other_digital")));
    assertThat(s.channels().probability("email"), is(0.38));
    assertThat(s.pqrsTypes().probability("S"), is(0.15));
    assertThat(s.priorities().probability("alta"), is(0.10));
    assertThat(s.slaBreachRate(), is(0.10));
    assertThat(s.slaBusinessDays().get("R"), is(8));
    assertThat(s.start().isBefore(s.end()), is(true));
    assertThat(c.status().states().size(), is(10));
    assertThat(c.status().transitions().size(), is(11));
    assertThat(c.status().allows("CLOSED", "REOPENED"), is(true));
    assertThat(c.status().allows("RECEIVED", "CLOSED"), is(false));
    assertThat(c.hashes().keySet(), hasItems(SimulationConfig.FILE, StatusModel.FILE, PreclassRules.FILE));
  }

  @Test
  void probabilitiesThatDoNotSumToOneAreRejectedNamingFileAndKey() {
    ConfigException e = simError("email: 0.38", "email: 0.36");
    assertThat(e.getMessage(),
        equalTo("pqrs_simulation_v1.yaml: channel_probs: probabilities sum to 0.980000, not 1"));
  }

  @Test
  void unknownKeysAreRejected() {
    assertThat(simError("volume_noise:", "volume_noize: 0.1\nvolume_noise:").getMessage(),
        equalTo("pqrs_simulation_v1.yaml: volume_noize: unknown key"));
    assertThat(simError("  on_hold_rate:", "  on_hold_ratio: 0.1\n  on_hold_rate:").getMessage(),
        equalTo("pqrs_simulation_v1.yaml: lifecycle.on_hold_ratio: unknown key"));
    assertThat(simError("  wrong_enum: 0.0", "  wrong_enums: 0.0").getMessage(),
        containsString("defects.wrong_enums: unknown defect kind"));
  }

  @Test
  void unorderedDatesAreRejected() {
    ConfigException e = simError("end: 2025-06-30", "end: 2024-06-30");
    assertThat(e.getMessage(), containsString("date_range: end 2024-06-30 is before start 2025-01-01"));
    assertThat(simError("start: 2025-01-01", "start: 2025-13-01").getMessage(),
        containsString("date_range.start: \"2025-13-01\" is not a date"));
  }

  @Test
  void outOfRangeAndMissingValuesAreRejected() {
    assertThat(simError("sla_breach_rate: 0.10", "sla_breach_rate: 1.5").getMessage(),
        containsString("sla_breach_rate: 1.5 is outside [0.0, 1.0]"));
    assertThat(simError("holiday_factor: 0.40", "#").getMessage(),
        containsString("holiday_factor: missing required key"));
    assertThat(simError("  window_count: 2", "  window_count: 40").getMessage(),
        containsString("spikes: 40 windows of at least 5 days"));
    assertThat(simError("late_fraction: [1.05, 1.80]", "late_fraction: [0.9, 1.80]").getMessage(),
        containsString("late_fraction"));
  }

  @Test
  void invalidYamlNamesTheLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SimulationConfig.parse("x.yaml", "seed: 1\n  bad: [\n"));
    assertThat(e.getMessage(), containsString("x.yaml: line"));
    assertThat(e.getMessage(), not(containsString("\n")));
  }

  @Test
  void statusModelRejectsUnknownStatesAndBehaviours() {
    String yaml = packaged(StatusModel.FILE);
    ConfigException e = assertThrows(ConfigException.class,
        () -> StatusModel.parse(StatusModel.FILE, yaml.replace("{ from: CLOSED,      to: ARCHIVED }",
            "{ from: CLOSED,      to: DELETED }")));
    assertThat(e.getMessage(), containsString("pqrs_status_v1.yaml: transitions[8].to: unknown state DELETED"));
    e = assertThrows(ConfigException.class,
        () -> StatusModel.parse(StatusModel.FILE, yaml.replace("sla_behavior: PAUSE", "sla_behavior: FREEZE")));
    assertThat(e.getMessage(), containsString("states[5].sla_behavior: \"FREEZE\" not in"));
  }

  @Test
  void preclassKeywordsMustBeFolded() {
    String yaml = packaged(PreclassRules.FILE);
    ConfigException e = assertThrows(ConfigException.class,
        () -> PreclassRules.parse(PreclassRules.FILE, yaml.replace("[queja,", "[Queja,")));
    assertThat(e.getMessage(), containsString("types.Q.keywords[0]: \"Queja\" must be written in lower case"));
  }

  @Test
  void preclassKeywordsMustHaveAWordToMatch() {
    // A keyword of punctuation alone would be a sequence of no words, found between any two.
    String yaml = packaged(PreclassRules.FILE);
    ConfigException e = assertThrows(ConfigException.class,
        () -> PreclassRules.parse(PreclassRules.FILE, yaml.replace("[urgente,", "[\"!!\", urgente,")));
    assertThat(e.getMessage(), containsString("priorities.alta.keywords[0]: \"!!\" has no letter or digit to match"));
  }

  @Test
  void configDriftFromTheContractIsRejected(@TempDir Path dir) throws Exception {
    String yaml = packaged(SimulationConfig.FILE).replace("other_digital: 0.06", "fax: 0.06");
    Path f = dir.resolve("sim.yaml");
    Files.writeString(f, yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> LakehouseConfig.load(null, f, null));
    assertThat(e.getMessage(), containsString("pqrs_simulation_v1.yaml: channel_probs:"));
    assertThat(e.getMessage(), containsString("differ from the channels of RAW-PQRS.schema.json"));
  }

  @Test
  void missingFileIsOneLine(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> LakehouseConfig.load(dir, null, null));
    assertThat(e.getMessage(), equalTo(dir.resolve(SimulationConfig.FILE) + ": file not found"));
  }

  @Test
  void overridesKeepValidation() {
    SimulationConfig s = LakehouseConfig.packaged().simulation();
    SimulationConfig o = s.with(7L, LocalDate.parse("2025-02-01"), LocalDate.parse("2025-02-28"));
    assertThat(o.seed(), is(7L));
    assertThat(o.days(), is(28L));
    assertThrows(ConfigException.class,
        () -> s.with(null, LocalDate.parse("2025-02-01"), LocalDate.parse("2025-02-05")));
  }
}
