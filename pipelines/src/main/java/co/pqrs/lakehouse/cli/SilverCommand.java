package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.SilverPipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description = "Curate a Bronze run into Silver tickets, messages, status events, attachments and pre-classification.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class SilverCommand implements Callable<Integer> {
  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Bronze run to curate")
  String runId;

  @Option(names = "--as-of", paramLabel = "RFC3339",
      description = "As-of instant for states and SLA (default: the end of the data)")
  String asOf;

  @Option(names = "--config-dir", paramLabel = "DIR", description = "Folder with the pqrs_*_v1.yaml files")
  String configDir;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = run.args();
    BeamArgs.add(args, "runId", runId);
    BeamArgs.add(args, "asOf", asOf);
    BeamArgs.add(args, "configDir", configDir);
    SilverPipeline.Options o = BeamArgs.options(args, SilverPipeline.Options.class);
    long t0 = System.nanoTime();
    SilverPipeline.Result r = SilverPipeline.run(o);
    System.out.println(Summary.silver(r));
    System.out.printf(java.util.Locale.ROOT, "  took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
