package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.Serve;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Load a published Gold run into the serving store again (replacing that run's rows).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Gold run to load")
  String runId;

  @Option(names = "--root", paramLabel = "PATH", defaultValue = "lakehouse",
      description = "Lakehouse root (default: ${DEFAULT-VALUE})")
  String root;

  @Option(names = "--jdbc-url", paramLabel = "URL", description = "Serving store (default: $PQRS_JDBC_URL, else embedded)")
  String jdbcUrl;

  @Override
  public Integer call() throws Exception {
    Serve.Result r = Serve.run(root, runId, jdbcUrl);
    System.out.println("gold run " + runId + " served into " + r.store().describe() + " ("
        + r.manifest().files().stream().mapToLong(f -> f.rows()).sum() + " rows)");
    return 0;
  }
}
