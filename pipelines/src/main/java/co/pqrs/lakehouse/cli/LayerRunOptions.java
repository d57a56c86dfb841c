package co.pqrs.lakehouse.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that run one layer of an existing run: bronze, silver, gold. */
final class LayerRunOptions {
  @Option(names = "--run-id", required = true, paramLabel = "ID",
      description = "The run to read from the previous layer and write (one id through every layer)")
  String runId;

  @Option(names = "--as-of", paramLabel = "RFC3339", description = "As-of instant (default: Bronze the newest "
      + "event, for freshness; Silver the end of the data; Gold the Silver run's)")
  String asOf;

  @Option(names = "--config-dir", paramLabel = "DIR",
      description = "Folder with the pqrs_*_v1.yaml files (default: the packaged docs/07-config)")
  String configDir;

  /** Adds these options to Beam arguments and returns them. */
  List<String> addTo(List<String> args) {
    BeamArgs.add(args, "runId", runId);
    BeamArgs.add(args, "asOf", asOf);
    BeamArgs.add(args, "configDir", configDir);
    return args;
  }

  /** Prints a layer's summary and how long it took since {@code t0} (System.nanoTime). */
  static void print(String summary, long t0) {
    System.out.println(summary);
    System.out.printf(java.util.Locale.ROOT, "  took %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}
