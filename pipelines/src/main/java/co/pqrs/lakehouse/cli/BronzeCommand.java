package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.BronzePipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

@Command(
    name = "bronze",
    mixinStandardHelpOptions = true,
    description = "Validate, type and de-duplicate a Raw run into Bronze Parquet, with quarantine and checks.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class BronzeCommand implements Callable<Integer> {
  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "Raw run to process")
  String runId;

  @Option(names = "--start", paramLabel = "YYYY-MM-DD", description = "First Raw day (default: all days)")
  String start;

  @Option(names = "--end", paramLabel = "YYYY-MM-DD", description = "Last Raw day, inclusive")
  String end;

  @Option(names = "--as-of", paramLabel = "RFC3339", description = "As-of instant for freshness (default: newest event)")
  String asOf;

  @Option(names = "--config-dir", paramLabel = "DIR", description = "Folder with pqrs_quality_v1.yaml")
  String configDir;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = run.args();
    BeamArgs.add(args, "runId", runId);
    BeamArgs.add(args, "start", start);
    BeamArgs.add(args, "end", end);
    BeamArgs.add(args, "asOf", asOf);
    BeamArgs.add(args, "configDir", configDir);
    BronzePipeline.Options o = BeamArgs.options(args, BronzePipeline.Options.class);
    long t0 = System.nanoTime();
    BronzePipeline.Result r = BronzePipeline.run(o);
    System.out.println(Summary.bronze(r));
    System.out.printf(java.util.Locale.ROOT, "  took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
