package co.pqrs.lakehouse.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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

  // picocli does not honour @Unmatched inside a mixin: the Beam pass-through arguments are read from
  // the command that mixes these options in (PqrsCli allows unmatched arguments for those commands).
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The Beam arguments these options stand for. */
  List<String> args() {
    List<String> beamArgs = new ArrayList<>(mixee.commandLine().getUnmatchedArguments());
    for (String a : beamArgs) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument \"" + a + "\": Beam options are --name=value");
      }
    }
    // Beam's options take most of a second to set up: the store's native library loads meanwhile.
    StoreWarmup.start(jdbcUrl, root);
    List<String> args = BeamArgs.base(beamArgs, runner, root);
    BeamArgs.add(args, "jdbcUrl", jdbcUrl);
    return args;
  }
}
