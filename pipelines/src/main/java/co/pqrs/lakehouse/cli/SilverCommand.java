package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.SilverPipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "silver",
    mixinStandardHelpOptions = true,
    description = "Curate a Bronze run into Silver tickets, messages, status events, attachments and pre-classification.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class SilverCommand implements Callable<Integer> {
  @Mixin LayerRunOptions layer;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = layer.addTo(run.args());
    long t0 = System.nanoTime();
    LayerRunOptions.print(Summary.silver(SilverPipeline.run(BeamArgs.options(args, SilverPipeline.Options.class))), t0);
    return 0;
  }
}
