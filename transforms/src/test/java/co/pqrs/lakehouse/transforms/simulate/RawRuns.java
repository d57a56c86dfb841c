package co.pqrs.lakehouse.transforms.simulate;

import co.pqrs.lakehouse.config.LakehouseConfig;
import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs SimulateRaw on the DirectRunner and reads what it wrote. */
public final class RawRuns {
  private RawRuns() {}

  public static Manifest simulate(LakehouseConfig cfg, Path root, String runId, int parallelism) throws IOException {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setRunner(DirectRunner.class);
    o.setTargetParallelism(parallelism);
    Pipeline p = Pipeline.create(o);
    DataLayout layout = DataLayout.at(root.toString());
    p.apply(new SimulateRaw(cfg, layout, runId));
    p.run().waitUntilFinish();
    return Manifest.fromJson(Files.readAllBytes(Path.of(layout.manifest(DataLayout.RAW, runId))));
  }

  public static Path runFolder(Path root, String runId) {
    return Path.of(DataLayout.at(root.toString()).rawRun(runId));
  }

  /** Every data file of a run, sorted by path. */
  public static List<Path> files(Path root, String runId) throws IOException {
    try (Stream<Path> s = Files.walk(runFolder(root, runId))) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  public static List<String> lines(Path root, String runId) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files(root, runId)) {
      out.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
    }
    return out;
  }
}
