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
  @Option(names = "--start", paramLabel = "YYYY-MM-DD", description = "First Raw day (default: all days)")
  String start;

  @Option(names = "--end", paramLabel = "YYYY-MM-DD", description = "Last Raw day, inclusive")
  String end;

  @Mixin LayerRunOptions layer;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = layer.addTo(run.args());
    BeamArgs.add(args, "start", start);
    BeamArgs.add(args, "end", end);
    long t0 = System.nanoTime();
    LayerRunOptions.print(Summary.bronze(BronzePipeline.run(BeamArgs.options(args, BronzePipeline.Options.class))), t0);
    return 0;
  }
}
