package co.pqrs.lakehouse.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import co.pqrs.lakehouse.cli.PqrsCli;
import co.pqrs.lakehouse.config.SimulationConfig;
import co.pqrs.lakehouse.config.Source;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.transforms.io.RunPublisher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pqrs CLI as a user runs it: output, exit codes and one-line errors. */
class PqrsCliTest {
  @TempDir static Path dir;
  static Path smallConfig;

  record Run(int code, String out, String err) {}

  static Run pqrs(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = PqrsCli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeAll
  static void config() throws Exception {
    smallConfig = writeSmallConfig(dir);
  }

  /** A 40-tickets-a-day simulation config with one short spike, written into {@code folder}. */
  static Path writeSmallConfig(Path folder) throws Exception {
    String yaml = Source.packaged(Source.Kind.CONFIG, SimulationConfig.FILE).text()
        .replaceFirst("volume_daily_avg: \\d+", "volume_daily_avg: 40")
        .replaceFirst("window_count: \\d+", "window_count: 1")
        .replaceFirst("min_days: \\d+", "min_days: 2")
        .replaceFirst("max_days: \\d+", "max_days: 2")
        .replaceFirst("min_daily_volume: \\d+", "min_daily_volume: 80")
        .replaceFirst("max_daily_volume: \\d+", "max_daily_volume: 90");
    Path f = folder.resolve("small.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** simulate arguments for a small 10-day run with the config in {@code config}. */
  static String[] simulateArgs(Path config, Path root, String... extra) {
    List<String> a = new ArrayList<>(List.of("simulate", "--config", config.toString(),
        "--start", "2025-02-03", "--end", "2025-02-12", "--root", root.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static String[] simulate(Path root, String... extra) {
    List<String> a = new ArrayList<>(List.of("simulate", "--config", smallConfig.toString(),
        "--start", "2025-02-03", "--end", "2025-02-12", "--root", root.toString()));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void simulateWritesARunAndAnIdenticalRerunIsANoOp() throws Exception {
    Path root = dir.resolve("lake1");
    Run first = pqrs(simulate(root, "--run-id", "demo"));
    assertThat(first.err(), first.code(), is(0));
    assertThat(first.out(), containsString("raw run demo written"));
    assertThat(first.out(), containsString("days (partitions): 10"));
    assertThat(first.out(), containsString("events/s"));
    Path manifest = root.resolve("manifests/raw/run_id=demo/manifest.json");
    assertThat(Files.exists(manifest), is(true));
    try (Stream<Path> s = Files.list(root.resolve("raw/pqrs/run_id=demo"))) {
      assertThat(s.count(), is(10L));
    }
    byte[] before = Files.readAllBytes(manifest);

    Run again = pqrs(simulate(root, "--run-id", "demo"));
    assertThat(again.code(), is(0));
    assertThat(again.out(), containsString("already existed (identical parameters): nothing written"));
    assertThat(Files.readAllBytes(manifest), equalTo(before));
  }

  @Test
  void anExistingRunIdWithOtherParametersIsRefusedInOneLine() {
    Path root = dir.resolve("lake2");
    assertThat(pqrs(simulate(root, "--run-id", "r1")).code(), is(0));
    Run other = pqrs(simulate(root, "--run-id", "r1", "--seed", "7"));
    assertThat(other.code(), is(2));
    assertThat(other.err().trim(), containsString(
        "simulate: error: raw run_id r1 already exists at "));
    assertThat(other.err().trim(), containsString("raw is immutable: use another --run-id"));
    assertThat(other.err().trim().lines().count(), is(1L));
  }

  @Test
  void defaultRunIdNamesSeedAndDates() {
    Path root = dir.resolve("lake3");
    Run r = pqrs(simulate(root, "--seed", "11"));
    assertThat(r.err(), r.code(), is(0));
    assertThat(Files.exists(root.resolve("manifests/raw/run_id=sim-11-2025-02-03-2025-02-12/manifest.json")), is(true));
  }

  @Test
  void userErrorsAreOneLineWithExitCodeTwo() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(smallConfig).replace("email: 0.38", "email: 0.48"));
    Run r = pqrs("simulate", "--config", bad.toString(), "--root", dir.resolve("x").toString());
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), equalTo(
        "simulate: error: bad.yaml: channel_probs: probabilities sum to 1.100000, not 1"));

    r = pqrs("simulate", "--config", smallConfig.toString(), "--end", "2025-02-31",
        "--root", dir.resolve("x").toString());
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), equalTo("simulate: error: --end: \"2025-02-31\" is not a date (yyyy-MM-dd)"));

    r = pqrs(simulate(dir.resolve("x"), "--run-id", "bad/id"));
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), containsString("run_id \"bad/id\" must be"));

    r = pqrs("simulate", "--config", dir.resolve("missing.yaml").toString());
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), containsString("missing.yaml: file not found"));

    r = pqrs(simulate(dir.resolve("x"), "--sortHeldMb=0"));
    assertThat(r.code(), is(2));
    assertThat(r.err().trim(), equalTo("simulate: error: --sortHeldMb: 0 is not a number of megabytes (1 or more)"));
    assertThat(Files.exists(dir.resolve("x").resolve("raw")), is(false));
  }

  @Test
  void runFromALaterLayerContinuesAnExistingRunAndGivesTheSameData() throws Exception {
    Path root = dir.resolve("lake4");
    assertThat(pqrs(simulate(root, "--run-id", "cont")).code(), is(0));
    Run fromBronze = pqrs("run", "--from", "bronze", "--run-id", "cont", "--root", root.toString());
    assertThat(fromBronze.err(), fromBronze.code(), is(0));
    assertThat(fromBronze.out(), containsString("bronze run cont"));
    assertThat(fromBronze.out(), containsString("run cont done in "));
    assertThat(fromBronze.out(), containsString("run status:  raw SUCCESS | bronze "));
    // Seconds for the layers this command ran, in order (Raw was not run).
    assertThat(fromBronze.out(), java.util.regex.Pattern.compile(
        "\n  seconds:     bronze [0-9]+\\.[0-9] s \\| silver [0-9]+\\.[0-9] s \\| gold [0-9]+\\.[0-9] s\n")
        .matcher(fromBronze.out()).find(), is(true));
    DataLayout layout = DataLayout.at(root.toString());
    String goldHash = RunPublisher.readManifest(
        layout.manifest(DataLayout.GOLD, "cont")).dataHash();
    byte[] bronzeManifest = Files.readAllBytes(Path.of(layout.manifest(DataLayout.BRONZE, "cont")));

    // From Gold: Bronze and Silver are read, not rerun; Gold is replaced by the same data.
    Run fromGold = pqrs("run", "--from", "gold", "--run-id", "cont", "--root", root.toString());
    assertThat(fromGold.err(), fromGold.code(), is(0));
    assertThat(fromGold.out(), not(containsString("bronze run cont")));
    assertThat(fromGold.out(), not(containsString("silver run cont")));
    assertThat(fromGold.out(), java.util.regex.Pattern.compile("\n  seconds:     gold [0-9]+\\.[0-9] s\n")
        .matcher(fromGold.out()).find(), is(true));
    assertThat(RunPublisher.readManifest(
        layout.manifest(DataLayout.GOLD, "cont")).dataHash(), equalTo(goldHash));
    assertThat(Files.readAllBytes(Path.of(layout.manifest(DataLayout.BRONZE, "cont"))),
        equalTo(bronzeManifest));
  }

  @Test
  void runFromALaterLayerRefusesWhatItCannotContinueInOneLine() {
    Path root = dir.resolve("lake5");
    assertThat(pqrs(simulate(root, "--run-id", "only-raw")).code(), is(0));
    Run missing = pqrs("run", "--from", "silver", "--run-id", "only-raw", "--root", root.toString());
    assertThat(missing.code(), is(2));
    assertThat(missing.err().trim(), containsString("run: error: bronze run_id only-raw not found: no "));
    assertThat(missing.err().trim(), containsString("(run the chain from bronze)"));
    assertThat(missing.err().trim().lines().count(), is(1L));

    Run noId = pqrs("run", "--from", "bronze", "--root", root.toString());
    assertThat(noId.code(), is(2));
    assertThat(noId.err().trim(), equalTo("run: error: --from bronze needs --run-id: the existing run to continue"));

    Run rawOptions = pqrs("run", "--from", "bronze", "--run-id", "only-raw", "--seed", "3", "--root", root.toString());
    assertThat(rawOptions.code(), is(2));
    assertThat(rawOptions.err().trim(), containsString("--from bronze continues the existing run only-raw"));

    Run notALayer = pqrs("run", "--from", "platinum", "--run-id", "only-raw", "--root", root.toString());
    assertThat(notALayer.code(), is(2));
    assertThat(notALayer.err().trim(),
        equalTo("run: error: --from: \"platinum\" is not a layer (raw, bronze, silver, gold)"));
  }

  @Test
  void helpListsTheOptions() {
    Run r = pqrs("simulate", "--help");
    assertThat(r.code(), is(0));
    assertThat(r.out(), containsString("--run-id"));
    assertThat(r.out(), containsString("--root"));
    assertThat(pqrs("--version").out(), containsString("pqrs-lakehouse"));
    assertThat(pqrs("nonsense").code(), not(is(0)));
  }

  @Test
  void unknownArgumentsGoToBeamWhichNamesTheOneItDoesNotKnow() {
    Run r = pqrs("gold", "--run-id", "x", "--root", dir.resolve("nothing").toString(), "--noSuchBeamOption=1");
    assertThat(r.code(), is(2));
    assertThat(r.err(), containsString("noSuchBeamOption"));
    Run positional = pqrs("silver", "--run-id", "x", "--root", dir.resolve("nothing").toString(), "stray");
    assertThat(positional.code(), is(2));
    assertThat(positional.err(), containsString("stray"));
  }
}
