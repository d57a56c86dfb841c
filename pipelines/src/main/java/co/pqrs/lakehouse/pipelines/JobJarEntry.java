package co.pqrs.lakehouse.pipelines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The job jar's Main-Class: what Flink's web UI and REST run when a submission names no entry class.
 * The job jar runs one layer per job, from that layer's entry class; this one only says so. (It was
 * the command line's {@code PqrsCli}, whose {@code System.exit} then stopped the JobManager.)
 */
public final class JobJarEntry {
  /** Where the jar lists its layers and their entry classes; the Prefect flows read the same file. */
  public static final String LAYERS_RESOURCE = "pqrs/job-layers.tsv";

  /** A layer the job jar runs, and the class a submission names for it. */
  record Layer(String name, Class<?> entry) {}

  /** The layers, in the order of the chain. */
  static final List<Layer> LAYERS = read(LAYERS_RESOURCE);

  private JobJarEntry() {}

  public static void main(String[] args) {
    throw new IllegalArgumentException("pqrs-lakehouse-job.jar runs one layer per job: set the entry class to "
        + LAYERS.stream().map(l -> l.entry().getName()).collect(Collectors.joining(", "))
        + " (README, \"Submit from the Flink web UI\")");
  }

  static List<Layer> read(String resource) {
    InputStream in = JobJarEntry.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(resource + " is missing from the jar");
    }
    List<Layer> layers = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line; (line = r.readLine()) != null; ) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 2) {
          throw new IllegalStateException(resource + " line " + n + ": expected a layer and its entry class, "
              + "separated by a tab: " + line);
        }
        try {
          layers.add(new Layer(f[0], Class.forName(f[1], false, JobJarEntry.class.getClassLoader())));
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(resource + " line " + n + ": no class " + f[1] + " in the jar");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(layers);
  }
}
