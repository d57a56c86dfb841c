package co.pqrs.lakehouse.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** Options every pipeline subcommand shares: where the lakehouse is, which runner, Beam pass-through. */
final class RunnerOptions {
  @Option(names = "--root", paramLabel = "PATH", defaultValue = "lakehouse",
      description = "Lakehouse root, a folder or s3://bucket/prefix (default: ${DEFAULT-VALUE})")
  String root;

  @Option(names = "--runner", defaultValue = "DirectRunner", description = "Beam runner (default: ${DEFAULT-VALUE})")
  String runner;

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "Serving store for run records and Gold (default: $PQRS_JDBC_URL, else the embedded "
          + "DuckDB file <root>/serving/pqrs.duckdb)")
  String jdbcUrl;

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  /** The Beam arguments these options stand for. */
  List<String> args() {
    List<String> args = BeamArgs.base(beamArgs, runner, root);
    BeamArgs.add(args, "jdbcUrl", jdbcUrl);
    return args;
  }
}
