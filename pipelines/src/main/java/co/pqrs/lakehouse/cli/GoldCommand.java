package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.GoldPipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "gold",
    mixinStandardHelpOptions = true,
    description = "Aggregate a Silver run into the Gold KPI tables, check them against Silver, and serve them.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class GoldCommand implements Callable<Integer> {
  @Mixin LayerRunOptions layer;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = layer.addTo(run.args());
    long t0 = System.nanoTime();
    LayerRunOptions.print(Summary.gold(GoldPipeline.run(BeamArgs.options(args, GoldPipeline.Options.class))), t0);
    return 0;
  }
}
