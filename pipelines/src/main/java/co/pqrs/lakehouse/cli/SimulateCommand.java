package co.pqrs.lakehouse.cli;

import co.pqrs.lakehouse.pipelines.SimulateRawPipeline;
import co.pqrs.lakehouse.pipelines.Summary;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Simulate a Raw run of PQRS events (JSONL per day) with its manifest.",
    footer = {"", "Other --key=value arguments go to Beam, e.g. --targetParallelism=2 or --runner=FlinkRunner."})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Simulation YAML (default: packaged docs/07-config/pqrs_simulation_v1.yaml)")
  String config;

  @Option(names = "--config-dir", paramLabel = "DIR", description = "Folder with the three pqrs_*_v1.yaml files")
  String configDir;

  @Option(names = "--seed", description = "Seed (default: the config's)")
  Long seed;

  @Option(names = "--start", paramLabel = "YYYY-MM-DD", description = "First day (default: the config's)")
  String start;

  @Option(names = "--end", paramLabel = "YYYY-MM-DD", description = "Last day, inclusive (default: the config's)")
  String end;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id (default: sim-<seed>-<start>-<end>)")
  String runId;

  @Mixin RunnerOptions run;

  @Override
  public Integer call() throws Exception {
    List<String> args = run.args();
    BeamArgs.add(args, "simulationConfig", config);
    BeamArgs.add(args, "configDir", configDir);
    BeamArgs.add(args, "seed", seed == null ? null : seed.toString());
    BeamArgs.add(args, "start", start);
    BeamArgs.add(args, "end", end);
    BeamArgs.add(args, "runId", runId);
    SimulateRawPipeline.Options o = BeamArgs.options(args, SimulateRawPipeline.Options.class);
    long t0 = System.nanoTime();
    SimulateRawPipeline.Result r = SimulateRawPipeline.run(o);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.println(Summary.raw(r));
    if (!r.alreadyExisted()) {
      long lines = r.manifest().counts().getOrDefault("lines", 0L);
      System.out.printf(java.util.Locale.ROOT, "  took %.1f s (%,.0f events/s)%n", secs, lines / Math.max(secs, 1e-9));
    }
    return 0;
  }

}
