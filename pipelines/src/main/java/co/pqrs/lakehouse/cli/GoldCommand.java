package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.GoldPipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    description = "Aggregate a Silver run into the Gold KPI tables, check them against Silver, and serve them.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class GoldCommand implements Callable<Integer> {
  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Silver run to aggregate")
  String runId;

  @Option(names = "--as-of", paramLabel = "RFC3339", description = "As-of instant (default: the Silver run's)")
  String asOf;

  @Option(names = "--config-dir", paramLabel = "DIR", description = "Folder with pqrs_quality_v1.yaml")
  String configDir;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = run.args();
    BeamArgs.add(args, "runId", runId);
    BeamArgs.add(args, "asOf", asOf);
    BeamArgs.add(args, "configDir", configDir);
    GoldPipeline.Options o = BeamArgs.options(args, GoldPipeline.Options.class);
    long t0 = System.nanoTime();
    GoldPipeline.Result r = GoldPipeline.run(o);
    System.out.println(Summary.gold(r));
    System.out.printf(java.util.Locale.ROOT, "  took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
