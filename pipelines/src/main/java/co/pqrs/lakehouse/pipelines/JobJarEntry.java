package co.pqrs.lakehouse.pipelines;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The job jar's Main-Class: what Flink's web UI and REST run when a submission names no entry class.
 * The job jar runs one layer per job, from that layer's entry class; this one only says so. (It was
 * the command line's {@code PqrsCli}, whose {@code System.exit} then stopped the JobManager.)
 */
public final class JobJarEntry {
  /** The layers' entry classes, in the order of the chain. */
  static final List<Class<?>> LAYERS =
      List.of(SimulateRawPipeline.class, BronzePipeline.class, SilverPipeline.class, GoldPipeline.class);

  private JobJarEntry() {}

  public static void main(String[] args) {
    throw new IllegalArgumentException("pqrs-lakehouse-job.jar runs one layer per job: set the entry class to "
        + LAYERS.stream().map(Class::getName).collect(Collectors.joining(", "))
        + " (README, \"Submit from the Flink web UI\")");
  }
}
